/** The hand-made malformed corpus: truncations, wrong wire types, varint and length lies, deep nesting, bad UTF-8, wrong JSON types. */
import protobuf from 'protobufjs';
import { otlpSchema } from '@faultline/proto';
import {
  type Format,
  type Json,
  type Signal,
  deepAnyValueJson,
  deepAnyValueProtobuf,
  encodeJson,
  encodeProtobuf,
  encodeSpan,
  ld,
  logsJson,
  requestWithAttribute,
  requestWithSpan,
  smallTraceJson,
  spanJson,
  tag,
  varint,
} from './otlp-requests.ts';

export interface Case {
  name: string;
  signal: Signal;
  format: Format;
  body: Buffer;
  /** For wrong-type JSON cases: where the wrong value is, as the decoder must name it. */
  path?: string;
}

/** Every prefix (0…n bytes) of a valid request. */
export function prefixCases(signal: Signal, format: Format, full: Buffer): Case[] {
  return Array.from({ length: full.length + 1 }, (_, n) => ({
    name: `${signal} ${format} prefix ${n}/${full.length}`,
    signal,
    format,
    body: full.subarray(0, n),
  }));
}

const PAYLOAD: Record<number, number[]> = { 0: [0x01], 1: [1, 2, 3, 4, 5, 6, 7, 8], 2: [0x01, 0x00], 5: [1, 2, 3, 4] };

function expectedWire(field: protobuf.Field): number {
  field.resolve();
  if (field.resolvedType instanceof protobuf.Type) return 2;
  if (field.resolvedType instanceof protobuf.Enum) return 0;
  return protobuf.types.basic[field.type as keyof typeof protobuf.types.basic];
}

/** For every field of `type`, each wire type other than its own (packed repeated numbers excepted), wrapped into a request. */
function wrongWireCases(signal: Signal, typeName: string, wrap: (bad: Buffer) => Buffer): Case[] {
  const type = otlpSchema().root.lookupType(typeName);
  const cases: Case[] = [];
  for (const field of type.fieldsArray) {
    const own = expectedWire(field);
    for (let wire = 0; wire < 8; wire++) {
      if (wire === own || (wire === 2 && field.repeated && own !== 2)) continue;
      const bad = Buffer.from([...tag(field.id, wire), ...(PAYLOAD[wire] ?? [])]);
      cases.push({ name: `${type.name}.${field.name} (${field.id}) as wire type ${wire}`, signal, format: 'protobuf', body: wrap(bad) });
    }
  }
  return cases;
}

export function wireTypeCases(): Case[] {
  const span = encodeSpan(spanJson());
  const logRecord = (() => {
    const type = otlpSchema().root.lookupType('opentelemetry.proto.logs.v1.LogRecord');
    const record = (logsJson().resourceLogs as Json[])[0]!;
    const first = ((record.scopeLogs as Json[])[0]!.logRecords as Json[])[0]!;
    return Buffer.from(
      type
        .encode(
          type.fromObject({
            ...first,
            traceId: Buffer.from(first.traceId as string, 'hex'),
            spanId: Buffer.from(first.spanId as string, 'hex'),
          }),
        )
        .finish(),
    );
  })();
  return [
    ...wrongWireCases('traces', 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest', (bad) => bad),
    ...wrongWireCases('traces', 'opentelemetry.proto.trace.v1.ResourceSpans', (bad) => ld(1, bad)),
    ...wrongWireCases('traces', 'opentelemetry.proto.trace.v1.Span', (bad) => requestWithSpan(Buffer.concat([span, bad]))),
    ...wrongWireCases('traces', 'opentelemetry.proto.common.v1.AnyValue', (bad) => requestWithAttribute(bad)),
    // ResourceLogs.scope_logs = 2, ScopeLogs.log_records = 2.
    ...wrongWireCases('logs', 'opentelemetry.proto.logs.v1.LogRecord', (bad) => ld(1, ld(2, ld(2, Buffer.concat([logRecord, bad]))))),
  ];
}

const ff = (n: number): number[] => Array<number>(n).fill(0xff);

/** Varints of 10+ continuation bytes and lengths far beyond the body; all invalid. */
export function varintAndLengthCases(): Case[] {
  const span = encodeSpan(spanJson());
  const withSpan = (extra: number[]) => requestWithSpan(Buffer.concat([span, Buffer.from(extra)]));
  const raw: Array<[string, Buffer]> = [
    ['tag of 11 bytes', Buffer.from(ff(11))],
    ['tag of 64 bytes', Buffer.from([...ff(63), 0x01])],
    ['length varint of 11 bytes', Buffer.from([0x0a, ...ff(10), 0x01])],
    ['span kind varint of 11 bytes', withSpan([0x30, ...ff(10), 0x01])],
    ['unknown field varint of 12 bytes', withSpan([...tag(100, 0), ...ff(11), 0x01])],
    ['varint cut at the end', withSpan([0x30, ...ff(5)])],
    ['length 2^32-1', Buffer.from([0x0a, ...varint(2 ** 32 - 1), 1, 2, 3])],
    ['length 2^53', Buffer.from([0x0a, ...varint(2 ** 53), 1])],
    ['length 2^64-1', Buffer.from([0x0a, ...ff(9), 0x01, 0x00])],
    ['span name declares 2^31 bytes', withSpan([...tag(5, 2), ...varint(2 ** 31), 0x61])],
    ['unknown length-delimited field declares 1 GiB', withSpan([...tag(99, 2), ...varint(2 ** 30), 0x61])],
    ['nested message longer than its parent', ld(1, Buffer.from([...tag(2, 2), ...varint(1000), 0x00]))],
    ['fixed64 time cut short', withSpan([...tag(7, 1), 1, 2, 3])],
  ];
  return raw.map(([name, body]) => ({ name, signal: 'traces', format: 'protobuf', body }));
}

/** 10,000 levels of arrays / kvlists in an attribute value, in both formats. */
export function deepNestingCases(depth: number): Case[] {
  const kinds = ['array', 'kvlist', 'mixed'] as const;
  return kinds.flatMap((kind) => [
    {
      name: `${depth} levels of ${kind} (protobuf)`,
      signal: 'traces' as const,
      format: 'protobuf' as const,
      body: requestWithAttribute(deepAnyValueProtobuf(depth, kind)),
    },
    {
      name: `${depth} levels of ${kind} (JSON)`,
      signal: 'traces' as const,
      format: 'json' as const,
      body: Buffer.from(deepAnyValueJson(depth, kind)),
    },
  ]);
}

const BAD_UTF8: Array<[string, number[]]> = [
  ['0xff 0xfe', [0xff, 0xfe]],
  ['broken 2-byte sequence', [0xc3, 0x28]],
  ['overlong slash', [0xc0, 0xaf]],
  ['CESU-8 surrogate', [0xed, 0xa0, 0x80]],
  ['cut 4-byte sequence', [0xf0, 0x9f, 0x98]],
];

/** Invalid UTF-8 in span names, attribute keys and values (protobuf) and inside JSON strings. */
export function badUtf8Cases(): Array<Case & { spanId: string }> {
  return BAD_UTF8.flatMap(([what, bytes]) => {
    const spanId = spanJson().spanId as string;
    const bad = Buffer.from(bytes);
    // Span.name = 5, Span.attributes = 9 of KeyValue{key = 1, value = 2 of AnyValue{string_value = 1}}.
    const fields = Buffer.concat([ld(5, bad), ld(9, Buffer.concat([ld(1, bad), ld(2, ld(1, bad))]))]);
    const span = Buffer.concat([encodeSpan(spanJson({ spanId, name: undefined, attributes: [] })), fields]);
    const json = Buffer.concat([Buffer.from('{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"'), bad, Buffer.from('"}]}]}]}')]);
    return [
      {
        name: `protobuf strings with ${what}`,
        signal: 'traces' as const,
        format: 'protobuf' as const,
        body: requestWithSpan(span),
        spanId,
      },
      { name: `JSON text with ${what}`, signal: 'traces' as const, format: 'json' as const, body: json, spanId: '' },
    ];
  });
}

// null reads as absent in OTLP/JSON: it must be accepted wherever the field is optional.
const WRONG_VALUES: unknown[] = [5, 'x', true, [], {}, null];

/** Every value position of a request (the root too), replaced by each value of the wrong type. */
export function wrongJsonTypeCases(signal: Signal, request: Json): Case[] {
  const cases: Case[] = [];
  const walk = (node: unknown, replace: (v: unknown) => unknown, path: string): void => {
    for (const wrong of WRONG_VALUES) {
      const body = Buffer.from(JSON.stringify(replace(wrong)));
      cases.push({ name: `${signal} ${path || '<root>'} = ${JSON.stringify(wrong)}`, signal, format: 'json', body, path });
    }
    if (Array.isArray(node)) {
      node.forEach((child, i) => walk(child, (v) => replace(node.map((c, j) => (j === i ? v : c))), `${path}[${i}]`));
    } else if (node !== null && typeof node === 'object') {
      for (const key of Object.keys(node)) {
        walk((node as Json)[key], (v) => replace({ ...(node as Json), [key]: v }), path ? `${path}.${key}` : key);
      }
    }
  };
  walk(request, (v) => v, '');
  return cases;
}

export const validSmall = {
  tracesProtobuf: () => encodeProtobuf('traces', smallTraceJson()),
  tracesJson: () => encodeJson(smallTraceJson()),
};
