import {
  RESOLVED_PREFIX,
  recentFirings,
  SERVICE_ALERT_MIN_CALLS,
  serviceAlertKey,
  serviceFigures,
  serviceOfAlertKey,
  type AlertRule,
  type Database,
  type FiringClaim,
  type Project,
  type ServiceAlertKind,
  type ServiceBreach,
} from '@faultline/storage';
import { servicePayload, serviceResolvedPayload, serviceSummaryPayload } from './payload.ts';

/** What a service rule's evaluation needs from the evaluator: its claims, its delivery and its limits. */
export interface ServiceRuleContext {
  db: Database;
  publicUrl: string;
  maxPerRule: number;
  aborted(): boolean;
  claim(rule: AlertRule, dedupeKey: string): FiringClaim;
  /** Claims one occurrence and, when this process won it, sends it and records the outcome. */
  sendOnce(rule: AlertRule, claim: FiringClaim, payload: () => unknown, fields: object, what: string): Promise<void>;
  /** Claims occurrences in one batch and sends the ones this process won as one summary. */
  sendSummary<T>(rule: AlertRule, entries: ReadonlyArray<{ item: T; claim: FiringClaim }>, payload: (items: T[]) => unknown, fields: (count: number) => object): Promise<void>;
}

type ServiceRule = AlertRule & { kind: ServiceAlertKind };

/**
 * Service rules: each service over the threshold notifies once per window while it stays there (so a lasting
 * outage reminds every `windowMinutes`, and one that flaps within a window does not repeat); once it is back under
 * the threshold (or makes no calls), its last alert gets one "resolved" notification.
 */
export async function evaluateServiceRule(ctx: ServiceRuleContext, rule: ServiceRule, project: Project, nowMs: number): Promise<void> {
  const figures = await serviceFigures(ctx.db, { ...rule, nowMs });
  const breaches = figures.filter((f) => f.calls >= SERVICE_ALERT_MIN_CALLS && f.value >= rule.threshold);
  const windowMs = rule.windowMinutes * 60_000;
  // Within the last window a service does not alert again; two windows back hold the latest alert of an outage
  // that lasts (it fires once per window), which is the one a recovery resolves. One read serves both.
  const firings = await recentFirings(ctx.db, rule.projectId, rule.id, nowMs - 2 * windowMs);
  const fired = new Set(firings.map((f) => f.key));
  const lastWindow = new Set(firings.filter((f) => f.claimedAtMs >= nowMs - windowMs).map((f) => f.key));
  await fireBreaches(ctx, rule, project, breaches, lastWindow, nowMs);
  if (!ctx.aborted()) await resolveRecovered(ctx, rule, project, figures, breaches, fired, nowMs);
}

async function fireBreaches(ctx: ServiceRuleContext, rule: ServiceRule, project: Project, breaches: ServiceBreach[], lastWindow: Set<string>, nowMs: number): Promise<void> {
  const bucket = Math.floor(nowMs / (rule.windowMinutes * 60_000));
  const recent = new Set([...lastWindow].filter((k) => k.startsWith(`${rule.kind}:`)).map(serviceOfAlertKey));
  const due = breaches.filter((b) => !recent.has(b.service)).map((breach) => ({ breach, claim: ctx.claim(rule, serviceAlertKey(rule.kind, breach.service, bucket)) }));
  for (const { breach, claim } of due.slice(0, ctx.maxPerRule)) {
    if (ctx.aborted()) return;
    await ctx.sendOnce(rule, claim, () => servicePayload(ctx.publicUrl, rule, project, breach, nowMs), { service: breach.service }, 'alert');
  }
  const rest = due.slice(ctx.maxPerRule);
  if (rest.length === 0 || ctx.aborted()) return;
  const entries = rest.map((d) => ({ item: d.breach, claim: d.claim }));
  await ctx.sendSummary(rule, entries, (items) => serviceSummaryPayload(ctx.publicUrl, rule, project, items, nowMs), (n) => ({ services: n }));
}

function bucketOf(key: string): number {
  return Number(key.slice(key.lastIndexOf(':') + 1));
}

/** One "resolved" per alert whose service is no longer over the threshold (claimed like any occurrence). */
async function resolveRecovered(
  ctx: ServiceRuleContext,
  rule: ServiceRule,
  project: Project,
  figures: ServiceBreach[],
  breaches: ServiceBreach[],
  fired: Set<string>,
  nowMs: number,
): Promise<void> {
  const latest = new Map<string, string>();
  for (const key of fired) {
    if (!key.startsWith(`${rule.kind}:`)) continue;
    const service = serviceOfAlertKey(key);
    const seen = latest.get(service);
    if (seen === undefined || bucketOf(seen) < bucketOf(key)) latest.set(service, key);
  }
  const breaching = new Set(breaches.map((b) => b.service));
  for (const [service, key] of latest) {
    if (ctx.aborted()) return;
    if (breaching.has(service) || fired.has(`${RESOLVED_PREFIX}${key}`)) continue;
    const now = figures.find((f) => f.service === service && f.calls > 0) ?? null;
    const payload = () => serviceResolvedPayload(ctx.publicUrl, rule, project, service, now, nowMs);
    await ctx.sendOnce(rule, ctx.claim(rule, `${RESOLVED_PREFIX}${key}`), payload, { service, resolved: true }, 'alert resolution');
  }
}
