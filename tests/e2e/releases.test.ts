import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startFaultline, type Faultline } from '../harness.ts';
import { postOtlpJson } from '../otlp-client.ts';

let fl: Faultline;
const now = Date.now();

/** `calls` SERVER spans of `service` at `release`, `minutesAgo`, each `durationMs` long. */
async function serve(service: string, release: string, minutesAgo: number, calls: number, durationMs: number): Promise<void> {
  const spans = Array.from({ length: calls }, (_, i) => {
    const start = BigInt(now - minutesAgo * 60_000 + i * 10) * 1_000_000n;
    return {
      traceId: randomBytes(16).toString('hex'),
      spanId: randomBytes(8).toString('hex'),
      name: 'GET /x',
      kind: 2,
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + BigInt(durationMs) * 1_000_000n),
    };
  });
  const attributes = [
    { key: 'service.name', value: { stringValue: service } },
    { key: 'service.version', value: { stringValue: release } },
  ];
  await postOtlpJson(fl, '/v1/traces', { resourceSpans: [{ resource: { attributes }, scopeSpans: [{ spans }] }] });
}

beforeAll(async () => {
  fl = await startFaultline();
  // Three services numbering their own releases, interleaved in semver order.
  await serve('orders', '1.4.0', 40, 10, 100);
  await serve('gateway', '2.3.0', 35, 10, 20);
  await serve('orders', '1.5.0', 30, 10, 300);
  await serve('inventory', '1.0.1', 25, 10, 50);
  await serve('gateway', '2.3.1', 20, 10, 25);
  await serve('checkout-api', 'checkout@1.0.0', 15, 10, 40);
  await serve('checkout-api', 'checkout@1.0.1', 10, 10, 45);
});
afterAll(async () => fl.stop());

interface Release {
  version: string;
  services: string[];
  previousVersion: string | null;
  p95DurationNano: number;
  deltas: { p95DurationNano: number | null };
}

describe('releases of several services', () => {
  test('each release is compared with the previous release of its own service or package', async () => {
    const releases = (((await fl.get('/api/v1/projects/default/releases')).body as { releases: Release[] }).releases);
    const previous = Object.fromEntries(releases.map((r) => [r.version, r.previousVersion]));
    expect(previous).toEqual({
      '2.3.1': '2.3.0',
      '2.3.0': null,
      '1.5.0': '1.4.0',
      '1.4.0': null,
      '1.0.1': null,
      'checkout@1.0.1': 'checkout@1.0.0',
      'checkout@1.0.0': null,
    });
    expect(releases.find((r) => r.version === '1.5.0')?.services).toEqual(['orders']);
    // orders got slower from 1.4.0 to 1.5.0: +200 ms at p95, not the difference to another service.
    const orders = releases.find((r) => r.version === '1.5.0');
    expect((orders?.deltas.p95DurationNano ?? 0) / 1e6).toBeCloseTo(200, -1);
    const detail = (await fl.get('/api/v1/projects/default/releases/2.3.1')).body as Release & { previous: { version: string } | null };
    expect(detail).toMatchObject({ version: '2.3.1', previousVersion: '2.3.0', previous: { version: '2.3.0' }, services: ['gateway'] });
    const first = (await fl.get('/api/v1/projects/default/releases/1.0.1')).body as Release & { previous: unknown };
    expect(first).toMatchObject({ previousVersion: null, previous: null });
  });
});
