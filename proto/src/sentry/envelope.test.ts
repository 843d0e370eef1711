import { describe, expect, test } from 'vitest';
import { DSN, EVENT_ID, buildEnvelope, nodeErrorEvent, pythonEvent } from './fixtures.ts';
import { SentryFormatError, parseEnvelope, parseItemJson } from './index.ts';

const limits = { maxItemBytes: 1024 * 1024, maxItems: 1000 };
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytes = (s: string) => new TextEncoder().encode(s);

function formatError(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(SentryFormatError);
    expect((err as Error).name).toBe('SentryFormatError');
    return (err as Error).message;
  }
  throw new Error('expected a SentryFormatError');
}

const header = {
  event_id: EVENT_ID,
  sent_at: '2024-06-10T14:53:55.001Z',
  sdk: { name: 'sentry.javascript.node', version: '8.9.2' },
  dsn: DSN,
  trace: { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', public_key: '9f3c', sample_rate: '1' },
};

describe('parseEnvelope', () => {
  test('an event without length (JS SDKs) and one with length (Python) plus a session', () => {
    const nodeJson = JSON.stringify(nodeErrorEvent());
    const pythonJson = JSON.stringify(pythonEvent());
    const session = JSON.stringify({ sid: 'a', status: 'ok', started: '2024-06-10T14:00:00Z', attrs: { release: 'x@1' } });
    const body = buildEnvelope(header, [
      { headers: { type: 'event' }, payload: nodeJson },
      { headers: { type: 'event', content_type: 'application/json' }, payload: pythonJson, length: true },
      { headers: { type: 'session' }, payload: session },
    ]);
    const env = parseEnvelope(body, limits);
    expect(env.problems).toEqual([]);
    expect(env.header).toMatchObject({
      eventId: EVENT_ID,
      dsn: DSN,
      sentAt: '2024-06-10T14:53:55.001Z',
      sdk: { name: 'sentry.javascript.node', version: '8.9.2' },
    });
    expect(env.header.raw.trace).toEqual(header.trace);
    expect(env.items.map((i) => i.type)).toEqual(['event', 'event', 'session']);
    expect(text(env.items[0]!.payload)).toBe(nodeJson);
    expect(text(env.items[1]!.payload)).toBe(pythonJson);
    expect(env.items[1]!.headers).toMatchObject({ content_type: 'application/json', length: bytes(pythonJson).length });
    expect(parseItemJson(env.items[2]!)).toMatchObject({ sid: 'a' });
  });

  test('a length-delimited payload may contain newlines and non-ASCII text, with or without a newline after it', () => {
    const attachment = 'line 1\nline 2 — ünïcödé\n';
    const withNewline = buildEnvelope({}, [
      { headers: { type: 'attachment', filename: 'log.txt' }, payload: attachment, length: true },
      { headers: { type: 'client_report' }, payload: '{"discarded_events":[]}' },
    ]);
    const env = parseEnvelope(withNewline, limits);
    expect(env.problems).toEqual([]);
    expect(env.items.map((i) => [i.type, text(i.payload)])).toEqual([
      ['attachment', attachment],
      ['client_report', '{"discarded_events":[]}'],
    ]);

    const a = '{"type":"attachment","length":3}\nabc{"type":"event"}\n{}';
    const tight = parseEnvelope(bytes(`{}\n${a}`), limits);
    expect(tight.items.map((i) => [i.type, text(i.payload)])).toEqual([
      ['attachment', 'abc'],
      ['event', '{}'],
    ]);
  });

  test('header only, trailing newline and blank lines between items', () => {
    expect(parseEnvelope(bytes('{}'), limits)).toMatchObject({ items: [], problems: [] });
    const env = parseEnvelope(bytes('{"event_id":null}\n{"type":"event"}\n{}\n\n{"type":"session"}\n{"sid":"x"}\n'), limits);
    expect(env.header.eventId).toBe('');
    expect(env.items.map((i) => i.type)).toEqual(['event', 'session']);
    expect(env.problems).toEqual([]);
  });

  test('an empty payload at the end of the body', () => {
    const env = parseEnvelope(bytes('{}\n{"type":"attachment","length":0}'), limits);
    expect(env.items).toHaveLength(1);
    expect(env.items[0]!.payload).toHaveLength(0);
  });

  test('event ids with dashes are normalized', () => {
    const env = parseEnvelope(bytes('{"event_id":"0F9E8D7C-6B5A-4938-8271-605F4E3D2C1B"}'), limits);
    expect(env.header.eventId).toBe('0f9e8d7c6b5a49388271605f4e3d2c1b');
  });

  test('unusable envelope headers throw with the reason', () => {
    expect(formatError(() => parseEnvelope(new Uint8Array(), limits))).toBe('envelope is empty');
    expect(formatError(() => parseEnvelope(bytes('{"event_id":\n{"type":"event"}\n{}'), limits))).toMatch(
      /^envelope header is not valid JSON \(/,
    );
    expect(formatError(() => parseEnvelope(bytes('[1,2]\n'), limits))).toBe('envelope header is not a JSON object');
    expect(formatError(() => parseEnvelope(bytes('{"event_id":"nope"}'), limits))).toBe('envelope header event_id "nope" is not a UUID');
    expect(formatError(() => parseEnvelope(bytes('{"dsn":42}'), limits))).toBe('envelope header dsn must be a string');
  });

  test('a bad item header stops parsing but keeps the items before it', () => {
    const env = parseEnvelope(bytes('{}\n{"type":"event"}\n{"a":1}\n{"type":\n{"b":2}\n{"type":"event"}\n{}'), limits);
    expect(env.items.map((i) => text(i.payload))).toEqual(['{"a":1}']);
    expect(env.problems).toHaveLength(1);
    expect(env.problems[0]).toMatch(/^item 1: header is not valid JSON \(.*\); ignored the rest of the envelope$/);
  });

  test('a length that runs past the end keeps the items before it', () => {
    const body = buildEnvelope({}, [
      { headers: { type: 'session' }, payload: '{"sid":"s"}', length: true },
      { headers: { type: 'event' }, payload: '{"event_id":"x"}', length: 500 },
    ]);
    const env = parseEnvelope(body, limits);
    expect(env.items.map((i) => i.type)).toEqual(['session']);
    expect(env.problems).toEqual([
      'item 1: length 500 runs past the end of the envelope (16 bytes left); ignored the rest of the envelope',
    ]);
  });

  test('a length that is too short leaves garbage where the next header should be', () => {
    const body = buildEnvelope({}, [
      { headers: { type: 'event' }, payload: '{"level":"error"}', length: 5 },
      { headers: { type: 'session' }, payload: '{}' },
    ]);
    const env = parseEnvelope(body, limits);
    expect(env.items.map((i) => [i.type, text(i.payload)])).toEqual([['event', '{"lev']]);
    expect(env.problems[0]).toMatch(/^item 1: header is not valid JSON/);
  });

  test('a length that is not a byte count stops parsing', () => {
    const env = parseEnvelope(bytes('{}\n{"type":"event","length":"12"}\n{}'), limits);
    expect(env.items).toEqual([]);
    expect(env.problems).toEqual(['item 0: length "12" is not a byte count; ignored the rest of the envelope']);
  });

  test('an oversize item is skipped and the items around it are kept', () => {
    const big = JSON.stringify({ message: 'x'.repeat(2000) });
    const body = buildEnvelope({}, [
      { headers: { type: 'event' }, payload: '{"message":"small"}' },
      { headers: { type: 'event' }, payload: big },
      { headers: { type: 'attachment' }, payload: big, length: true },
      { headers: { type: 'session' }, payload: '{"sid":"s"}' },
    ]);
    const env = parseEnvelope(body, { maxItemBytes: 1000, maxItems: 1000 });
    expect(env.items.map((i) => i.type)).toEqual(['event', 'session']);
    expect(env.problems).toEqual([
      `item 1 (event): ${big.length} bytes exceeds the limit of 1000; skipped`,
      `item 2 (attachment): ${big.length} bytes exceeds the limit of 1000; skipped`,
    ]);
  });

  test('an envelope of more items than the limit is refused whole; the limit itself and blank lines after it pass', () => {
    const items = (n: number) => Array.from({ length: n }, (_, i) => ({ headers: { type: 'session' }, payload: `{"sid":"s${i}"}` }));
    const three = parseEnvelope(Buffer.concat([buildEnvelope({}, items(3)), bytes('\n\n')]), { ...limits, maxItems: 3 });
    expect(three.items).toHaveLength(3);
    expect(formatError(() => parseEnvelope(buildEnvelope({}, items(4)), { ...limits, maxItems: 3 }))).toBe(
      'envelope has more than 3 items, the limit for one envelope',
    );
  });

  test('an item header without a type is skipped; unknown types are kept for the caller', () => {
    const env = parseEnvelope(bytes('{}\n{"length":2}\n{}\n{"type":"profile_chunk"}\n{"x":1}'), limits);
    expect(env.items.map((i) => i.type)).toEqual(['profile_chunk']);
    expect(env.problems).toEqual(['item 0: header has no type; skipped']);
  });

  test('a payload that is not JSON is split fine and refused by parseItemJson', () => {
    const env = parseEnvelope(bytes('{}\n{"type":"event"}\n{"exception": [oops\n{"type":"transaction"}\n'), limits);
    expect(env.items.map((i) => i.type)).toEqual(['event', 'transaction']);
    expect(formatError(() => parseItemJson(env.items[0]!))).toMatch(/^event item is not valid JSON \(/);
    expect(formatError(() => parseItemJson(env.items[1]!))).toBe('transaction item is empty');
  });
});
