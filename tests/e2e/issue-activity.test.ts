import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { nodeStack, sendException } from '../otlp-client.ts';

// A cap of three notes, so the test reaches it; the activity pages are asked for in small sizes for the same reason.
let fl: Faultline;
let base = '';
beforeAll(async () => {
  fl = await startFaultline({ FAULTLINE_MAX_NOTES_PER_ISSUE: '3' });
  await sendException(fl, { service: 'notes', type: 'NoteError', message: 'busy issue', stack: nodeStack('NoteError', 'busy issue', 'work', 'src/work.js', 4) });
  const id = await eventually(async () => {
    const { issues } = (await fl.get('/api/v1/projects/default/issues?status=all')).body as { issues: Array<{ id: string }> };
    return issues[0]?.id;
  });
  base = `/api/v1/projects/default/issues/${id}`;
  // the tracker records first_seen after the event is stored
  await eventually(async () => (((await fl.get(base)).body as { activityTotal: number }).activityTotal === 1 ? true : null));
});
afterAll(async () => fl.stop());

interface Entry {
  id: string;
  kind: string;
  data: { text?: string };
}

async function send(method: string, path: string, body: unknown): Promise<{ status: number; body: { error?: { code: string; message: string } } }> {
  const res = await fetch(`${fl.api}${path}`, { method, headers: { authorization: `Bearer ${fl.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

describe('issue activity bounds', () => {
  test('an issue keeps at most FAULTLINE_MAX_NOTES_PER_ISSUE notes: the next is a 409 naming the limit and the setting', async () => {
    for (const text of ['one', 'two', 'three']) expect((await send('POST', `${base}/comments`, { text })).status).toBe(201);
    const over = await send('POST', `${base}/comments`, { text: 'four' });
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: 'limit_reached' });
    expect(over.body.error?.message).toMatch(/at most 3 notes .*raise FAULTLINE_MAX_NOTES_PER_ISSUE/);
    // the refused note is not stored, and the cap is on notes only: the workflow still records its changes
    expect((await send('PATCH', base, { status: 'resolved' })).status).toBe(200);
    expect((await send('PATCH', base, { status: 'unresolved' })).status).toBe(200);
    const detail = (await fl.get(base)).body as { activity: Entry[]; activityTotal: number };
    expect(detail.activity.filter((a) => a.kind === 'note').map((a) => a.data.text)).toEqual(['one', 'two', 'three']);
    expect(detail.activityTotal).toBe(6);
  });

  test('the issue answers its newest activity (oldest of them first) with the total; …/activity pages on to the oldest', async () => {
    const full = (await fl.get(base)).body as { activity: Entry[]; activityTotal: number; activityNextCursor: string | null };
    expect(full.activity.map((a) => a.kind)).toEqual(['first_seen', 'note', 'note', 'note', 'status_change', 'status_change']);
    expect(full.activityNextCursor).toBeNull();

    const recent = (await fl.get(`${base}?activityLimit=2`)).body as typeof full;
    expect(recent.activity.map((a) => a.id)).toEqual(full.activity.slice(-2).map((a) => a.id));
    expect(recent.activityTotal).toBe(6);
    expect(recent.activityNextCursor).toEqual(expect.any(String));

    const older: Entry[] = [];
    let cursor = recent.activityNextCursor;
    while (cursor !== null && older.length < 10) {
      const page = (await fl.get(`${base}/activity?limit=3&cursor=${encodeURIComponent(cursor)}`)).body as { activity: Entry[]; total: number; nextCursor: string | null };
      expect(page.total).toBe(6);
      older.push(...page.activity);
      cursor = page.nextCursor;
    }
    // newest first, each entry once, down to first_seen
    expect(older.map((a) => a.id)).toEqual(full.activity.slice(0, 4).reverse().map((a) => a.id));
    const firstPage = (await fl.get(`${base}/activity`)).body as { activity: Entry[]; nextCursor: string | null };
    expect(firstPage.activity.map((a) => a.id)).toEqual([...full.activity].reverse().map((a) => a.id));
    expect(firstPage.nextCursor).toBeNull();
  });

  test('limits and cursors are checked', async () => {
    for (const path of [`${base}?activityLimit=1001`, `${base}?activityLimit=0`, `${base}/activity?limit=1001`, `${base}/activity?cursor=nope`]) {
      const res = await fl.get(path);
      expect(res.status, path).toBe(400);
    }
    expect(((await fl.get(`${base}/activity?cursor=nope`)).body as { error: { message: string } }).error.message).toContain('query parameter "cursor"');
    expect((await fl.get(`${base}?activityLimit=1000`)).status).toBe(200);
  });
});
