import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  ALERT_KINDS,
  createAlertRule,
  deleteAlertRule,
  getAlertRule,
  listAlertRules,
  listFirings,
  listIssues,
  recordDelivery,
  updateAlertRule,
  type AlertRule,
  type AlertRuleInput,
  type Database,
  type TokenInfo,
} from '@faultline/storage';
import { testPayload } from '../alerts/payload.ts';
import { DEFAULT_DELIVERY, deliverWebhook, maskWebhookUrl } from '../alerts/webhook.ts';
import { requireWrite } from '../auth.ts';
import { badRequest, notFound } from '../http.ts';
import { limitParam } from '../params.ts';
import { route, type Route } from '../router.ts';

const LEVELS = ['fatal', 'error', 'warning', 'info', 'debug'] as const;

const webhookUrl = z
  .string()
  .max(2_000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL');

const fields = {
  name: z.string().trim().min(1, 'must not be empty').max(200),
  kind: z.enum(ALERT_KINDS),
  threshold: z.number().int('must be an integer').positive('must be positive').max(1_000_000_000).nullable(),
  windowMinutes: z.number().int('must be an integer').positive('must be positive').max(1_440, 'must be at most 1440 (a day)').nullable(),
  environment: z.string().max(200).nullable(),
  level: z.enum(LEVELS).nullable(),
  webhookUrl,
};

const createBody = z
  .object({ ...fields, threshold: fields.threshold.optional(), windowMinutes: fields.windowMinutes.optional(), environment: fields.environment.optional(), level: fields.level.optional() })
  .strict();
const patchBody = z.object(fields).partial().strict();

const ruleOut = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(ALERT_KINDS),
  threshold: z.number().nullable(),
  windowMinutes: z.number().nullable(),
  environment: z.string().nullable(),
  level: z.string().nullable(),
  webhookUrl: z.string().meta({ description: 'The full URL for admin tokens; only its origin (`https://host/…`) for read tokens' }),
  createdAt: z.string(),
});

const firingOut = z.object({
  issueId: z.string().nullable(),
  issueTitle: z.string().nullable().meta({ description: "the issue's title now (null for a test notification or an issue no longer found)" }),
  dedupeKey: z.string(),
  status: z.enum(['pending', 'delivered', 'failed', 'summarized']),
  httpStatus: z.number().nullable(),
  attempts: z.number(),
  error: z.string().nullable(),
  firedAt: z.string(),
  finishedAt: z.string().nullable(),
});

type Fields = { [K in keyof typeof fields]?: z.infer<(typeof fields)[K]> | undefined };

/** A body merged over the stored rule, checked as a whole: a spike needs both numbers, other kinds neither. */
function ruleInput(body: Fields, current?: AlertRule): AlertRuleInput {
  const kind = body.kind ?? current?.kind ?? 'new_issue';
  const pick = (value: number | null | undefined, stored: number | undefined) => (value === undefined ? (stored ?? 0) : (value ?? 0));
  const threshold = pick(body.threshold, current?.threshold);
  const windowMinutes = pick(body.windowMinutes, current?.windowMinutes);
  if (kind === 'issue_spike' && (threshold === 0 || windowMinutes === 0)) {
    throw badRequest('body field "threshold": an issue_spike rule needs "threshold" (events) and "windowMinutes", both positive integers');
  }
  if (kind !== 'issue_spike' && (body.threshold || body.windowMinutes)) {
    throw badRequest(`body field "threshold": "threshold" and "windowMinutes" only apply to issue_spike rules, not ${kind}`);
  }
  return {
    name: body.name ?? current?.name ?? '',
    kind,
    threshold: kind === 'issue_spike' ? threshold : 0,
    windowMinutes: kind === 'issue_spike' ? windowMinutes : 0,
    environment: body.environment === undefined ? (current?.environment ?? '') : (body.environment ?? ''),
    level: body.level === undefined ? (current?.level ?? '') : (body.level ?? ''),
    webhookUrl: body.webhookUrl ?? current?.webhookUrl ?? '',
  };
}

/** Admins set the webhook and see it whole; a read token sees only where it points (its path may be a secret). */
function ruleBody(rule: AlertRule, token: TokenInfo | null): z.infer<typeof ruleOut> {
  const spike = rule.kind === 'issue_spike';
  return {
    id: rule.id,
    name: rule.name,
    kind: rule.kind,
    threshold: spike ? rule.threshold : null,
    windowMinutes: spike ? rule.windowMinutes : null,
    environment: rule.environment || null,
    level: rule.level || null,
    webhookUrl: token?.role === 'read' ? maskWebhookUrl(rule.webhookUrl) : rule.webhookUrl,
    createdAt: rule.createdAt,
  };
}

export function alertRoutes(db: Database): Route[] {
  const base = '/api/v1/projects/{project}/alerts';
  const found = async (projectId: number, alertId: string): Promise<AlertRule> => {
    const rule = await getAlertRule(db, projectId, alertId);
    if (!rule) throw notFound(`alert rule ${alertId}`);
    return rule;
  };
  return [
    route({
      method: 'GET',
      path: base,
      summary: "The project's alert rules.",
      access: 'read',
      response: z.object({ alerts: z.array(ruleOut) }),
      async handler({ project, token }) {
        return { body: { alerts: (await listAlertRules(db, project.id)).map((r) => ruleBody(r, token)) } };
      },
    }),
    route({
      method: 'POST',
      path: base,
      summary: 'Create an alert rule: new_issue, regression or issue_spike (threshold events within windowMinutes), notifying a webhook.',
      access: 'admin',
      body: createBody,
      response: ruleOut,
      async handler({ project, body, token }) {
        if (token) requireWrite(token);
        const rule = await createAlertRule(db, project.id, ruleInput(body));
        return { status: 201, body: ruleBody(rule, token) };
      },
    }),
    route({
      method: 'PATCH',
      path: `${base}/{alertId}`,
      summary: 'Change an alert rule (fields left out keep their value; null clears a filter).',
      access: 'admin',
      body: patchBody,
      response: ruleOut,
      async handler({ project, params, body, token }) {
        if (token) requireWrite(token);
        const current = await found(project.id, params.alertId ?? '');
        const updated = await updateAlertRule(db, project.id, current.id, ruleInput(body, current));
        if (!updated) throw notFound(`alert rule ${current.id}`);
        return { body: ruleBody(updated, token) };
      },
    }),
    route({
      method: 'DELETE',
      path: `${base}/{alertId}`,
      summary: 'Delete an alert rule; it stops firing at the next evaluation.',
      access: 'admin',
      async handler({ project, params, token }) {
        if (token) requireWrite(token);
        if (!(await deleteAlertRule(db, project.id, params.alertId ?? ''))) throw notFound(`alert rule ${params.alertId ?? ''}`);
        return { status: 204 };
      },
    }),
    route({
      method: 'GET',
      path: `${base}/{alertId}/firings`,
      summary: 'Notifications a rule sent (or tried to), newest first, with their delivery outcome.',
      access: 'read',
      query: z.object({ limit: limitParam(1_000, 100) }),
      response: z.object({ firings: z.array(firingOut) }),
      async handler({ project, params, query }) {
        const rule = await found(project.id, params.alertId ?? '');
        const firings = await listFirings(db, project.id, rule.id, query.limit);
        const ids = [...new Set(firings.map((f) => f.issueId).filter((id) => id !== ''))];
        const issues = ids.length === 0 ? [] : await listIssues(db, { projectId: project.id, issueIds: ids, sort: 'lastSeen', limit: ids.length });
        const titles = new Map(issues.map((i) => [i.id, i.title]));
        return {
          body: {
            firings: firings.map(({ ruleId: _rule, ...f }) => ({
              ...f,
              issueId: f.issueId || null,
              issueTitle: titles.get(f.issueId) ?? null,
              httpStatus: f.httpStatus || null,
              error: f.error || null,
            })),
          },
        };
      },
    }),
    route({
      method: 'POST',
      path: `${base}/{alertId}/test`,
      summary: 'Send a test notification to the rule\'s webhook now (one attempt, 5 s timeout); the outcome is recorded as a firing.',
      access: 'admin',
      response: firingOut,
      async handler({ project, params, token }) {
        if (token) requireWrite(token);
        const rule = await found(project.id, params.alertId ?? '');
        const claim = { projectId: project.id, ruleId: rule.id, dedupeKey: `test:${randomUUID()}`, claimant: 'api', issueId: '', claimedAtMs: Date.now() };
        const outcome = await deliverWebhook(rule.webhookUrl, testPayload(rule, project), { ...DEFAULT_DELIVERY, attempts: 1 });
        await recordDelivery(db, claim, outcome);
        const at = new Date(claim.claimedAtMs).toISOString();
        const firing = { issueId: null, issueTitle: null, dedupeKey: claim.dedupeKey, status: outcome.status, httpStatus: outcome.httpStatus || null, attempts: outcome.attempts, error: outcome.error || null };
        return { status: 201, body: { ...firing, firedAt: at, finishedAt: new Date().toISOString() } };
      },
    }),
  ];
}
