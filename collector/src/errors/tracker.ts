import { compareReleases, insertActivity, issueCounters, issueStates, releaseFirstSeen, setIssueStatus, type ActivityRow, type Database, type IssueState } from '@faultline/storage';
import type { StoredEventRef } from './pipeline.ts';


/**
 * Runs after error events are durable: records new issues, reopens resolved issues that regressed and
 * ignored issues whose event budget ran out. Every fact gets a deterministic activity id, so collectors
 * racing on the same issue write one row, not two.
 */
export class IssueTracker {
  private readonly db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  async afterInsert(projectId: number, refs: readonly StoredEventRef[]): Promise<void> {
    if (refs.length === 0) return;
    const byIssue = new Map<string, StoredEventRef[]>();
    for (const ref of refs) {
      const list = byIssue.get(ref.issueId) ?? [];
      list.push(ref);
      byIssue.set(ref.issueId, list);
    }
    const ids = [...byIssue.keys()];
    const [counters, states] = await Promise.all([issueCounters(this.db, projectId, ids), issueStates(this.db, projectId, ids)]);
    const activities: ActivityRow[] = [];
    for (const [issueId, events] of byIssue) {
      const earliest = events.reduce((min, e) => (e.timeUnixNano < min ? e.timeUnixNano : min), events[0]?.timeUnixNano ?? 0n);
      const counter = counters.get(issueId);
      if (counter && BigInt(counter.firstSeenNs) === earliest) {
        const ms = Number(earliest / 1_000_000n);
        activities.push({ issueId, activityId: 'first_seen', kind: 'first_seen', timestampMs: ms, actor: 'system', data: { release: events[0]?.release ?? '' } });
      }
      const state = states.get(issueId);
      if (state) await this.applyWorkflow(projectId, issueId, state, events, counter?.events ?? 0);
    }
    if (activities.length > 0) await insertActivity(this.db, projectId, activities);
  }

  private async applyWorkflow(projectId: number, issueId: string, state: IssueState, events: StoredEventRef[], totalEvents: number): Promise<void> {
    if (state.status === 'ignored' && state.ignoreUntilEvents > 0 && totalEvents >= state.ignoreUntilEvents) {
      await setIssueStatus(this.db, projectId, issueId, { status: 'unresolved' }, 'system', { kind: 'unignored', activityId: `unignored:${state.version}`, data: { events: totalEvents } });
      return;
    }
    if (state.status !== 'resolved') return;
    const after = events.filter((e) => Number(e.timeUnixNano / 1_000_000n) > state.changedAtMs);
    const regressing = await this.firstRegressing(projectId, state, after);
    if (regressing) {
      await setIssueStatus(this.db, projectId, issueId, { status: 'unresolved' }, 'system', {
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
    const firstSeen = await releaseFirstSeen(this.db, projectId, [state.resolvedInRelease, ...new Set(withRelease.map((e) => e.release))]);
    return withRelease.find((e) => compareReleases(e.release, state.resolvedInRelease, firstSeen) >= 0) ?? null;
  }
}
