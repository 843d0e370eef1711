import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SUGGEST_SAMPLE_SPANS, suggestAttributeKeys, suggestAttributeValues } from './attribute-suggest.ts';
import type { Database } from './database.ts';
import { spanRow } from './spans-writer.ts';
import { makeSpan } from './testing/make-span.ts';
import { openTempDatabase } from './testing/temp-database.ts';
import type { SpanFilterQuery } from './trace-search.ts';

let db: Database;
let cleanup: () => Promise<void>;
const HOUR = 3_600_000_000_000n;
const now = BigInt(Date.now()) * 1_000_000n;
const hourStart = (now / HOUR) * HOUR;

beforeAll(async () => {
  ({ db, cleanup } = await openTempDatabase());
  const rows = [];
  // In the newest clock hour: 6 checkout spans (method on all, route on 4, a user on 2) and 2 billing spans.
  for (let i = 0; i < 8; i++) {
    const billing = i >= 6;
    const attributes: Record<string, string> = { 'http.request.method': i % 3 === 0 ? 'POST' : 'GET' };
    if (i < 4) attributes['http.route'] = '/cart';
    if (i < 2) attributes['user.id'] = `u-${String(i)}`;
    if (billing) attributes['payment.provider'] = 'acme';
    rows.push(
      spanRow(
        1,
        makeSpan({
          traceId: `${String(i).padStart(2, '0')}`.padEnd(32, 'a'),
          spanId: `${String(i).padStart(2, '0')}`.padEnd(16, 'b'),
          startTimeUnixNano: hourStart + BigInt(i) * 1_000_000n,
          serviceName: billing ? 'billing' : 'checkout',
          resource: { 'service.name': billing ? 'billing' : 'checkout', 'service.version': billing ? '2.0.0' : '1.4.2' },
          attributes,
        }),
      ),
    );
  }
  // In the clock hour before: a key only seen there (this project is quiet, so its whole range is sampled).
  rows.push(spanRow(1, makeSpan({ traceId: 'f'.repeat(32), startTimeUnixNano: hourStart - HOUR / 2n, attributes: { 'legacy.flag': 'on' } })));
  // Project 4 is busy: a sample's worth of spans in the newest clock hour, and one two hours before with a key of its own.
  for (let i = 0; i < SUGGEST_SAMPLE_SPANS; i++) {
    const id = (i + 1).toString(16);
    rows.push(spanRow(4, makeSpan({ traceId: id.padStart(32, '0'), spanId: id.padStart(16, '0'), startTimeUnixNano: hourStart + BigInt(i) * 1_000n, attributes: { 'busy.key': 'x' } })));
  }
  const old = { traceId: 'd'.repeat(32), startTimeUnixNano: hourStart - 2n * HOUR, attributes: { 'old.key': 'y' } };
  rows.push(spanRow(4, makeSpan({ ...old, serviceName: 'cron', resource: { 'service.name': 'cron' } })));
  // Another project's key never shows.
  rows.push(spanRow(2, makeSpan({ traceId: 'e'.repeat(32), startTimeUnixNano: hourStart + 1_000n, attributes: { 'secret.key': 'x' } })));
  await db.insert('spans', rows);
});
afterAll(async () => cleanup());

const range = (extra: Partial<SpanFilterQuery> = {}): SpanFilterQuery => ({ projectId: 1, startNs: hourStart - HOUR, endNs: now + 1_000_000_000n, attributes: [], ...extra });

describe('attribute suggestions', () => {
  test('keys of a quiet range, most common first, resource keys marked', async () => {
    const keys = await suggestAttributeKeys(db, range(), 50);
    expect(keys).toEqual([
      { key: 'service.name', spans: 9, resource: true },
      { key: 'http.request.method', spans: 8, resource: false },
      { key: 'service.version', spans: 8, resource: true },
      { key: 'http.route', spans: 4, resource: false },
      { key: 'payment.provider', spans: 2, resource: false },
      { key: 'user.id', spans: 2, resource: false },
      { key: 'legacy.flag', spans: 1, resource: false },
    ]);
    expect((await suggestAttributeKeys(db, range(), 2)).map((k) => k.key)).toEqual(['service.name', 'http.request.method']);
  });

  test('a busy range samples its newest hours; a quiet service within it, its whole range', async () => {
    const busy = { projectId: 4, startNs: hourStart - 3n * HOUR };
    const keys = await suggestAttributeKeys(db, range(busy), 50);
    expect(keys.find((k) => k.key === 'busy.key')?.spans).toBe(SUGGEST_SAMPLE_SPANS);
    expect(keys.map((k) => k.key)).not.toContain('old.key');
    expect(await suggestAttributeValues(db, range(busy), 'old.key', 10)).toEqual([]);
    expect((await suggestAttributeKeys(db, range({ ...busy, service: 'cron' }), 50)).map((k) => k.key)).toEqual(['old.key', 'service.name']);
    expect(await suggestAttributeValues(db, range({ ...busy, service: 'cron' }), 'old.key', 10)).toEqual([{ value: 'y', spans: 1 }]);
  });

  test('the search filters apply: one service, or spans with a given attribute value', async () => {
    expect((await suggestAttributeKeys(db, range({ service: 'billing' }), 50)).map((k) => k.key)).toContain('payment.provider');
    expect((await suggestAttributeKeys(db, range({ service: 'checkout' }), 50)).map((k) => k.key)).not.toContain('payment.provider');
    const routed = await suggestAttributeKeys(db, range({ attributes: [{ key: 'http.route', value: '/cart' }] }), 50);
    expect(routed.find((k) => k.key === 'user.id')).toEqual({ key: 'user.id', spans: 2, resource: false });
    expect(routed.find((k) => k.key === 'http.route')?.spans).toBe(4);
  });

  test('values of a span key and of a resource key, most common first', async () => {
    expect(await suggestAttributeValues(db, range(), 'http.request.method', 10)).toEqual([
      { value: 'GET', spans: 5 },
      { value: 'POST', spans: 3 },
    ]);
    expect(await suggestAttributeValues(db, range(), 'service.version', 10)).toEqual([
      { value: '1.4.2', spans: 6 },
      { value: '2.0.0', spans: 2 },
    ]);
    // billing: one GET, one POST; a tie goes by value
    expect(await suggestAttributeValues(db, range({ service: 'billing' }), 'http.request.method', 1)).toEqual([{ value: 'GET', spans: 1 }]);
  });

  test('unknown keys, other projects and hostile keys find nothing', async () => {
    expect(await suggestAttributeValues(db, range(), 'no.such.key', 10)).toEqual([]);
    expect(await suggestAttributeValues(db, range({ projectId: 3 }), 'http.request.method', 10)).toEqual([]);
    expect((await suggestAttributeKeys(db, range({ projectId: 2 }), 50)).map((k) => k.key)).toEqual(['secret.key', 'service.name']);
    expect(await suggestAttributeValues(db, range(), "x'] OR 1=1 --", 10)).toEqual([]);
  });
});
