import { compareReleases, insertActivity, issueCounters, issueStates, parseResolution, parseSemver, releaseFirstSeen, setIssueStatus, type ActivityRow, type Database, type IssueCounter, type IssueState } from '@faultline/storage';
import type { StoredEventRef } from './pipeline.ts';


/** How long stored events gather before one round of workflow queries covers them all, ms. */
const COALESCE_MS = 1_000;
/** Issues whose first-seen fact this process already recorded (or saw recorded), newest last. */
const KNOWN_ISSUES_MAX = 50_000;

/**
 * Runs after error events are durable: records new issues, reopens resolved issues that regressed and
 * ignored issues whose ignore ended (by event count, affected users or time). Every fact gets a deterministic
 * activity id, so collectors racing on the same issue write one row, not two.
 *
 * Requests hand their events to `track`; events of many requests are checked together (two queries per
 * project per round instead of two per request, which under load cost more than the inserts themselves).
 */
export class IssueTracker {
  private readonly db: Database;
  private readonly onError: (err: unknown) => void;
  private pending = new Map<number, StoredEventRef[]>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly known = new Set<string>();

  constructor(db: Database, onError: (err: unknown) => void = () => undefined) {
    this.db = db;
    this.onError = onError;
  }

  /** Queues stored events for the next round (at most COALESCE_MS away). */
  track(projectId: number, refs: readonly StoredEventRef[]): void {
    if (refs.length === 0) return;
    const list = this.pending.get(projectId) ?? [];
    list.push(...refs);
    this.pending.set(projectId, list);
    if (this.timer === null && this.running === null) this.timer = setTimeout(() => void this.round(), COALESCE_MS);
  }

  /** Checks everything queued now (used on shutdown). */
  async flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.running) await this.running;
    if (this.pending.size > 0) await this.round();
  }

  private async round(): Promise<void> {
    this.timer = null;
    const batch = this.pending;
    this.pending = new Map();
    const run = (async () => {
      for (const [projectId, refs] of batch) await this.afterInsert(projectId, refs).catch(this.onError);
    })();
    this.running = run;
    await run;
    this.running = null;
    if (this.pending.size > 0 && this.timer === null) this.timer = setTimeout(() => void this.round(), COALESCE_MS);
  }

  private async afterInsert(projectId: number, refs: readonly StoredEventRef[]): Promise<void> {
    if (refs.length === 0) return;
    const byIssue = new Map<string, StoredEventRef[]>();
    for (const ref of refs) {
      const list = byIssue.get(ref.issueId) ?? [];
      list.push(ref);
      byIssue.set(ref.issueId, list);
    }
    const ids = [...byIssue.keys()];
    // Under load every query waits behind the inserts, so issue counters are read only when they can matter:
    // for issues this process has not seen yet (first seen?) and for ignored ones waiting for a count.
    const states = await issueStates(this.db, projectId, ids);
    const needCounts = ids.filter((id) => {
      const state = states.get(id);
      return !this.known.has(`${projectId}:${id}`) || (state?.status === 'ignored' && (state.ignoreUntilEvents > 0 || state.ignoreUntilUsers > 0));
    });
    const counters = await issueCounters(this.db, projectId, needCounts);
    const activities: ActivityRow[] = [];
    for (const [issueId, events] of byIssue) {
      const earliest = events.reduce((min, e) => (e.timeUnixNano < min ? e.timeUnixNano : min), events[0]?.timeUnixNano ?? 0n);
      const counter = counters.get(issueId);
      if (counter && !this.known.has(`${projectId}:${issueId}`) && BigInt(counter.firstSeenNs) === earliest) {
        const ms = Number(earliest / 1_000_000n);
        activities.push({ issueId, activityId: 'first_seen', kind: 'first_seen', timestampMs: ms, actor: 'system', data: { release: events[0]?.release ?? '' } });
      }
      const state = states.get(issueId);
      if (state) await this.applyWorkflow(projectId, issueId, state, events, counter);
    }
    if (activities.length > 0) await insertActivity(this.db, projectId, activities);
    for (const id of ids) this.remember(`${projectId}:${id}`);
  }

  private remember(key: string): void {
    this.known.delete(key);
    this.known.add(key);
    if (this.known.size > KNOWN_ISSUES_MAX) {
      const oldest = this.known.values().next();
      if (!oldest.done) this.known.delete(oldest.value);
    }
  }

  private async applyWorkflow(projectId: number, issueId: string, state: IssueState, events: StoredEventRef[], counter: IssueCounter | undefined): Promise<void> {
    if (state.status === 'ignored') {
      const why = ignoreEnded(state, counter);
      // Reopening keeps whoever owns the issue.
      if (why) await setIssueStatus(this.db, projectId, issueId, { status: 'unresolved', assignee: state.assignee }, 'system', { kind: 'unignored', activityId: `unignored:${state.version}`, data: why });
      return;
    }
    if (state.status !== 'resolved') return;
    const after = events.filter((e) => Number(e.timeUnixNano / 1_000_000n) > state.changedAtMs);
    const regressing = await this.firstRegressing(projectId, state, after);
    if (regressing) {
      await setIssueStatus(this.db, projectId, issueId, { status: 'unresolved', assignee: state.assignee }, 'system', {
        kind: 'regression',
        activityId: `regression:${state.version}`,
        data: { release: regressing.release, resolvedInRelease: state.resolvedInRelease },
      });
    }
  }

  /** An event regresses when it is newer than the resolution and its release is not older than the resolving one. */
  private async firstRegressing(projectId: number, state: IssueState, events: StoredEventRef[]): Promise<StoredEventRef | null> {
    if (events.length === 0) return null;
    if (state.resolvedInRelease === '') return events[0] ?? null;
    const withRelease = events.filter((e) => e.release !== '');
    if (withRelease.length === 0) return null;
    const { release: base, next } = parseResolution(state.resolvedInRelease);
    const firstSeen = await releaseFirstSeen(this.db, projectId, [base, ...new Set(withRelease.map((e) => e.release))]);
    const regresses = (release: string): boolean => {
      const order = compareReleases(release, base, firstSeen);
      if (!next) return order >= 0;
      // "Next release": only newer ones regress. An order that cannot be told (a release not semver, without a
      // first-seen time yet) errs toward a regression, as the plain rule does — it is the new deploy to catch.
      const unordered = order === 0 && release !== base && !(parseSemver(release) && parseSemver(base));
      return order > 0 || unordered;
    };
    return withRelease.find((e) => regresses(e.release)) ?? null;
  }
}

/** Why an ignored issue comes back with this round's events, or null while the ignore holds. */
function ignoreEnded(state: IssueState, counter: IssueCounter | undefined): Record<string, number> | null {
  if (state.ignoreUntilEvents > 0 && counter && counter.events >= state.ignoreUntilEvents) return { events: counter.events };
  if (state.ignoreUntilUsers > 0 && counter && counter.users >= state.ignoreUntilUsers) return { users: counter.users };
  if (state.ignoreUntilMs > 0 && Date.now() >= state.ignoreUntilMs) return { untilMs: state.ignoreUntilMs };
  return null;
}
