import { activityPage, getIssue, insertErrorEvents, listIssues, setIssueStatus, type StatusChange } from '@faultline/storage';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeSpan } from '../../../storage/src/testing/make-span.ts';
import { openTempDatabase } from '../../../storage/src/testing/temp-database.ts';
import { errorsFromSpan } from './extract-otlp.ts';
import { prepareErrors } from './pipeline.ts';
import { IssueTracker } from './tracker.ts';

const PROJECT = 1;
let temp: Awaited<ReturnType<typeof openTempDatabase>>;
beforeAll(async () => {
  temp = await openTempDatabase();
});
afterAll(async () => temp.cleanup());

let spanCounter = 0;
/** Stores one error event of the issue named by `type` (as the collector does) and runs the tracker over it. */
async function sendError(type: string, user: string): Promise<string> {
  spanCounter++;
  const span = makeSpan({ spanId: spanCounter.toString(16).padStart(16, '0'), attributes: { 'user.id': user } });
  span.events = [{ timeUnixNano: span.startTimeUnixNano, name: 'exception', attributes: { 'exception.type': type, 'exception.message': 'boom' }, droppedAttributesCount: 0 }];
  const { rows, refs } = prepareErrors(PROJECT, errorsFromSpan(span));
  await insertErrorEvents(temp.db, rows);
  const tracker = new IssueTracker(temp.db, (err) => {
    throw err;
  });
  tracker.track(PROJECT, refs);
  await tracker.flush();
  return refs[0]?.issueId ?? '';
}

async function ignore(issueId: string, change: Omit<StatusChange, 'status'>): Promise<void> {
  await setIssueStatus(temp.db, PROJECT, issueId, { status: 'ignored', ...change }, 'token:1');
}

async function status(issueId: string): Promise<string | undefined> {
  return (await getIssue(temp.db, PROJECT, issueId))?.status;
}

async function unignoredWith(issueId: string): Promise<Array<Record<string, unknown>>> {
  // oldest first, as the assertions read them
  const { activity } = await activityPage(temp.db, PROJECT, issueId, 1000);
  return activity.filter((a) => a.kind === 'unignored').map((a) => a.data).reverse();
}

describe('an ignored issue comes back', () => {
  test('when it reaches its event count, not before', async () => {
    const id = await sendError('CountError', 'u1');
    await ignore(id, { ignoreUntilEvents: 3 });
    await sendError('CountError', 'u1');
    expect(await status(id)).toBe('ignored');
    await sendError('CountError', 'u1');
    expect(await status(id)).toBe('unresolved');
    expect(await unignoredWith(id)).toEqual([{ events: 3 }]);
  });

  test('when it has affected that many users, however many events the same user sends', async () => {
    const id = await sendError('UserError', 'a');
    await ignore(id, { ignoreUntilUsers: 2 });
    await sendError('UserError', 'a');
    await sendError('UserError', 'a');
    expect(await status(id)).toBe('ignored');
    expect((await getIssue(temp.db, PROJECT, id))?.ignoreUntilUsers).toBe(2);
    await sendError('UserError', 'b');
    expect(await status(id)).toBe('unresolved');
    expect(await unignoredWith(id)).toEqual([{ users: 2 }]);
  });

  test('when its time is over: readers see it unresolved at once, the next event records why', async () => {
    const id = await sendError('TimeError', 'u1');
    const untilMs = Date.now() + 1_500;
    await ignore(id, { ignoreUntilMs: untilMs });
    const ignored = await getIssue(temp.db, PROJECT, id);
    expect(ignored?.status).toBe('ignored');
    expect(Date.parse(ignored?.ignoreUntil ?? '')).toBe(untilMs);
    // An event inside the window keeps it ignored.
    await sendError('TimeError', 'u1');
    expect(await status(id)).toBe('ignored');
    expect((await listIssues(temp.db, { projectId: PROJECT, status: 'ignored', sort: 'lastSeen', limit: 50 })).map((i) => i.id)).toContain(id);

    await new Promise((r) => setTimeout(r, untilMs - Date.now() + 50));
    const after = await getIssue(temp.db, PROJECT, id);
    expect(after).toMatchObject({ status: 'unresolved', ignoreUntil: '' });
    // The status filter agrees with the status shown.
    expect((await listIssues(temp.db, { projectId: PROJECT, status: 'unresolved', sort: 'lastSeen', limit: 50 })).map((i) => i.id)).toContain(id);
    expect((await listIssues(temp.db, { projectId: PROJECT, status: 'ignored', sort: 'lastSeen', limit: 50 })).map((i) => i.id)).not.toContain(id);
    expect(await unignoredWith(id)).toEqual([]);
    await sendError('TimeError', 'u1');
    expect(await unignoredWith(id)).toEqual([{ untilMs }]);
  });

  test('an ignore without limits holds', async () => {
    const id = await sendError('ForeverError', 'u1');
    await ignore(id, {});
    for (const user of ['a', 'b', 'c']) await sendError('ForeverError', user);
    expect(await getIssue(temp.db, PROJECT, id)).toMatchObject({ status: 'ignored', ignoreUntil: '', ignoreUntilEvents: 0, ignoreUntilUsers: 0 });
  });
});
