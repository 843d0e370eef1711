import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, startFaultline, type Faultline } from '../harness.ts';

const run = promisify(execFile);
let fl: Faultline;
beforeAll(async () => {
  fl = await startFaultline();
});
afterAll(async () => fl.stop());

interface ApiEvent {
  issueId: string;
  request: { method: string; url: string; queryString: string; headers: Record<string, string>; data: unknown } | null;
  extra: Record<string, unknown>;
  modules: Record<string, string>;
}

const FILTERED = '[Filtered]';

const eventOf = (eventId: string) =>
  eventually(async () => {
    const res = await fl.get(`/api/v1/projects/default/events/${eventId}`);
    return res.status === 200 ? (res.body as ApiEvent) : null;
  });

const post = (items: Array<{ type: string; payload: unknown }>) =>
  fetch(`${fl.otlpHttp}/api/1/envelope/?sentry_key=${fl.key}`, {
    method: 'POST',
    body: `{}\n${items.map((i) => `{"type":"${i.type}"}\n${JSON.stringify(i.payload)}`).join('\n')}\n`,
  });

describe('Sentry request, extra and modules', () => {
  test("a real @sentry/node server's error keeps its HTTP request, extra data (a thrown object's too) and modules", async () => {
    const dsn = `http://${fl.key}@${fl.otlpHttp.replace('http://', '')}/1`;
    const { stdout } = await run(process.execPath, [join(import.meta.dirname, '..', 'fixtures', 'sentry-http-app.ts'), dsn], {
      timeout: 60_000,
    });
    const ids = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { eventId: string; objectEventId: string };
    const event = await eventOf(ids.eventId);
    expect(event.request).toMatchObject({ method: 'POST', queryString: `page=2&token=${FILTERED}` });
    expect(event.request?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/orders\/17$/);
    expect(event.request?.headers.cookie).toBeUndefined();
    expect(event.request?.headers).toMatchObject({
      authorization: FILTERED,
      'x-api-key': FILTERED,
      'user-agent': 'curl/8.5.0',
      'x-request-id': 'req-9',
    });
    // The SDK does not filter extra: the collector does.
    expect(event.extra).toEqual({ note: 'keep me', login: { user: 'ada', password: FILTERED } });
    expect(event.modules['@sentry/node']).toMatch(/11\./);
    const thrown = await eventOf(ids.objectEventId);
    expect(thrown.extra.__serialized__).toEqual({ code: 'E_LIMIT', reason: 'over the limit' });
  });

  test('credentials an SDK did not filter are scrubbed before storage; a browser event keeps its page and user agent', async () => {
    const raw = 'e'.repeat(32);
    const browser = 'f'.repeat(32);
    const res = await post([
      {
        type: 'event',
        payload: {
          event_id: raw,
          message: 'raw request',
          request: {
            method: 'GET',
            url: 'https://api.example.com/reset?email=a%40b.c&token=t0ps3cret',
            headers: {
              Authorization: 'Basic YWRhOmh1bnRlcjI=',
              Cookie: 'sid=abc',
              'Set-Cookie': 'sid=abc; HttpOnly',
              'X-Api-Key': 'k-1',
              Accept: 'text/html',
            },
            cookies: { sid: 'abc' },
            data: '{"password":"hunter2","remember":true}',
          },
          extra: { db: 'postgres://app:pw@db:5432/shop', api_key: 'k' },
        },
      },
      {
        type: 'event',
        payload: {
          event_id: browser,
          platform: 'javascript',
          exception: { values: [{ type: 'TypeError', value: 'x is undefined' }] },
          request: { url: 'https://shop.example.com/cart?coupon=SPRING', headers: { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64)' } },
        },
      },
    ]);
    expect(res.status).toBe(200);
    const event = await eventOf(raw);
    expect(event.request).toEqual({
      method: 'GET',
      url: 'https://api.example.com/reset',
      queryString: `email=a%40b.c&token=${FILTERED}`,
      // cookie headers are never kept (credentials, scrubbing on or off)
      headers: { Authorization: FILTERED, 'X-Api-Key': FILTERED, Accept: 'text/html' },
      data: { password: FILTERED, remember: true },
    });
    expect(JSON.stringify(event)).not.toContain('hunter2');
    expect(event.extra).toEqual({ db: `postgres://${FILTERED}@db:5432/shop`, api_key: FILTERED });
    const page = await eventOf(browser);
    expect(page.request).toEqual({
      method: '',
      url: 'https://shop.example.com/cart',
      queryString: 'coupon=SPRING',
      headers: { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64)' },
      data: null,
    });
    expect(page.extra).toEqual({});
  });

  test('feedback without a url of its own takes the page from its request.url', async () => {
    const id = 'd'.repeat(32);
    const res = await post([
      {
        type: 'feedback',
        payload: {
          event_id: id,
          contexts: { feedback: { message: 'The pay button does nothing' } },
          request: { url: 'https://shop.example.com/pay' },
        },
      },
    ]);
    expect(res.status).toBe(200);
    const entry = await eventually(async () => {
      const list = ((await fl.get('/api/v1/projects/default/feedback')).body as { feedback: Array<{ id: string; url: string }> }).feedback;
      return list.find((f) => f.id === id) ?? null;
    });
    expect(entry.url).toBe('https://shop.example.com/pay');
  });
});
