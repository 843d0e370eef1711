import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, startFaultline, type Faultline } from '../harness.ts';

let fl: Faultline;
const started = new Date(Date.now() - 5 * 60_000).toISOString();

/** Posts one envelope of `items` ([header, payload] pairs) the way the Sentry SDKs do. */
async function envelope(items: Array<[Record<string, unknown>, unknown]>): Promise<Response> {
  const body = ['{}', ...items.flatMap(([h, p]) => [JSON.stringify(h), JSON.stringify(p)])].join('\n') + '\n';
  return fetch(`${fl.otlpHttp}/api/1/envelope/`, {
    method: 'POST',
    headers: { 'x-sentry-auth': `Sentry sentry_version=7, sentry_key=${fl.key}` },
    body,
  });
}

const session = (sid: string, did: string, status: string, init: boolean, release = 'web@2.0.0') =>
  [
    { type: 'session' },
    { sid, did, init, started, status, errors: status === 'ok' || status === 'exited' ? 0 : 1, attrs: { release } },
  ] as [Record<string, unknown>, unknown];

interface Stats {
  sessions: number;
  crashedSessions: number;
  unhandledSessions: number;
  crashFreeSessions: number | null;
  sessionUsers: number;
  crashFreeUsers: number | null;
  errorEvents: number;
}

/** The release's figures once `ready` holds for them. */
const release = (version: string, ready: (s: Stats) => boolean) =>
  eventually(async () => {
    const res = await fl.get(`/api/v1/projects/default/releases/${encodeURIComponent(version)}`);
    return res.status === 200 && ready(res.body as Stats) ? (res.body as Stats) : null;
  });

beforeAll(async () => {
  fl = await startFaultline();
});
afterAll(async () => fl.stop());

describe('release health from Sentry sessions', () => {
  test('a browser session that saw an unhandled error (status "unhandled") is accepted and lowers both crash-free rates', async () => {
    const a = 'a'.repeat(32);
    const b = 'b'.repeat(32);
    const c = 'c'.repeat(32);
    // What @sentry/browser 10+ sends: the page session starts ok, then an uncaught error marks it unhandled.
    const res = await envelope([session(a, 'u1', 'ok', true), session(b, 'u2', 'ok', true), session(c, 'u3', 'ok', true)]);
    expect(res.status).toBe(200);
    const unhandled = await envelope([session(a, 'u1', 'unhandled', false)]);
    expect(unhandled.status).toBe(200);
    // A status from a future SDK keeps its session (counted as errored: unhealthy, no crash).
    expect((await envelope([session(c, 'u3', 'frozen', false)])).status).toBe(200);
    expect((await envelope([session(b, 'u2', 'exited', false)])).status).toBe(200);
    const stats = await release('web@2.0.0', (s) => s.sessions === 3 && s.crashedSessions === 1);
    expect(stats).toMatchObject({ sessions: 3, crashedSessions: 1, unhandledSessions: 1, sessionUsers: 3 });
    expect(stats.crashFreeSessions).toBeCloseTo(2 / 3);
    expect(stats.crashFreeUsers).toBeCloseTo(2 / 3);
  });

  test("a server's aggregate counts unhandled sessions as unhealthy", async () => {
    const res = await envelope([
      [{ type: 'sessions' }, { aggregates: [{ started, exited: 6, unhandled: 2 }], attrs: { release: 'worker@1.0.0' } }],
    ]);
    expect(res.status).toBe(200);
    const stats = await release('worker@1.0.0', (s) => s.sessions === 8);
    expect(stats).toMatchObject({ crashedSessions: 2, unhandledSessions: 2, crashFreeSessions: 0.75 });
  });
});
