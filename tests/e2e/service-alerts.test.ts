import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { sendTrace } from '../otlp-client.ts';
import { startReceiver, type Receiver } from '../webhook-receiver.ts';

const PUBLIC_URL = 'https://faultline.example.com';

let fl: Faultline;
let hooks: Receiver;

interface ServicePayload {
  rule: { kind: string };
  resolved?: boolean;
  issue: null;
  service: { name: string; value: number; threshold: number; windowMinutes: number; calls: number; errors: number; p95DurationNano: string; url: string };
  text: string;
}

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${fl.api}/api/v1/projects/default${path}`, {
    method,
    headers: { authorization: `Bearer ${fl.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

const received = (path: string) => (hooks.received.get(path) ?? []) as ServicePayload[];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  hooks = await startReceiver();
  fl = await startFaultline({ FAULTLINE_ALERT_INTERVAL_SECONDS: '1', FAULTLINE_PUBLIC_URL: PUBLIC_URL });
});
afterAll(async () => {
  await fl?.stop();
  hooks?.server.close();
});

describe('service alerts', () => {
  test('a service over its error rate or p95 notifies once per window, with a link to the service at that time', async () => {
    // checkout: 12 calls of 50 ms, 8 failed. quiet: 3 slow calls, fewer than a service needs to be judged.
    for (let i = 0; i < 12; i++) await sendTrace(fl, { spans: 1, service: 'checkout', errorAt: i < 8 ? 0 : -1 });
    for (let i = 0; i < 3; i++) await sendTrace(fl, { spans: 1, service: 'quiet', errorAt: 0 });
    // The rules come once all of it is in the RED figures, so their first evaluation sees all of it.
    await eventually(async () => {
      const services = (await api('GET', '/services')).body.services as Array<{ name: string; calls?: number; requestRate: number }> | undefined;
      const checkout = services?.find((x) => x.name === 'checkout');
      return checkout && Math.round(checkout.requestRate * 3600) === 12 ? true : null;
    });
    const rate = await api('POST', '/alerts', { name: 'checkout failing', kind: 'service_error_rate', threshold: 50, windowMinutes: 5, service: 'checkout', webhookUrl: `${hooks.url}/rate` });
    expect(rate.status, JSON.stringify(rate.body)).toBe(201);
    expect(rate.body).toMatchObject({ kind: 'service_error_rate', threshold: 50, windowMinutes: 5, service: 'checkout', environment: null, level: null });
    const slow = await api('POST', '/alerts', { name: 'slow', kind: 'service_latency_p95', threshold: 40, windowMinutes: 10, webhookUrl: `${hooks.url}/slow` });
    expect(slow.status, JSON.stringify(slow.body)).toBe(201);
    expect(slow.body.service).toBeNull();

    const before = Date.now();

    const [rateHit] = await eventually(async () => (received('/rate').length > 0 ? received('/rate') : null), 20_000);
    expect(rateHit).toMatchObject({ rule: { kind: 'service_error_rate' }, issue: null, service: { name: 'checkout', threshold: 50, windowMinutes: 5, calls: 12, errors: 8 } });
    expect(rateHit?.service.value).toBeCloseTo(66.7, 1);
    const link = new URL(rateHit?.service.url ?? '');
    expect(`${link.origin}${link.pathname}`).toBe(`${PUBLIC_URL}/projects/default/services/checkout`);
    // The hour before the alert and half an hour after.
    expect(Number(link.searchParams.get('start'))).toBeLessThanOrEqual(before - 59 * 60_000);
    expect(Number(link.searchParams.get('end'))).toBeGreaterThan(before + 29 * 60_000);
    // Slack-escaped, as every notification's text (Slack turns &amp; back into & in the link).
    expect(rateHit?.text).toBe(`[default] checkout error rate 66.7 % (threshold 50 %) over the last 5 min, 12 calls ${(rateHit?.service.url ?? '').replace('&', '&amp;')}`);

    const [slowHit] = await eventually(async () => (received('/slow').length > 0 ? received('/slow') : null), 20_000);
    expect(slowHit?.service).toMatchObject({ name: 'checkout', calls: 12 });
    expect(Number(slowHit?.service.p95DurationNano)).toBeGreaterThanOrEqual(40e6);

    // Still over the threshold on the next evaluations: no repeat within the window, and quiet never fires.
    await sleep(3_000);
    expect(received('/rate')).toHaveLength(1);
    expect(received('/slow').map((p) => p.service.name)).toEqual(['checkout']);
    const firings = await api('GET', `/alerts/${String(rate.body.id)}/firings`);
    expect(firings.body.firings).toMatchObject([{ issueId: null, service: 'checkout', status: 'delivered' }]);

    // checkout recovers: 40 good calls bring it to 8 failed of 52 (15.4 %). One all-clear, never repeated;
    // the p95 rule (still 50 ms) stays open.
    for (let i = 0; i < 40; i++) await sendTrace(fl, { spans: 1, service: 'checkout', errorAt: -1 });
    const resolved = await eventually(async () => (received('/rate').length > 1 ? received('/rate')[1] : null), 20_000);
    // The evaluator may judge it part way through: once under 50 %, i.e. from 17 calls on.
    expect(resolved).toMatchObject({ resolved: true, issue: null, service: { name: 'checkout', errors: 8 } });
    expect(resolved?.service.calls).toBeGreaterThanOrEqual(17);
    expect(resolved?.service.value).toBeLessThan(50);
    expect(resolved?.text).toMatch(/^\[default\] Resolved: checkout error rate [\d.]+ % \(threshold 50 %\) over the last 5 min, \d+ calls https:\/\/faultline\.example\.com\/projects\/default\/services\/checkout\?start=\d+&amp;end=\d+$/);
    await sleep(3_000);
    expect(received('/rate')).toHaveLength(2);
    expect(received('/slow')).toHaveLength(1);
    const after = await api('GET', `/alerts/${String(rate.body.id)}/firings`);
    expect((after.body.firings as Array<{ service: string; dedupeKey: string }>).map((f) => [f.service, f.dedupeKey.startsWith('resolved:')])).toEqual([
      ['checkout', true],
      ['checkout', false],
    ]);
  });

  test('each kind takes its own fields: clear 400s naming the field', async () => {
    const base = { name: 'x', webhookUrl: `${hooks.url}/never` };
    const refused = async (body: Record<string, unknown>, field: string, text: RegExp) => {
      const res = await api('POST', '/alerts', { ...base, ...body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      const message = (res.body.error as { message: string }).message;
      expect(message).toContain(`body field "${field}"`);
      expect(message).toMatch(text);
    };
    await refused({ kind: 'service_error_rate', threshold: 150, windowMinutes: 5 }, 'threshold', /percentage, at most 100/);
    await refused({ kind: 'service_latency_p95', threshold: 500 }, 'threshold', /needs "threshold" \(ms\) and "windowMinutes"/);
    await refused({ kind: 'service_error_rate', threshold: 5, windowMinutes: 5, environment: 'prod' }, 'environment', /cannot filter by environment or level/);
    await refused({ kind: 'new_issue', service: 'checkout' }, 'service', /only service_error_rate and service_latency_p95 rules watch a service/);
    await refused({ kind: 'service_error_rate', threshold: 5, windowMinutes: 5, service: '' }, 'service', /must not be empty/);
    // Turning an issue rule into a service rule needs the numbers; turning it back drops the service.
    const created = await api('POST', '/alerts', { ...base, kind: 'new_issue' });
    const id = String(created.body.id);
    expect((await api('PATCH', `/alerts/${id}`, { kind: 'service_latency_p95' })).status).toBe(400);
    expect((await api('PATCH', `/alerts/${id}`, { kind: 'service_latency_p95', threshold: 900, windowMinutes: 5, service: 'api' })).body).toMatchObject({ service: 'api', threshold: 900 });
    expect((await api('PATCH', `/alerts/${id}`, { kind: 'regression', threshold: null, windowMinutes: null })).body).toMatchObject({ kind: 'regression', service: null, threshold: null });
  });
});
