import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { nodeStack, sendException } from '../otlp-client.ts';

let fl: Faultline;
beforeAll(async () => {
  fl = await startFaultline();
  // Five issues (one throw site each); the first of them gets four events.
  for (let i = 0; i < 5; i++) {
    const fn = `step${i}`;
    for (let n = 0; n < (i === 0 ? 4 : 1); n++) {
      // step0's events: three in production (two users), the last in staging (a third user)
      const scope = i === 0 ? { environment: n < 3 ? 'production' : 'staging', userId: n < 3 ? `u${String(n % 2)}` : 'u9' } : {};
      await sendException(fl, { service: 'pager', type: 'Error', message: `${fn} broke`, stack: nodeStack('Error', `${fn} broke`, fn, `src/${fn}.js`, 3), ...scope });
    }
  }
  await eventually(async () => {
    const body = (await fl.get('/api/v1/projects/default/issues?status=all&limit=500')).body as { issues: Array<{ count: number }> };
    return body.issues.length === 5 && body.issues.reduce((sum, i) => sum + i.count, 0) === 8 ? true : null;
  });
});
afterAll(async () => fl.stop());

interface Page<T> {
  nextCursor: string | null;
  items: T[];
}

/** Every page of a list, following `nextCursor`. */
async function allPages<T>(path: string, key: string): Promise<Array<Page<T>>> {
  const pages: Array<Page<T>> = [];
  let cursor: string | null = '';
  while (cursor !== null && pages.length < 20) {
    const res = await fl.get(`${path}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status).toBe(200);
    const body = res.body as Record<string, unknown> & { nextCursor: string | null };
    pages.push({ nextCursor: body.nextCursor, items: body[key] as T[] });
    cursor = body.nextCursor;
  }
  return pages;
}

describe('paging issues and their events', () => {
  test('issues page by any sort: every issue once, in order, the last page says so', async () => {
    for (const sort of ['lastSeen', 'events', 'users', 'firstSeen']) {
      const whole = ((await fl.get(`/api/v1/projects/default/issues?status=all&sort=${sort}&limit=500`)).body as { issues: Array<{ id: string }>; nextCursor: null }).issues.map((i) => i.id);
      const pages = await allPages<{ id: string }>(`/api/v1/projects/default/issues?status=all&sort=${sort}&limit=2`, 'issues');
      expect(pages.map((p) => p.items.length)).toEqual([2, 2, 1]);
      expect(pages.flatMap((p) => p.items.map((i) => i.id))).toEqual(whole);
    }
  });

  test('an environment filter scopes the counts to that environment, as Sentry does; the totals stay unfiltered', async () => {
    type Listed = { issues: Array<{ title: string; count: number; userCount: number; lastSeen: string }> };
    const list = async (q: string) => ((await fl.get(`/api/v1/projects/default/issues?status=all&${q}`)).body as Listed).issues;
    const all = await list('sort=events');
    expect(all.map((i) => i.count)).toEqual([4, 1, 1, 1, 1]);
    expect(all[0]?.userCount).toBe(3);
    for (const q of ['environment=staging', 'query=environment%3Astaging']) {
      const staging = await list(q);
      expect(staging.map((i) => [i.title, i.count, i.userCount])).toEqual([['Error: step0 broke', 1, 1]]);
    }
    const production = await list('environment=production');
    expect(production.map((i) => [i.count, i.userCount])).toEqual([[3, 2]]);
    // last seen in production is before the staging event
    expect(Date.parse(production[0]?.lastSeen ?? '')).toBeLessThan(Date.parse(all[0]?.lastSeen ?? ''));
    expect(await list('environment=nowhere')).toEqual([]);
  });

  test('Sentry search keys: event fields, wildcards, has:, times_seen, age; unanswerable keys are a 400', async () => {
    type Listed = { issues: Array<{ id: string; title: string; shortId: string }> };
    const titles = async (q: string) =>
      ((await fl.get(`/api/v1/projects/default/issues?status=all&sort=events&query=${encodeURIComponent(q)}`)).body as Listed).issues.map((i) => i.title);
    const step0 = ['Error: step0 broke'];
    expect(await titles('user.id:u9')).toEqual(step0);
    expect(await titles('user.id:u*')).toEqual(step0);
    expect(await titles('has:user')).toEqual(step0);
    expect(await titles('times_seen:>1')).toEqual(step0);
    expect((await titles('times_seen:<=1')).length).toBe(4);
    expect((await titles('error.type:Error age:-1h')).length).toBe(5);
    expect(await titles('age:+1h')).toEqual([]);
    expect(await titles('message:"step3 broke"')).toEqual(['Error: step3 broke']);
    const refused = await fl.get(`/api/v1/projects/default/issues?query=${encodeURIComponent('error.unhandled:true')}`);
    expect(refused.status).toBe(400);
    expect((refused.body as { error: { message: string } }).error.message).toContain('error.unhandled: is not supported');
  });

  test('a short id or an event id finds its issue, whatever its status; the issue path takes the short id too', async () => {
    type Listed = { issues: Array<{ id: string; shortId: string; latestEvent?: unknown }> };
    const [issue] = ((await fl.get('/api/v1/projects/default/issues?status=all&sort=events&limit=1')).body as Listed).issues;
    if (!issue) throw new Error('no issue');
    const resolve = await fetch(`${fl.api}/api/v1/projects/default/issues/${issue.shortId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${fl.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'resolved' }),
    });
    expect(resolve.status).toBe(200);
    for (const q of [issue.shortId, issue.shortId.toLowerCase()]) {
      const found = ((await fl.get(`/api/v1/projects/default/issues?query=${q}`)).body as Listed).issues;
      expect(found.map((i) => i.id)).toEqual([issue.id]);
    }
    const detail = await fl.get(`/api/v1/projects/default/issues/${issue.shortId}`);
    expect((detail.body as { id: string; status: string })).toMatchObject({ id: issue.id, status: 'resolved' });
    const events = (await fl.get(`/api/v1/projects/default/issues/${issue.shortId}/events?limit=1`)).body as { events: Array<{ eventId: string }> };
    const eventId = events.events[0]?.eventId ?? '';
    expect(((await fl.get(`/api/v1/projects/default/issues?query=${eventId}`)).body as Listed).issues.map((i) => i.id)).toEqual([issue.id]);
    // another project's short id names an issue that is not here: 404, like a foreign id
    expect((await fl.get('/api/v1/projects/default/issues/OTHER-1PUU7C3')).status).toBe(404);
    expect((await fl.get('/api/v1/projects/default/issues/DEFAULT-ZZZZZZ')).status).toBe(404);
  });

  test("an issue's events page newest first without gaps or repeats", async () => {
    const busiest = ((await fl.get('/api/v1/projects/default/issues?status=all&sort=events&limit=1')).body as { issues: Array<{ id: string; count: number }> }).issues[0];
    expect(busiest?.count).toBe(4);
    const pages = await allPages<{ eventId: string; timestamp: string }>(`/api/v1/projects/default/issues/${busiest?.id ?? ''}/events?limit=3`, 'events');
    expect(pages.map((p) => p.items.length)).toEqual([3, 1]);
    const events = pages.flatMap((p) => p.items);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(4);
    const times = events.map((e) => Date.parse(e.timestamp));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  test('an issue that gets an event between pages moves up without repeating or pushing another off the next page', async () => {
    type Listed = { issues: Array<{ id: string; title: string }>; nextCursor: string | null };
    const path = '/api/v1/projects/default/issues?status=all&sort=lastSeen&limit=2';
    const whole = ((await fl.get('/api/v1/projects/default/issues?status=all&sort=lastSeen')).body as Listed).issues;
    const first = (await fl.get(path)).body as Listed;
    expect(first.issues.map((i) => i.id)).toEqual(whole.slice(0, 2).map((i) => i.id));
    // the oldest issue gets a new event: it is now the newest
    const oldest = whole[whole.length - 1];
    const fn = /step\d/.exec(oldest?.title ?? '')?.[0] ?? '';
    await sendException(fl, { service: 'pager', type: 'Error', message: `${fn} broke`, stack: nodeStack('Error', `${fn} broke`, fn, `src/${fn}.js`, 3) });
    await eventually(async () => ((await fl.get('/api/v1/projects/default/issues?status=all&sort=lastSeen&limit=1')).body as Listed).issues[0]?.id === oldest?.id || null);
    const second = (await fl.get(`${path}&cursor=${encodeURIComponent(first.nextCursor ?? '')}`)).body as Listed;
    expect(second.issues.map((i) => i.id)).toEqual(whole.slice(2, 4).map((i) => i.id));
  });

  test('a cursor this API did not return is a 400 naming it', async () => {
    const byLastSeen = (await fl.get('/api/v1/projects/default/issues?status=all&limit=1')).body as { nextCursor: string };
    const crossed = await fl.get(`/api/v1/projects/default/issues?status=all&limit=1&sort=events&cursor=${byLastSeen.nextCursor}`);
    expect(crossed.status).toBe(400);
    expect((crossed.body as { error: { message: string } }).error.message).toContain('query parameter "cursor"');
    const issue = ((await fl.get('/api/v1/projects/default/issues?status=all&limit=1')).body as { issues: Array<{ id: string }> }).issues[0];
    // Well-formed but past Int64: ClickHouse wrapped the time to a negative one (an empty page), now a 400.
    const wrapped = `/issues/${issue?.id ?? ''}/events?cursor=9223372036854775808.${'a'.repeat(32)}`;
    for (const path of [`/issues/${issue?.id ?? ''}/events?cursor=abc`, "/issues?cursor=1'%20OR%201=1", '/issues?cursor=-5', wrapped]) {
      const res = await fl.get(`/api/v1/projects/default${path}`);
      expect(res.status, path).toBe(400);
      expect((res.body as { error: { message: string } }).error.message, path).toContain('query parameter "cursor"');
    }
  });
});
