import { randomUUID } from 'node:crypto';
import type { Database } from './database.ts';
import { sql, typed } from './sql.ts';
import { millisToDateTime64, nextVersion } from './time.ts';

export const ALERT_KINDS = ['new_issue', 'regression', 'issue_spike', 'service_error_rate', 'service_latency_p95'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Kinds that watch a service's RED figures instead of issues. */
export const SERVICE_ALERT_KINDS = ['service_error_rate', 'service_latency_p95'] as const;
export type ServiceAlertKind = (typeof SERVICE_ALERT_KINDS)[number];
export const isServiceAlert = (kind: AlertKind): kind is ServiceAlertKind => (SERVICE_ALERT_KINDS as readonly string[]).includes(kind);

export interface AlertRuleInput {
  name: string;
  kind: AlertKind;
  /**
   * issue_spike: events within `windowMinutes` that make a spike; service_error_rate: the error rate in percent;
   * service_latency_p95: the p95 duration in ms. 0 for the other kinds.
   */
  threshold: number;
  windowMinutes: number;
  /** '' = any environment / level (issue kinds). */
  environment: string;
  level: string;
  /** Service kinds: the service watched; '' = each service on its own. */
  service: string;
  webhookUrl: string;
}

export interface AlertRule extends AlertRuleInput {
  id: string;
  projectId: number;
  createdAt: string;
  createdAtMs: number;
}

function ruleRow(rule: AlertRule, deleted: boolean): object {
  return {
    Id: rule.id,
    ProjectId: rule.projectId,
    Name: rule.name,
    Kind: rule.kind,
    Threshold: rule.threshold,
    WindowMinutes: rule.windowMinutes,
    Environment: rule.environment,
    Level: rule.level,
    Service: rule.service,
    WebhookUrl: rule.webhookUrl,
    Deleted: deleted ? 1 : 0,
    CreatedAt: millisToDateTime64(rule.createdAtMs),
    Version: nextVersion(),
  };
}

export async function createAlertRule(db: Database, projectId: number, input: AlertRuleInput): Promise<AlertRule> {
  const now = Date.now();
  const rule: AlertRule = { ...input, id: randomUUID(), projectId, createdAt: new Date(now).toISOString(), createdAtMs: now };
  await db.insert('alert_rules', [ruleRow(rule, false)]);
  return rule;
}

/** Live rules of one project, or of every project (the evaluator), oldest first. */
export async function listAlertRules(db: Database, projectId?: number): Promise<AlertRule[]> {
  const filter = projectId === undefined ? sql`1` : sql`ProjectId = ${typed(projectId, 'UInt32')}`;
  return db.query<AlertRule>(sql`
    SELECT Id AS id, ProjectId AS projectId, Name AS name, toString(Kind) AS kind, Threshold AS threshold,
      WindowMinutes AS windowMinutes, Environment AS environment, Level AS level, Service AS service, WebhookUrl AS webhookUrl,
      formatDateTime(CreatedAt, '%Y-%m-%dT%H:%i:%S.%fZ') AS createdAt, toUnixTimestamp64Milli(CreatedAt) AS createdAtMs
    FROM ${db.table('alert_rules')} FINAL
    WHERE Deleted = 0 AND ${filter}
    ORDER BY CreatedAt, Id`);
}

export async function getAlertRule(db: Database, projectId: number, ruleId: string): Promise<AlertRule | null> {
  return (await listAlertRules(db, projectId)).find((r) => r.id === ruleId) ?? null;
}

/** Writes a changed rule as a new version; null when the project has no such live rule. */
export async function updateAlertRule(db: Database, projectId: number, ruleId: string, change: Partial<AlertRuleInput>): Promise<AlertRule | null> {
  const current = await getAlertRule(db, projectId, ruleId);
  if (!current) return null;
  const updated: AlertRule = { ...current, ...change };
  await db.insert('alert_rules', [ruleRow(updated, false)]);
  return updated;
}

export async function deleteAlertRule(db: Database, projectId: number, ruleId: string): Promise<boolean> {
  const current = await getAlertRule(db, projectId, ruleId);
  if (!current) return false;
  await db.insert('alert_rules', [ruleRow(current, true)]);
  return true;
}

/** `summarized`: one of the occurrences past a rule's per-run cap, delivered inside one summary notification. */
export type FiringStatus = 'pending' | 'delivered' | 'failed' | 'summarized';

export interface FiringClaim {
  projectId: number;
  ruleId: string;
  /** One occurrence: a rule notifies once per key. */
  dedupeKey: string;
  /** Which process claimed it (a random id per query process). */
  claimant: string;
  issueId: string;
  claimedAtMs: number;
}

export interface DeliveryOutcome {
  status: FiringStatus;
  httpStatus: number;
  attempts: number;
  error: string;
}

export interface AlertFiring extends DeliveryOutcome {
  ruleId: string;
  issueId: string;
  dedupeKey: string;
  firedAt: string;
  finishedAt: string | null;
}

function firingRow(claim: FiringClaim, outcome: DeliveryOutcome, finishedAtMs: number | null): object {
  return {
    ProjectId: claim.projectId,
    RuleId: claim.ruleId,
    DedupeKey: claim.dedupeKey,
    Claimant: claim.claimant,
    IssueId: claim.issueId,
    ClaimedAt: millisToDateTime64(claim.claimedAtMs),
    Status: outcome.status,
    HttpStatus: outcome.httpStatus,
    Attempts: outcome.attempts,
    Error: outcome.error.slice(0, 500),
    FinishedAt: finishedAtMs === null ? null : millisToDateTime64(finishedAtMs),
    Version: nextVersion(),
  };
}

/** The keys among `keys` that a rule already fired for (by any process). */
export async function firedKeys(db: Database, projectId: number, ruleId: string, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.query<{ key: string }>(sql`
    SELECT DISTINCT DedupeKey AS key FROM ${db.table('alert_firings')}
    WHERE ProjectId = ${typed(projectId, 'UInt32')} AND RuleId = ${ruleId} AND DedupeKey IN ${[...keys]}`);
  return new Set(rows.map((r) => r.key));
}

/** A rule's firings since `sinceMs`: their occurrence keys, issues and claim times. */
export async function recentFirings(db: Database, projectId: number, ruleId: string, sinceMs: number): Promise<Array<{ issueId: string; key: string; claimedAtMs: number }>> {
  const rows = await db.query<{ issueId: string; key: string; claimedAtMs: number | string }>(sql`
    SELECT IssueId AS issueId, DedupeKey AS key, toUnixTimestamp64Milli(min(ClaimedAt)) AS claimedAtMs FROM ${db.table('alert_firings')}
    WHERE ProjectId = ${typed(projectId, 'UInt32')} AND RuleId = ${ruleId}
      AND ClaimedAt >= fromUnixTimestamp64Milli(${typed(sinceMs, 'Int64')})
    GROUP BY IssueId, DedupeKey`);
  return rows.map((r) => ({ ...r, claimedAtMs: Number(r.claimedAtMs) }));
}

/** Issues a rule fired for since `sinceMs` (a spike notifies at most once per window). */
export async function recentlyFiredIssues(db: Database, projectId: number, ruleId: string, sinceMs: number): Promise<Set<string>> {
  return new Set((await recentFirings(db, projectId, ruleId, sinceMs)).map((r) => r.issueId));
}

/**
 * Records the claim before anything is sent, then reads back every claim of the key: the earliest (then the
 * smallest claimant id) wins, so of several processes racing on one occurrence exactly one sends.
 */
export async function claimFiring(db: Database, claim: FiringClaim): Promise<boolean> {
  return (await claimFirings(db, [claim])).has(claim.dedupeKey);
}

/**
 * Claims occurrences of one rule for one claimant in one insert; returns the keys it won (per key, the earliest
 * claim, then the smallest claimant, wins: every process reads the same winner).
 */
export async function claimFirings(db: Database, claims: readonly FiringClaim[]): Promise<Set<string>> {
  const first = claims[0];
  if (!first) return new Set();
  await db.insert('alert_firings', claims.map((c) => firingRow(c, { status: 'pending', httpStatus: 0, attempts: 0, error: '' }, null)));
  const rows = await db.query<{ key: string; winner: string }>(sql`
    SELECT DedupeKey AS key, argMin(Claimant, (ClaimedAt, Claimant)) AS winner FROM ${db.table('alert_firings')} FINAL
    WHERE ProjectId = ${typed(first.projectId, 'UInt32')} AND RuleId = ${first.ruleId} AND DedupeKey IN ${claims.map((c) => c.dedupeKey)}
    GROUP BY DedupeKey`);
  return new Set(rows.filter((r) => r.winner === first.claimant).map((r) => r.key));
}

export async function recordDelivery(db: Database, claim: FiringClaim, outcome: DeliveryOutcome): Promise<void> {
  await recordDeliveries(db, [claim], outcome);
}

/** The same outcome for several claims (the occurrences one summary notification covered). */
export async function recordDeliveries(db: Database, claims: readonly FiringClaim[], outcome: DeliveryOutcome): Promise<void> {
  const finishedAt = Date.now();
  await db.insert('alert_firings', claims.map((c) => firingRow(c, outcome, finishedAt)));
}

/** A rule's firings, newest first: per occurrence the winning claim with its delivery outcome. */
export async function listFirings(db: Database, projectId: number, ruleId: string, limit: number): Promise<AlertFiring[]> {
  return db.query<AlertFiring>(sql`
    SELECT RuleId AS ruleId, IssueId AS issueId, DedupeKey AS dedupeKey, toString(Status) AS status,
      HttpStatus AS httpStatus, Attempts AS attempts, Error AS error,
      formatDateTime(ClaimedAt, '%Y-%m-%dT%H:%i:%S.%fZ') AS firedAt,
      if(FinishedAt IS NULL, NULL, formatDateTime(assumeNotNull(FinishedAt), '%Y-%m-%dT%H:%i:%S.%fZ')) AS finishedAt
    FROM (
      SELECT * FROM ${db.table('alert_firings')} FINAL
      WHERE ProjectId = ${typed(projectId, 'UInt32')} AND RuleId = ${ruleId}
      ORDER BY ClaimedAt, Claimant
      LIMIT 1 BY DedupeKey
    )
    ORDER BY ClaimedAt DESC, DedupeKey
    LIMIT ${typed(limit, 'UInt32')}`);
}
