import protobuf from 'protobufjs';
import { describe, expect, test } from 'vitest';
import { type Obj, arr, bin, bool, bytes, dbl, int, jsonBody, kv, kvlist, spansJson, spansProtobuf, str } from './fixtures/otlp.ts';
import { type Attributes, DecodeError, decodeTraces } from './index.ts';

const ATTRIBUTES: Obj[] = [
  kv('s', str('text')),
  kv('empty.string', str('')),
  kv('t', bool(true)),
  kv('f', bool(false)),
  kv('zero', int(0)),
  kv('neg', int(-42)),
  kv('max.safe', int(String(Number.MAX_SAFE_INTEGER))),
  kv('beyond.safe', int('9007199254740993')),
  kv('int64.max', int('9223372036854775807')),
  kv('int64.min', int('-9223372036854775808')),
  kv('d', dbl(-1.5)),
  kv('d.zero', dbl(0)),
  kv('array', arr(str('a'), int(1), bool(false), arr(dbl(2.5), arr()), kvlist(kv('in', str('array'))))),
  kv('map', kvlist(kv('a', str('x')), kv('deeper', kvlist(kv('b', int('1234567890123456789')))))),
  kv('bytes', bin(bytes('00ff7f80'))),
  kv('empty.bytes', bin(new Uint8Array(0))),
  kv('no.value'),
  kv('dup', str('first')),
  kv('dup', str('second')),
];

const EXPECTED: Attributes = {
  s: 'text',
  'empty.string': '',
  t: true,
  f: false,
  zero: 0,
  neg: -42,
  'max.safe': Number.MAX_SAFE_INTEGER,
  'beyond.safe': 9007199254740993n,
  'int64.max': 9223372036854775807n,
  'int64.min': -9223372036854775808n,
  d: -1.5,
  'd.zero': 0,
  array: ['a', 1, false, [2.5, []], { in: 'array' }],
  map: { a: 'x', deeper: { b: 1234567890123456789n } },
  bytes: bytes('00ff7f80'),
  'empty.bytes': new Uint8Array(0),
  'no.value': null,
  dup: 'second',
};

/** The same attributes written by hand as OTLP/JSON (bytes in base64, int64 as strings or numbers). */
const JSON_ATTRIBUTES = [
  { key: 's', value: { stringValue: 'text' } },
  { key: 'empty.string', value: { stringValue: '' } },
  { key: 't', value: { boolValue: true } },
  { key: 'f', value: { boolValue: false } },
  { key: 'zero', value: { intValue: '0' } },
  { key: 'neg', value: { intValue: -42 } },
  { key: 'max.safe', value: { intValue: Number.MAX_SAFE_INTEGER } },
  { key: 'beyond.safe', value: { intValue: '9007199254740993' } },
  { key: 'int64.max', value: { intValue: '9223372036854775807' } },
  { key: 'int64.min', value: { int_value: '-9223372036854775808' } },
  { key: 'd', value: { doubleValue: -1.5 } },
  { key: 'd.zero', value: { doubleValue: 0 } },
  {
    key: 'array',
    value: {
      arrayValue: {
        values: [
          { stringValue: 'a' },
          { intValue: '1' },
          { boolValue: false },
          { arrayValue: { values: [{ doubleValue: '2.5' }, { arrayValue: {} }] } },
          { kvlistValue: { values: [{ key: 'in', value: { stringValue: 'array' } }] } },
        ],
      },
    },
  },
  {
    key: 'map',
    value: {
      kvlist_value: {
        values: [
          { key: 'a', value: { stringValue: 'x' } },
          { key: 'deeper', value: { kvlistValue: { values: [{ key: 'b', value: { intValue: '1234567890123456789' } }] } } },
        ],
      },
    },
  },
  { key: 'bytes', value: { bytesValue: Buffer.from('00ff7f80', 'hex').toString('base64') } },
  { key: 'empty.bytes', value: { bytesValue: '' } },
  { key: 'no.value', value: {} },
  { key: 'dup', value: { stringValue: 'first' } },
  { key: 'dup', value: { stringValue: 'second' } },
];

describe('attribute values', () => {
  test('protobuf: every AnyValue type', () => {
    const [span] = decodeTraces(spansProtobuf({ attributes: ATTRIBUTES }), 'protobuf').items;
    expect(span?.attributes).toEqual(EXPECTED);
    expect(span?.attributes['bytes']).toBeInstanceOf(Uint8Array);
    // A copy, not a view that keeps the whole request buffer alive.
    expect((span?.attributes['bytes'] as Uint8Array).buffer.byteLength).toBe(4);
  });

  test('JSON: every AnyValue type', () => {
    const [span] = decodeTraces(jsonBody(spansJson({ attributes: JSON_ATTRIBUTES })), 'json').items;
    expect(span?.attributes).toEqual(EXPECTED);
  });

  test('JSON: a value given as null is an empty value', () => {
    const body = jsonBody(spansJson({ attributes: [{ key: 'n', value: null }, { key: 'm', value: { stringValue: null } }] }));
    expect(decodeTraces(body, 'json').items[0]?.attributes).toEqual({ n: null, m: null });
  });

  test('JSON: base64 bytes in the URL-safe alphabet and without padding', () => {
    const attributes = [{ key: 'b', value: { bytesValue: '-_8' } }];
    expect(decodeTraces(jsonBody(spansJson({ attributes })), 'json').items[0]?.attributes).toEqual({ b: bytes('fbff') });
  });

  test('JSON: non-finite doubles spelled as strings', () => {
    const attributes = ['NaN', 'Infinity', '-Infinity'].map((v) => ({ key: v, value: { doubleValue: v } }));
    const decoded = decodeTraces(jsonBody(spansJson({ attributes })), 'json').items[0]?.attributes;
    expect(decoded).toEqual({ NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity });
  });

  test('a __proto__ key is an ordinary attribute', () => {
    for (const [body, format] of [
      [spansProtobuf({ attributes: [kv('__proto__', str('x'))] }), 'protobuf'],
      [jsonBody(spansJson({ attributes: [{ key: '__proto__', value: { stringValue: 'x' } }] })), 'json'],
    ] as const) {
      const attributes = decodeTraces(body, format).items[0]?.attributes ?? {};
      expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
      expect(Object.keys(attributes)).toEqual(['__proto__']);
      expect(Object.getOwnPropertyDescriptor(attributes, '__proto__')?.value).toBe('x');
    }
  });

  test('absurdly deep nesting is refused, not a stack overflow', () => {
    let value: Obj = { stringValue: 'leaf' };
    for (let i = 0; i < 200; i++) value = { arrayValue: { values: [value] } };
    const json = jsonBody(spansJson({ attributes: [{ key: 'deep', value }] }));
    expect(() => decodeTraces(json, 'json')).toThrow(DecodeError);
    expect(() => decodeTraces(json, 'json')).toThrow(/nests values too deeply/);
    // protobufjs refuses to build such a message itself, so lift its limit to make the fixture.
    const saved = protobuf.util.recursionLimit;
    protobuf.util.recursionLimit = 1000;
    let pb: Uint8Array;
    try {
      pb = spansProtobuf({ attributes: [kv('deep', value)] });
    } finally {
      protobuf.util.recursionLimit = saved;
    }
    expect(() => decodeTraces(pb, 'protobuf')).toThrow(/invalid protobuf: messages nested too deeply/);
  });

  test('moderate nesting is fine in both formats', () => {
    let value: Obj = { stringValue: 'leaf' };
    let expected: unknown = 'leaf';
    for (let i = 0; i < 20; i++) {
      value = { arrayValue: { values: [value] } };
      expected = [expected];
    }
    expect(decodeTraces(spansProtobuf({ attributes: [kv('v', value)] }), 'protobuf').items[0]?.attributes).toEqual({ v: expected });
    const json = jsonBody(spansJson({ attributes: [{ key: 'v', value }] }));
    expect(decodeTraces(json, 'json').items[0]?.attributes).toEqual({ v: expected });
  });
});
