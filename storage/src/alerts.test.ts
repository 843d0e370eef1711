import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { activityCandidates, spikingIssues } from './alert-candidates.ts';
import {
  claimFiring,
  createAlertRule,
  deleteAlertRule,
  firedKeys,
  getAlertRule,
  listAlertRules,
  listFirings,
  recentlyFiredIssues,
  recordDelivery,
  updateAlertRule,
  type AlertRuleInput,
  type FiringClaim,
} from './alerts.ts';
import type { Database } from './database.ts';
import { insertActivity } from './issue-workflow.ts';
import { openTempDatabase } from './testing/temp-database.ts';
import { millisToDateTime64 } from './time.ts';

let db: Database;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ db, cleanup } = await openTempDatabase());
});
afterAll(async () => cleanup());

const input: AlertRuleInput = { name: 'new errors', kind: 'new_issue', threshold: 0, windowMinutes: 0, environment: '', level: '', service: '', webhookUrl: 'https://hooks.example/T0/secret' };

describe('alert rules', () => {
  test('create, list per project, update as a new version, delete', async () => {
    const rule = await createAlertRule(db, 5, input);
    const other = await createAlertRule(db, 6, { ...input, name: 'other project' });
    expect((await listAlertRules(db, 5)).map((r) => r.id)).toEqual([rule.id]);
    expect((await listAlertRules(db)).map((r) => r.id)).toEqual(expect.arrayContaining([rule.id, other.id]));
    expect(await getAlertRule(db, 6, rule.id)).toBeNull();

    const updated = await updateAlertRule(db, 5, rule.id, { kind: 'issue_spike', threshold: 10, windowMinutes: 5, level: 'error' });
    expect(updated).toMatchObject({ id: rule.id, name: 'new errors', kind: 'issue_spike', threshold: 10, windowMinutes: 5, level: 'error' });
    expect(await getAlertRule(db, 5, rule.id)).toMatchObject({ kind: 'issue_spike', threshold: 10, createdAtMs: rule.createdAtMs, webhookUrl: input.webhookUrl });
    expect(await updateAlertRule(db, 6, rule.id, { name: 'x' })).toBeNull();

    expect(await deleteAlertRule(db, 6, rule.id)).toBe(false);
    expect(await deleteAlertRule(db, 5, rule.id)).toBe(true);
    expect(await listAlertRules(db, 5)).toEqual([]);
    expect(await deleteAlertRule(db, 5, rule.id)).toBe(false);
  });
});

describe('alert firings', () => {
  test('of two processes claiming one occurrence exactly one wins; the outcome is listed once', async () => {
    const base = { projectId: 5, ruleId: 'r1', dedupeKey: 'new_issue:aaaa', issueId: 'aaaa' };
    const first: FiringClaim = { ...base, claimant: 'process-b', claimedAtMs: Date.now() - 10 };
    const second: FiringClaim = { ...base, claimant: 'process-a', claimedAtMs: Date.now() };
    expect(await claimFiring(db, first)).toBe(true);
    expect(await claimFiring(db, second)).toBe(false);
    expect(await firedKeys(db, 5, 'r1', ['new_issue:aaaa', 'new_issue:bbbb'])).toEqual(new Set(['new_issue:aaaa']));
    expect(await firedKeys(db, 5, 'r2', ['new_issue:aaaa'])).toEqual(new Set());

    await recordDelivery(db, first, { status: 'failed', httpStatus: 500, attempts: 3, error: 'HTTP 500' });
    const firings = await listFirings(db, 5, 'r1', 10);
    expect(firings).toHaveLength(1);
    expect(firings[0]).toMatchObject({ issueId: 'aaaa', dedupeKey: 'new_issue:aaaa', status: 'failed', httpStatus: 500, attempts: 3, error: 'HTTP 500' });
    expect(firings[0]?.finishedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await recentlyFiredIssues(db, 5, 'r1', Date.now() - 60_000)).toEqual(new Set(['aaaa']));
    expect(await recentlyFiredIssues(db, 5, 'r1', Date.now() + 60_000)).toEqual(new Set());
  });
});

describe('alert candidates', () => {
  test('new and regressed issues come from issue activity since a time', async () => {
    const now = Date.now();
    await insertActivity(db, 7, [
      { issueId: 'old', activityId: 'first_seen', kind: 'first_seen', timestampMs: now - 3_600_000, actor: 'system', data: {} },
      { issueId: 'new', activityId: 'first_seen', kind: 'first_seen', timestampMs: now - 1_000, actor: 'system', data: {} },
      { issueId: 'new', activityId: 'regression:1', kind: 'regression', timestampMs: now - 500, actor: 'system', data: {} },
      { issueId: 'new', activityId: 'regression:2', kind: 'regression', timestampMs: now - 100, actor: 'system', data: {} },
    ]);
    expect(await activityCandidates(db, 7, 'first_seen', now - 60_000)).toEqual([{ issueId: 'new', dedupeKey: 'new_issue:new' }]);
    expect((await activityCandidates(db, 7, 'regression', now - 60_000)).map((c) => c.dedupeKey)).toEqual([
      'regression:new:regression:1',
      'regression:new:regression:2',
    ]);
    expect(await activityCandidates(db, 8, 'first_seen', now - 60_000)).toEqual([]);
  });

  test('a spike is counted exactly within the window, with environment and level filters', async () => {
    const now = Date.now();
    const event = (issueId: string, agoMs: number, level = 'error', environment = 'prod') => ({
      ProjectId: 9,
      Timestamp: millisToDateTime64(now - agoMs),
      EventId: `${issueId}-${agoMs}-${level}-${environment}`,
      IssueId: issueId,
      Level: level,
      Environment: environment,
    });
    await db.insert('error_events', [
      ...[1, 2, 3, 4].map((i) => event('hot', i * 1_000)),
      event('hot', 20 * 60_000),
      event('warm', 1_000),
      event('warm', 2_000),
      event('warm', 30 * 60_000),
      event('warm', 31 * 60_000),
      ...[1, 2, 3].map((i) => event('staging', i * 1_000, 'error', 'staging')),
      ...[1, 2, 3].map((i) => event('warnings', i * 1_000, 'warning')),
    ]);
    const spikes = (threshold: number, environment = '', level = '') => spikingIssues(db, { projectId: 9, threshold, windowMinutes: 5, environment, level, nowMs: now });
    expect(await spikes(3)).toEqual(new Map([['hot', 4], ['staging', 3], ['warnings', 3]]));
    expect(await spikes(4)).toEqual(new Map([['hot', 4]]));
    expect(await spikes(3, 'prod')).toEqual(new Map([['hot', 4], ['warnings', 3]]));
    expect(await spikes(3, 'prod', 'error')).toEqual(new Map([['hot', 4]]));
    expect(await spikes(100)).toEqual(new Map());
  });
});
