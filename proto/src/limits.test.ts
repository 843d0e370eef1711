import { describe, expect, test } from 'vitest';
import { arr, encodeRequest, jsonBody, kv, kvlist, pbSpan, spansJson, spansProtobuf, str } from './fixtures/otlp.ts';
import { DecodeError, TooManyItemsError, decodeLogs, decodeMetrics, decodeTraces } from './index.ts';

describe('maxAttributeValueLength', () => {
  test('cuts string values, nested ones too, and counts them', () => {
    const attributes = [
      kv('long', str('abcdefghij')),
      kv('short', str('abc')),
      kv('exact', str('abcde')),
      kv('nested', arr(str('0123456789'), kvlist(kv('deep', str('zyxwvutsrq'))))),
    ];
    const result = decodeTraces(spansProtobuf({ attributes }), 'protobuf', { maxAttributeValueLength: 5 });
    expect(result.items[0]?.attributes).toEqual({
      long: 'abcde',
      short: 'abc',
      exact: 'abcde',
      nested: ['01234', { deep: 'zyxwv' }],
    });
    expect(result.stats.truncatedValues).toBe(3);
  });

  test('applies to resource, scope, event and link attributes; not to names', () => {
    const long = 'x'.repeat(20);
    const request = {
      resourceSpans: [
        {
          resource: { attributes: [kv('service.name', str(long))] },
          scopeSpans: [
            {
              scope: { name: long, attributes: [kv('s', str(long))] },
              spans: [
                pbSpan({
                  name: long,
                  events: [{ name: long, attributes: [kv('e', str(long))] }],
                  links: [{ attributes: [kv('l', str(long))] }],
                }),
              ],
            },
          ],
        },
      ],
    };
    const result = decodeTraces(encodeRequest('traces', request), 'protobuf', { maxAttributeValueLength: 4 });
    const span = result.items[0];
    expect(span?.resource).toEqual({ 'service.name': 'xxxx' });
    expect(span?.serviceName).toBe('xxxx');
    expect(span?.scope).toEqual({ name: long, version: '', attributes: { s: 'xxxx' } });
    expect(span?.name).toBe(long);
    expect(span?.events[0]).toMatchObject({ name: long, attributes: { e: 'xxxx' } });
    expect(span?.links[0]?.attributes).toEqual({ l: 'xxxx' });
    expect(result.stats.truncatedValues).toBe(4);
  });

  test('never splits a surrogate pair', () => {
    const body = jsonBody(spansJson({ attributes: [{ key: 'emoji', value: { stringValue: 'ab😀cd' } }] }));
    const result = decodeTraces(body, 'json', { maxAttributeValueLength: 3 });
    expect(result.items[0]?.attributes).toEqual({ emoji: 'ab' });
  });
});

describe('maxAttributesPerItem', () => {
  test('keeps the first N attributes and adds the rest to droppedAttributesCount', () => {
    const attributes = ['a', 'b', 'c', 'd', 'e'].map((k) => kv(k, str(k)));
    const span = pbSpan({
      attributes,
      droppedAttributesCount: 1,
      events: [{ name: 'ev', attributes: attributes.slice(0, 3) }],
      links: [{ attributes: attributes.slice(0, 2) }],
    });
    const request = { resourceSpans: [{ resource: { attributes }, scopeSpans: [{ spans: [span] }] }] };
    const result = decodeTraces(encodeRequest('traces', request), 'protobuf', { maxAttributesPerItem: 2 });
    const decoded = result.items[0];
    expect(decoded?.attributes).toEqual({ a: 'a', b: 'b' });
    expect(decoded?.droppedAttributesCount).toBe(4);
    expect(decoded?.events[0]).toMatchObject({ attributes: { a: 'a', b: 'b' }, droppedAttributesCount: 1 });
    expect(decoded?.links[0]).toMatchObject({ attributes: { a: 'a', b: 'b' }, droppedAttributesCount: 0 });
    // A resource is stored with each of its items: it is cut too (counted in the stats, not on the span).
    expect(decoded?.resource).toEqual({ a: 'a', b: 'b' });
    expect(result.stats.droppedAttributes).toBe(4 + 3);
  });

  test("a resource keeps service.name past the limit: it names the service", () => {
    const attributes = [...['a', 'b', 'c'].map((k) => kv(k, str(k))), kv('service.name', str('checkout'))];
    const request = { resourceSpans: [{ resource: { attributes }, scopeSpans: [{ spans: [pbSpan({})] }] }] };
    const result = decodeTraces(encodeRequest('traces', request), 'protobuf', { maxAttributesPerItem: 2 });
    expect(result.items[0]?.resource).toEqual({ a: 'a', b: 'b', 'service.name': 'checkout' });
    expect(result.items[0]?.serviceName).toBe('checkout');
    expect(result.stats.droppedAttributes).toBe(1);
  });

  test('applies to log records', () => {
    const attributes = [1, 2, 3].map((n) => ({ key: `k${n}`, value: { intValue: n } }));
    const body = jsonBody({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ attributes }] }] }] });
    const result = decodeLogs(body, 'json', { maxAttributesPerItem: 1 });
    expect(result.items[0]).toMatchObject({ attributes: { k1: 1 }, droppedAttributesCount: 2 });
    expect(result.stats.droppedAttributes).toBe(2);
  });
});

describe('maxItemsPerRequest', () => {
  test('a request at the limit decodes', () => {
    const result = decodeTraces(jsonBody(spansJson({}, {}, {})), 'json', { maxItemsPerRequest: 3 });
    expect(result.items).toHaveLength(3);
    expect(result.stats.received).toBe(3);
  });

  test('one more throws TooManyItemsError, a DecodeError', () => {
    const run = () => decodeTraces(spansProtobuf({}, {}, {}, {}), 'protobuf', { maxItemsPerRequest: 3 });
    expect(run).toThrow(TooManyItemsError);
    expect(run).toThrow(DecodeError);
    expect(run).toThrow('too many spans in one request: more than 3 (maxItemsPerRequest)');
    try {
      run();
    } catch (err) {
      expect((err as TooManyItemsError).limit).toBe(3);
      expect((err as Error).name).toBe('TooManyItemsError');
    }
  });

  test('rejected items count too, across resources', () => {
    const body = jsonBody({
      resourceSpans: [
        { scopeSpans: [{ spans: [{ traceId: 'bad' }] }] },
        { scopeSpans: [{ spans: [{}, {}] }] },
      ],
    });
    expect(() => decodeTraces(body, 'json', { maxItemsPerRequest: 2 })).toThrow(TooManyItemsError);
  });

  test('counts log records and data points', () => {
    const logs = jsonBody({ resourceLogs: [{ scopeLogs: [{ logRecords: [{}, {}] }] }] });
    expect(() => decodeLogs(logs, 'json', { maxItemsPerRequest: 1 })).toThrow('too many log records in one request');
    const points = [{ timeUnixNano: '1', asInt: 1 }, { timeUnixNano: '1', asInt: 2 }];
    const metrics = jsonBody({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'm', gauge: { dataPoints: points } }] }] }] });
    expect(() => decodeMetrics(metrics, 'json', { maxItemsPerRequest: 1 })).toThrow('too many data points in one request');
    expect(decodeMetrics(metrics, 'json', { maxItemsPerRequest: 2 }).items).toHaveLength(2);
  });

  test('nonsense limits are a programming error, not a decode error', () => {
    expect(() => decodeTraces(new Uint8Array(0), 'protobuf', { maxItemsPerRequest: -1 })).toThrow(RangeError);
  });
});
