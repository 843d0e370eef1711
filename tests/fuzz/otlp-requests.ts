/**
 * Valid OTLP export requests (traces and logs, protobuf and OTLP/JSON) that the fuzz tests break apart, plus
 * hand-assembled protobuf pieces for the malformed corpus.
 */
import { otlpSchema } from '@faultline/proto';

export type Signal = 'traces' | 'logs';
export type Format = 'protobuf' | 'json';
export type Json = Record<string, unknown>;

// Recent, so the spans are inside the retention window and readable through the API.
const T0 = BigInt(Date.now() - 3_600_000) * 1_000_000n;
let nextId = 1;

/** A fresh, never zero span id, so stored rows never collide between cases. */
export function freshSpanId(): string {
  return (nextId++).toString(16).padStart(16, '0');
}

const str = (s: string) => ({ stringValue: s });
const kv = (key: string, value: Json) => ({ key, value });

/** One span with a little of everything the decoder reads. */
export function spanJson(extra: Json = {}): Json {
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: freshSpanId(),
    parentSpanId: 'b7ad6b7169203331',
    name: 'GET /cart',
    kind: 2,
    startTimeUnixNano: String(T0),
    endTimeUnixNano: String(T0 + 5_000_000n),
    attributes: [kv('http.status_code', { intValue: '500' }), kv('ok', { boolValue: false }), kv('ratio', { doubleValue: 0.5 })],
    status: { code: 2, message: 'boom' },
    ...extra,
  };
}

/** A small request: one resource, one scope, one span (a few hundred bytes, so every prefix can be sent). */
export function smallTraceJson(): Json {
  return {
    resourceSpans: [
      { resource: { attributes: [kv('service.name', str('fuzz'))] }, scopeSpans: [{ scope: { name: 'fz' }, spans: [spanJson()] }] },
    ],
  };
}

/** A richer request: events, links, nested values, bytes, two resources. */
export function richTraceJson(): Json {
  const nested = kv('nested', { kvlistValue: { values: [kv('a', { arrayValue: { values: [str('x'), { intValue: '7' }] } })] } });
  const span = spanJson({
    attributes: [kv('http.method', str('GET')), nested, kv('bin', { bytesValue: 'AP8Q' }), kv('big', { intValue: '9007199254740993' })],
    events: [
      {
        timeUnixNano: String(T0 + 100n),
        name: 'exception',
        attributes: [kv('exception.type', str('TypeError')), kv('exception.message', str('x'))],
      },
    ],
    links: [{ traceId: '11'.repeat(16), spanId: '22'.repeat(8), traceState: 'k=v', attributes: [kv('l', str('v'))] }],
  });
  return {
    resourceSpans: [
      {
        resource: { attributes: [kv('service.name', str('fuzz-a')), kv('host.name', str('h1'))] },
        scopeSpans: [{ scope: { name: 'a', version: '1' }, spans: [span, spanJson()] }],
      },
      { resource: { attributes: [kv('service.name', str('fuzz-b'))] }, scopeSpans: [{ spans: [spanJson({ kind: 3, parentSpanId: '' })] }] },
    ],
  };
}

export function logsJson(): Json {
  const record = {
    timeUnixNano: String(T0),
    observedTimeUnixNano: String(T0 + 1n),
    severityNumber: 17,
    severityText: 'ERROR',
    body: { kvlistValue: { values: [kv('msg', str('card declined'))] } },
    attributes: [kv('exception.type', str('Error')), kv('exception.message', str('declined'))],
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: freshSpanId(),
  };
  return {
    resourceLogs: [
      {
        resource: { attributes: [kv('service.name', str('fuzz-logs'))] },
        scopeLogs: [{ scope: { name: 'l' }, logRecords: [record, { ...record, body: str('plain') }] }],
      },
    ],
  };
}

const ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);

/** OTLP/JSON spells ids in hex where protobuf has bytes; everything else protobufjs' fromObject reads as is. */
function protoShape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(protoShape);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).map(([k, v]) => [
    k,
    ID_FIELDS.has(k) && typeof v === 'string' ? Buffer.from(v, 'hex') : protoShape(v),
  ]);
  return Object.fromEntries(entries);
}

export function encodeProtobuf(signal: Signal, request: Json): Buffer {
  const schema = otlpSchema();
  const type = signal === 'traces' ? schema.traceRequest : schema.logsRequest;
  return Buffer.from(type.encode(type.fromObject(protoShape(request) as Json)).finish());
}

export function encodeJson(request: Json): Buffer {
  return Buffer.from(JSON.stringify(request));
}

// ---- hand-assembled protobuf -------------------------------------------------------------------------

export function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

export const tag = (field: number, wire: number): number[] => varint(field * 8 + wire);

/** A length-delimited field holding `payload`. */
export function ld(field: number, payload: readonly number[] | Buffer): Buffer {
  return Buffer.concat([Buffer.from([...tag(field, 2), ...varint(payload.length)]), Buffer.from(payload)]);
}

/** resourceSpans → scopeSpans → spans(payload): a request whose single span holds exactly `spanBytes`. */
export function requestWithSpan(spanBytes: Buffer): Buffer {
  return ld(1, ld(2, ld(2, spanBytes)));
}

/** The bytes of one Span message (not wrapped in a request). */
export function encodeSpan(span: Json): Buffer {
  const type = otlpSchema().root.lookupType('opentelemetry.proto.trace.v1.Span');
  return Buffer.from(type.encode(type.fromObject(protoShape(span) as Json)).finish());
}

/** A request whose span carries one attribute `deep` with `value` (an encoded AnyValue); Span.attributes = 9. */
export function requestWithAttribute(value: Buffer): Buffer {
  const attribute = ld(9, Buffer.concat([ld(1, Buffer.from('deep')), ld(2, value)]));
  return requestWithSpan(Buffer.concat([encodeSpan(spanJson({ attributes: [] })), attribute]));
}

/** Builds protobuf from the inside out by prepending, so wrapping 10,000 levels costs linear time, not quadratic. */
class Backwriter {
  private readonly buf: Buffer;
  private start: number;

  constructor(capacity: number) {
    this.buf = Buffer.alloc(capacity);
    this.start = capacity;
  }

  prepend(bytes: readonly number[]): void {
    this.start -= bytes.length;
    this.buf.set(bytes, this.start);
  }

  /** Turns everything written so far into the payload of length-delimited `field`. */
  wrap(field: number): void {
    this.prepend([...tag(field, 2), ...varint(this.buf.length - this.start)]);
  }

  bytes(): Buffer {
    return this.buf.subarray(this.start);
  }
}

/** AnyValue nested `depth` levels deep, alternating arrays and kvlists. */
export function deepAnyValueProtobuf(depth: number, kind: 'array' | 'kvlist' | 'mixed'): Buffer {
  const w = new Backwriter(depth * 24 + 64);
  w.prepend([...Buffer.from('leaf')]);
  w.wrap(1);
  for (let i = 0; i < depth; i++) {
    const asArray = kind === 'array' || (kind === 'mixed' && i % 2 === 0);
    // ArrayValue.values = 1; KeyValueList.values = 1 of KeyValue{key = 1, value = 2}; AnyValue.arrayValue = 5, kvlistValue = 6.
    if (asArray) {
      w.wrap(1);
      w.wrap(5);
    } else {
      w.wrap(2);
      w.prepend([...tag(1, 2), 1, 0x6b]);
      w.wrap(1);
      w.wrap(6);
    }
  }
  return w.bytes();
}

export function deepAnyValueJson(depth: number, kind: 'array' | 'kvlist' | 'mixed'): string {
  const open: string[] = [];
  const close: string[] = [];
  for (let i = 0; i < depth; i++) {
    const asArray = kind === 'array' || (kind === 'mixed' && i % 2 === 0);
    open.push(asArray ? '{"arrayValue":{"values":[' : '{"kvlistValue":{"values":[{"key":"k","value":');
    close.push(asArray ? ']}}' : '}]}}');
  }
  const value = open.join('') + '{"stringValue":"leaf"}' + close.reverse().join('');
  const span = JSON.stringify(spanJson({ attributes: [] })).replace('"attributes":[]', `"attributes":[{"key":"deep","value":${value}}]`);
  return `{"resourceSpans":[{"scopeSpans":[{"spans":[${span}]}]}]}`;
}
