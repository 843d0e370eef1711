import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  ALERT_KINDS,
  SERVICE_ALERT_MIN_CALLS,
  createAlertRule,
  deleteAlertRule,
  getAlertRule,
  isServiceAlert,
  listAlertRules,
  listFirings,
  listIssues,
  recordDelivery,
  serviceOfAlertKey,
  updateAlertRule,
  type AlertRule,
  type AlertRuleInput,
  type Database,
  type TokenInfo,
} from '@faultline/storage';
import { testPayload } from '../alerts/payload.ts';
import { DEFAULT_DELIVERY, deliverWebhook, maskWebhookUrl } from '../alerts/webhook.ts';
import { requireWrite } from '../auth.ts';
import { badRequest, limitReached, notFound } from '../http.ts';
import { limitParam } from '../params.ts';
import { route, type Route } from '../router.ts';

const LEVELS = ['fatal', 'error', 'warning', 'info', 'debug'] as const;

/** Rules one project may have: every rule is evaluated in turn, so one project's thousands would delay all others'. */
export const MAX_ALERT_RULES = 100;

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
  service: z.string().trim().min(1, 'must not be empty (leave it out to watch every service)').max(512).nullable(),
  webhookUrl,
};

const createBody = z
  .object({
    ...fields,
    threshold: fields.threshold.optional(),
    windowMinutes: fields.windowMinutes.optional(),
    environment: fields.environment.optional(),
    level: fields.level.optional(),
    service: fields.service.optional(),
  })
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
  service: z.string().nullable().meta({ description: 'service rules: the service watched (null = each service)' }),
  webhookUrl: z.string().meta({ description: 'The full URL for admin tokens; only its origin (`https://host/…`) for read tokens' }),
  createdAt: z.string(),
});

const firingOut = z.object({
  issueId: z.string().nullable(),
  service: z.string().nullable().meta({ description: 'service rules: the service that crossed the threshold' }),
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

const THRESHOLD_UNIT: Record<string, string> = { issue_spike: 'events', service_error_rate: 'percent of failed calls', service_latency_p95: 'ms' };

/** Why the kind-specific fields of a rule do not fit its kind, or null. */
function kindProblem(kind: AlertRule['kind'], body: Fields, threshold: number, windowMinutes: number): string | null {
  const unit = THRESHOLD_UNIT[kind];
  if (unit && (threshold === 0 || windowMinutes === 0)) {
    return `body field "threshold": a ${kind} rule needs "threshold" (${unit}) and "windowMinutes", both positive integers`;
  }
  if (!unit && (body.threshold || body.windowMinutes)) {
    return `body field "threshold": "threshold" and "windowMinutes" only apply to issue_spike and service rules, not ${kind}`;
  }
  if (kind === 'service_error_rate' && threshold > 100) return 'body field "threshold": an error rate threshold is a percentage, at most 100';
  if (!isServiceAlert(kind) && body.service) return `body field "service": only service_error_rate and service_latency_p95 rules watch a service, not ${kind}`;
  // The RED rollups are kept per service, operation and release, not per environment or level.
  if (isServiceAlert(kind) && (body.environment || body.level)) return `body field "${body.environment ? 'environment' : 'level'}": ${kind} rules cannot filter by environment or level`;
  return null;
}

/** A body merged over the stored rule, checked as a whole: each kind takes its own fields and no others. */
function ruleInput(body: Fields, current?: AlertRule): AlertRuleInput {
  const kind = body.kind ?? current?.kind ?? 'new_issue';
  const pick = (value: number | null | undefined, stored: number | undefined) => (value === undefined ? (stored ?? 0) : (value ?? 0));
  const numbers = THRESHOLD_UNIT[kind] !== undefined;
  const threshold = pick(body.threshold, current?.threshold);
  const windowMinutes = pick(body.windowMinutes, current?.windowMinutes);
  const problem = kindProblem(kind, body, threshold, windowMinutes);
  if (problem) throw badRequest(problem);
  const service = isServiceAlert(kind);
  const keep = (value: string | null | undefined, stored: string | undefined) => (value === undefined ? (stored ?? '') : (value ?? ''));
  return {
    name: body.name ?? current?.name ?? '',
    kind,
    threshold: numbers ? threshold : 0,
    windowMinutes: numbers ? windowMinutes : 0,
    environment: service ? '' : keep(body.environment, current?.environment),
    level: service ? '' : keep(body.level, current?.level),
    service: service ? keep(body.service, current?.service) : '',
    webhookUrl: body.webhookUrl ?? current?.webhookUrl ?? '',
  };
}

/** Admins set the webhook and see it whole; a read token sees only where it points (its path may be a secret). */
function ruleBody(rule: AlertRule, token: TokenInfo | null): z.infer<typeof ruleOut> {
  const numbers = THRESHOLD_UNIT[rule.kind] !== undefined;
  return {
    id: rule.id,
    name: rule.name,
    kind: rule.kind,
    threshold: numbers ? rule.threshold : null,
    windowMinutes: numbers ? rule.windowMinutes : null,
    environment: rule.environment || null,
    level: rule.level || null,
    service: rule.service || null,
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
      summary: `Create an alert rule notifying a webhook: new_issue, regression, issue_spike (threshold events within windowMinutes), service_error_rate (threshold percent of a service's entry calls failed within windowMinutes) or service_latency_p95 (their p95 at least threshold ms); service rules need ${SERVICE_ALERT_MIN_CALLS} calls in the window and watch \`service\` or each service.`,
      access: 'admin',
      body: createBody,
      response: ruleOut,
      async handler({ project, body, token }) {
        if (token) requireWrite(token);
        const input = ruleInput(body);
        if ((await listAlertRules(db, project.id)).length >= MAX_ALERT_RULES) throw limitReached(MAX_ALERT_RULES, 'alert rules', 'delete one');
        const rule = await createAlertRule(db, project.id, input);
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
              service: isServiceAlert(rule.kind) && !f.dedupeKey.startsWith('test:') ? serviceOfAlertKey(f.dedupeKey) : null,
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
        const firing = { issueId: null, service: null, issueTitle: null, dedupeKey: claim.dedupeKey, status: outcome.status, httpStatus: outcome.httpStatus || null, attempts: outcome.attempts, error: outcome.error || null };
        return { status: 201, body: { ...firing, firedAt: at, finishedAt: new Date().toISOString() } };
      },
    }),
  ];
}
