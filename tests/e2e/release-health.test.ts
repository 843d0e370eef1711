import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { postOtlpJson } from '../otlp-client.ts';

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

/** An error event of `release` by `user` (Sentry envelope). */
const errorOf = (release: string, user: string) =>
  [
    { type: 'event' },
    {
      event_id: randomBytes(16).toString('hex'),
      release,
      user: { id: user },
      exception: {
        values: [{ type: 'Error', value: `handled in ${release}` }],
      },
    },
  ] as [Record<string, unknown>, unknown];

/** SERVER spans of `release`, one per user (what an OTel app with user.id attributes sends). */
async function spansOf(release: string, users: string[]): Promise<void> {
  const start = BigInt(Date.now() - 60_000) * 1_000_000n;
  const spans = users.map((u) => ({
    traceId: randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    name: 'GET /x',
    kind: 2,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + 5_000_000n),
    attributes: [{ key: 'user.id', value: { stringValue: u } }],
  }));
  const attributes = [
    { key: 'service.name', value: { stringValue: release.split('@')[0] } },
    { key: 'service.version', value: { stringValue: release } },
  ];
  await postOtlpJson(fl, '/v1/traces', {
    resourceSpans: [{ resource: { attributes }, scopeSpans: [{ spans }] }],
  });
}

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
    expect(stats).toMatchObject({
      sessions: 3,
      crashedSessions: 1,
      unhandledSessions: 1,
      sessionUsers: 3,
    });
    expect(stats.crashFreeSessions).toBeCloseTo(2 / 3);
    expect(stats.crashFreeUsers).toBeCloseTo(2 / 3);
  });

  test("a server's aggregate counts unhandled sessions as unhealthy", async () => {
    const res = await envelope([
      [
        { type: 'sessions' },
        {
          aggregates: [{ started, exited: 6, unhandled: 2 }],
          attrs: { release: 'worker@1.0.0' },
        },
      ],
    ]);
    expect(res.status).toBe(200);
    const stats = await release('worker@1.0.0', (s) => s.sessions === 8);
    expect(stats).toMatchObject({
      crashedSessions: 2,
      unhandledSessions: 2,
      crashFreeSessions: 0.75,
    });
  });

  test('sessions without users give no crash-free users figure instead of one made of handled errors', async () => {
    // A Node server: request sessions aggregated without `did`, two handled errors by two of four users.
    await spansOf('api@1.0.0', ['p1', 'p2', 'p3', 'p4']);
    const res = await envelope([
      [
        { type: 'sessions' },
        {
          aggregates: [{ started, exited: 8, errored: 2, crashed: 0 }],
          attrs: { release: 'api@1.0.0' },
        },
      ],
      errorOf('api@1.0.0', 'p1'),
      errorOf('api@1.0.0', 'p2'),
    ]);
    expect(res.status).toBe(200);
    const stats = await release('api@1.0.0', (s) => s.sessions === 10 && s.errorEvents === 2);
    expect(stats).toMatchObject({
      crashFreeSessions: 1,
      sessionUsers: 0,
      crashFreeUsers: null,
    });

    // Without any sessions the figure stays "users without errors" from spans and error events.
    await spansOf('jobs@1.0.0', ['j1', 'j2', 'j3', 'j4']);
    await envelope([errorOf('jobs@1.0.0', 'j1')]);
    const otel = await release('jobs@1.0.0', (s) => s.errorEvents === 1 && s.crashFreeUsers !== null);
    expect(otel.sessions).toBe(0);
    expect(otel.crashFreeUsers).toBeCloseTo(0.75);
  });
});
