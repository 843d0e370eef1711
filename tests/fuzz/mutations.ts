/** Byte-level mutations of valid requests, as fast-check arbitraries (shrinkable, replayable by seed). */
import fc from 'fast-check';
import { type Format, type Signal, encodeJson, encodeProtobuf, logsJson, richTraceJson, smallTraceJson } from './otlp-requests.ts';

export interface Base {
  name: string;
  signal: Signal;
  format: Format;
  bytes: Buffer;
}

/** The valid requests every mutation starts from. */
export function mutationBases(): Base[] {
  const small = smallTraceJson();
  const rich = richTraceJson();
  const logs = logsJson();
  return [
    { name: 'small traces pb', signal: 'traces', format: 'protobuf', bytes: encodeProtobuf('traces', small) },
    { name: 'rich traces pb', signal: 'traces', format: 'protobuf', bytes: encodeProtobuf('traces', rich) },
    { name: 'logs pb', signal: 'logs', format: 'protobuf', bytes: encodeProtobuf('logs', logs) },
    { name: 'small traces json', signal: 'traces', format: 'json', bytes: encodeJson(small) },
    { name: 'rich traces json', signal: 'traces', format: 'json', bytes: encodeJson(rich) },
    { name: 'logs json', signal: 'logs', format: 'json', bytes: encodeJson(logs) },
  ];
}

export type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'insert'; at: number; byte: number }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'splice'; at: number; donor: number; from: number; length: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }) },
  // Bytes that matter to both formats: varint continuation, wire types, quotes, brackets, escapes.
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      byte: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x80, 0xff, 0x0a, 0x22, 0x5c, 0x7b, 0x5b, 0x2c)),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('splice' as const),
      at: fc.nat(),
      donor: fc.nat(),
      from: fc.nat(),
      length: fc.integer({ min: 1, max: 64 }),
    }),
  },
);

export interface MutationCase {
  base: number;
  mutations: Mutation[];
}

export function mutationCase(bases: readonly Base[]): fc.Arbitrary<MutationCase> {
  return fc.record({ base: fc.integer({ min: 0, max: bases.length - 1 }), mutations: fc.array(mutation, { minLength: 1, maxLength: 5 }) });
}

/** Applies the mutations in order; positions wrap around the current length, so every case is applicable. */
export function applyMutations(bases: readonly Base[], c: MutationCase): Buffer {
  let buf = Buffer.from((bases[c.base] as Base).bytes);
  for (const m of c.mutations) {
    const len = buf.length;
    const at = len === 0 ? 0 : m.at % (len + 1);
    if (m.kind === 'flip' && len > 0) {
      const i = m.at % len;
      buf[i] = (buf[i] as number) ^ (1 << m.bit);
    } else if (m.kind === 'insert') {
      buf = Buffer.concat([buf.subarray(0, at), Buffer.from([m.byte]), buf.subarray(at)]);
    } else if (m.kind === 'delete') {
      buf = Buffer.concat([buf.subarray(0, at), buf.subarray(at + m.count)]);
    } else if (m.kind === 'truncate') {
      buf = buf.subarray(0, at);
    } else if (m.kind === 'splice') {
      // Another request's bytes (maybe the other format) pasted in: well-formed pieces in the wrong place.
      const donor = (bases[m.donor % bases.length] as Base).bytes;
      const from = m.from % donor.length;
      buf = Buffer.concat([buf.subarray(0, at), donor.subarray(from, from + m.length), buf.subarray(at)]);
    }
  }
  return buf;
}
