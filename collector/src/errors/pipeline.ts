import { createHash } from 'node:crypto';
import type { ErrorEvent } from '@faultline/proto';
import { errorEventRow, type EventGrouping } from '@faultline/storage';
import { groupingKey } from './grouping.ts';
import { issueTitle } from './titles.ts';

/** Issue ids are derived from project + fingerprint, so every collector instance and restart agrees. */
export function issueIdFor(projectId: number, fingerprint: string): string {
  return createHash('sha256').update(`${projectId}:${fingerprint}`).digest('hex').slice(0, 16);
}

export function groupEvent(projectId: number, event: ErrorEvent): EventGrouping {
  const key = groupingKey(event);
  const title = issueTitle(event);
  return {
    issueId: issueIdFor(projectId, key.fingerprint),
    fingerprint: key.fingerprint,
    strategy: key.strategy,
    title: title.title,
    culprit: title.culprit,
    type: title.type,
    value: title.value,
  };
}

/** What the issue tracker needs to know about each stored event. */
export interface StoredEventRef {
  issueId: string;
  timeUnixNano: bigint;
  release: string;
}

export interface PreparedErrors {
  rows: Record<string, unknown>[];
  refs: StoredEventRef[];
}

export function prepareErrors(projectId: number, events: readonly ErrorEvent[]): PreparedErrors {
  const rows: Record<string, unknown>[] = [];
  const refs: StoredEventRef[] = [];
  for (const event of events) {
    const grouping = groupEvent(projectId, event);
    rows.push(errorEventRow(projectId, event, grouping));
    refs.push({ issueId: grouping.issueId, timeUnixNano: event.timeUnixNano, release: event.release });
  }
  return { rows, refs };
}
