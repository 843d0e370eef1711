import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, startFaultline, type Faultline } from '../harness.ts';

const run = promisify(execFile);
let fl: Faultline;
beforeAll(async () => {
  fl = await startFaultline();
});
afterAll(async () => fl.stop());

const dsn = () => `http://${fl.key}@${fl.otlpHttp.replace('http://', '')}/1`;

interface ApiEvent {
  eventId: string;
  issueId: string;
  release: string;
  environment: string;
  traceId: string;
  spanId: string;
  user: { id: string; email: string };
  tags: Record<string, string>;
  breadcrumbs: Array<{ category: string; message: string; timestamp: string; timestampMs: number }>;
  exception: { values: Array<{ type: string; value: string; stacktrace: { frames: Array<{ function: string; inApp: boolean; filename: string }> } }> };
  grouping: { strategy: string; hash: string };
}

describe('a real @sentry/node app', () => {
  test('its exception becomes an issue with frames, breadcrumbs, release, user and a linked trace', async () => {
    const { stdout } = await run(process.execPath, [join(import.meta.dirname, '..', 'fixtures', 'sentry-app.ts'), dsn()], { timeout: 60_000 });
    const { eventId, traceId } = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { eventId: string; traceId: string };
    expect(eventId).toMatch(/^[0-9a-f]{32}$/);
    const event = await eventually(async () => {
      const res = await fl.get(`/api/v1/projects/default/events/${eventId}`);
      return res.status === 200 ? (res.body as ApiEvent) : null;
    });
    expect(event.release).toBe('shop@2.3.1');
    expect(event.environment).toBe('staging');
    expect(event.user.id).toBe('user-42');
    expect(event.tags.region).toBe('eu-west');
    expect(event.breadcrumbs.map((b) => b.message)).toEqual(expect.arrayContaining(['user signed in', 'added item 17']));
    // Coarse times are ISO strings in answers, as the contract says (the milliseconds stay for sorting).
    for (const b of event.breadcrumbs) expect(b.timestamp).toBe(new Date(b.timestampMs).toISOString());
    const exception = event.exception.values.at(-1);
    expect(exception?.type).toBe('RangeError');
    expect(exception?.value).toBe('amount 1200 exceeds the card limit');
    const frames = exception?.stacktrace.frames ?? [];
    expect(frames.at(-1)?.function).toBe('chargeCard');
    expect(frames.at(-1)?.inApp).toBe(true);
    expect(event.traceId).toBe(traceId);
    // Why it joined its issue: the in-app frames of its stack, hashed.
    expect(event.grouping).toEqual({ strategy: 'in_app', hash: expect.stringMatching(/^[0-9a-f]{32}$/) as string });

    const issue = await fl.get(`/api/v1/projects/default/issues/${event.issueId}`);
    expect(issue.body).toMatchObject({ title: 'RangeError: amount 1200 exceeds the card limit', count: 1, userCount: 1, firstRelease: 'shop@2.3.1' });
    // Issue search by the tags of its events: an SDK tag and a column shown as a tag, all of them on one event.
    const byTags = async (qs: string) =>
      ((await fl.get(`/api/v1/projects/default/issues?status=all&${qs}`)).body as { issues: Array<{ id: string }> }).issues.map((i) => i.id);
    expect(await byTags('tag.region=eu-west')).toEqual([event.issueId]);
    expect(await byTags('tag.region=eu-west&tag.environment=staging')).toEqual([event.issueId]);
    expect(await byTags('tag.region=eu-west&tag.environment=production')).toEqual([]);
    expect(await byTags("tag.region=eu-west'%20OR%201=1--")).toEqual([]);
    expect((await fl.get('/api/v1/projects/default/issues?tag.=x')).status).toBe(400);
    // The same in the search box's syntax, as Sentry users type it.
    const search = async (q: string) => byTags(`query=${encodeURIComponent(q)}`);
    expect(await search('region:eu-west')).toEqual([event.issueId]);
    expect(await search('is:unresolved env:staging level:error region:eu-west card limit')).toEqual([event.issueId]);
    expect(await search('is:resolved region:eu-west')).toEqual([]);
    expect(await search('release:"shop@2.3.1" RangeError')).toEqual([event.issueId]);
    expect(await search('region:us-east')).toEqual([]);
    const bad = await fl.get(`/api/v1/projects/default/issues?query=${encodeURIComponent('is:open')}`);
    expect(bad.status).toBe(400);
    expect((bad.body as { error: { message: string } }).error.message).toContain('is:open is not a status');
    // The transaction became spans: the event's trace shows up in the waterfall with the error attached.
    const trace = await eventually(async () => {
      const res = await fl.get(`/api/v1/projects/default/traces/${traceId}`);
      const body = res.body as { spans: Array<{ name: string; spanId: string }>; errors: Array<{ eventId: string; spanId: string }> };
      // the error event is sent before its transaction: until the spans land, the trace answers with the event alone
      return res.status === 200 && body.spans.length === 2 ? body : null;
    });
    expect(trace.spans.map((s) => s.name).sort()).toEqual(['POST /checkout', 'charge']);
    expect(trace.errors).toEqual([{ eventId, issueId: event.issueId, spanId: event.spanId, title: 'RangeError: amount 1200 exceeds the card limit', level: 'error' }]);
    expect(trace.spans.find((s) => s.name === 'charge')?.spanId).toBe(event.spanId);
  });
});

describe('Sentry ingest bad input', () => {
  const post = (path: string, body: string | Uint8Array, headers: Record<string, string> = {}) =>
    fetch(`${fl.otlpHttp}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
  const auth = () => ({ 'x-sentry-auth': `Sentry sentry_version=7, sentry_key=${fl.key}` });

  test('unknown key → 401, other project → 403, bad envelope → 400 with a reason', async () => {
    expect((await post('/api/1/envelope/', '{}\n', { 'x-sentry-auth': 'Sentry sentry_key=nope' })).status).toBe(401);
    // The key is checked before the items are read: without one, a body costs its first line, whatever follows.
    expect((await post('/api/1/store/', 'not json', { 'x-sentry-auth': 'Sentry sentry_key=nope' })).status).toBe(401);
    expect((await post('/api/1/envelope/', '{}\n{"type":"event","length":99999}\n{}\n', { 'x-sentry-auth': 'Sentry sentry_key=nope' })).status).toBe(401);
    expect((await post('/api/2/envelope/', '{}\n{"type":"event"}\n{}\n', auth())).status).toBe(403);
    const bad = await post('/api/1/envelope/', 'not json\n', auth());
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toMatch(/header/i);
    // Counted like OTLP exports; a project id from the path is a label only once a key vouched for it.
    const metrics = await (await fetch(`${fl.otlpHttp}/metrics`)).text();
    const count = (labels: string) => Number(new RegExp(`faultline_ingest_requests_total\\{${labels}\\} (\\d+)`).exec(metrics)?.[1] ?? 0);
    expect(count('signal="sentry",transport="http",project="0",outcome="unauthenticated"')).toBeGreaterThanOrEqual(1);
    expect(count('signal="sentry",transport="http",project="0",outcome="forbidden"')).toBeGreaterThanOrEqual(1);
    expect(count('signal="sentry",transport="http",project="0",outcome="invalid"')).toBeGreaterThanOrEqual(1);
    expect(metrics).not.toMatch(/signal="sentry",transport="http",project="2"/);
  });

  test('a bad item does not lose the good ones; gzip and ?sentry_key work; /store/ too', async () => {
    const good = JSON.stringify({ event_id: 'a'.repeat(32), message: 'store-me', level: 'warning', release: 'x@1.0.0' });
    const envelope = `{"event_id":"${'a'.repeat(32)}"}\n{"type":"event"}\n${good}\n{"type":"event","length":5}\n{bad}\n`;
    const res = await post(`/api/1/envelope/?sentry_key=${fl.key}`, gzipSync(envelope), { 'content-encoding': 'gzip', 'content-type': 'text/plain;charset=UTF-8' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: string }).id).toBe('a'.repeat(32));
    const metrics = await (await fetch(`${fl.otlpHttp}/metrics`)).text();
    expect(metrics).toMatch(/faultline_ingest_requests_total\{signal="sentry",transport="http",project="1",outcome="accepted"\} [1-9]/);
    expect(metrics).toMatch(/faultline_ingest_items_rejected_total\{signal="sentry",transport="http",project="1"\} [1-9]/);
    expect(metrics).toMatch(/faultline_ingest_items_received_total\{signal="sentry",transport="http",project="1"\} [1-9]/);
    await eventually(async () => ((await fl.get(`/api/v1/projects/default/events/${'a'.repeat(32)}`)).status === 200 ? true : null));
    const storeBody = JSON.stringify({ event_id: 'b'.repeat(32), exception: { values: [{ type: 'Error', value: 'from store' }] } });
    expect((await post('/api/1/store/', storeBody, auth())).status).toBe(200);
    const event = await eventually(async () => {
      const res = await fl.get(`/api/v1/projects/default/events/${'b'.repeat(32)}`);
      return res.status === 200 ? (res.body as { issueId: string; grouping: { strategy: string } }) : null;
    });
    expect(event.grouping.strategy).toBe('message');
    // The SDK retries after a lost answer: the same event id is acknowledged again and counted once.
    expect((await post('/api/1/store/', storeBody, auth())).status).toBe(200);
    await post('/api/1/store/', JSON.stringify({ event_id: 'c'.repeat(32), exception: { values: [{ type: 'Error', value: 'from store' }] } }), auth());
    // Requests are stored in order: once c is, the retried b was handled too.
    await eventually(async () => ((await fl.get(`/api/v1/projects/default/events/${'c'.repeat(32)}`)).status === 200 ? true : null));
    const issue = await fl.get(`/api/v1/projects/default/issues/${event.issueId}`);
    expect((issue.body as { count: number }).count).toBe(2);
    // …and listed once among the issue's events
    const events = await fl.get(`/api/v1/projects/default/issues/${event.issueId}/events`);
    expect((events.body as { events: Array<{ eventId: string }> }).events.map((e) => e.eventId).sort()).toEqual(['b'.repeat(32), 'c'.repeat(32)]);
  });

  test('oversize event item is refused with a reason', async () => {
    const huge = JSON.stringify({ message: 'x'.repeat(1_100_000) });
    const res = await post('/api/1/envelope/', `{}\n{"type":"event","length":${huge.length}}\n${huge}\n`, auth());
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/large|size|limit|exceeds/i);
  });

  test('an envelope of more than 1,000 items is refused whole, none of its events stored', async () => {
    const item = (i: number) => `{"type":"event"}\n${JSON.stringify({ event_id: i.toString(16).padStart(32, 'e'), message: `item ${i}` })}\n`;
    const res = await post('/api/1/envelope/', `{}\n${Array.from({ length: 1001 }, (_, i) => item(i)).join('')}`, auth());
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toBe('envelope has more than 1000 items, the limit for one envelope');
    const kept = await post('/api/1/envelope/', `{}\n${item(5000)}`, auth());
    expect(kept.status).toBe(200);
    await eventually(async () => ((await fl.get(`/api/v1/projects/default/events/${(5000).toString(16).padStart(32, 'e')}`)).status === 200 ? true : null));
    expect((await fl.get(`/api/v1/projects/default/events/${(0).toString(16).padStart(32, 'e')}`)).status).toBe(404);
  });
});
