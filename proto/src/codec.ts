import { withPath } from './errors.ts';
import type { EnumValues } from './schema.ts';

export type WireFormat = 'protobuf' | 'json';

/** One message object of a request: a protobufjs message or a value from JSON.parse. */
export type Node = { readonly [field: string]: unknown };

/**
 * How the per-signal transforms read fields. Protobuf messages arrive with typed values (Long,
 * Uint8Array, numeric enums) and JSON with strings, hex and enum names; each format gets its own
 * codec so that one transform serves both. Field names are the lowerCamelCase proto names; absent
 * fields read as the proto3 default.
 */
export interface WireCodec {
  readonly format: WireFormat;
  /** A sub-message, or undefined when absent. */
  msg(o: Node, field: string): Node | undefined;
  /** A repeated sub-message field; [] when absent. */
  list(o: Node, field: string): readonly Node[];
  /** Whether a oneof member or `optional` field is present. */
  has(o: Node, field: string): boolean;
  str(o: Node, field: string): string;
  bool(o: Node, field: string): boolean;
  /** A signed 32-bit integer field (int32, sint32). */
  int32(o: Node, field: string): number;
  /** An unsigned 32-bit integer field (uint32, fixed32): counts and flags. */
  uint32(o: Node, field: string): number;
  double(o: Node, field: string): number;
  enumValue(o: Node, field: string, values: EnumValues): number;
  /** A trace or span id as lower-case hex ('' when empty), or null when JSON text is not hex. */
  id(o: Node, field: string): string | null;
  /** An unsigned 64-bit nanosecond timestamp (fixed64). */
  time(o: Node, field: string): bigint;
  /** A signed 64-bit integer: a number when it is a safe integer, else an exact bigint. */
  int64(o: Node, field: string): number | bigint;
  /** An unsigned 64-bit count as a number (counts beyond 2^53 are not realistic). */
  count(o: Node, field: string): number;
  /** A repeated unsigned 64-bit count field. */
  counts(o: Node, field: string): number[];
  doubles(o: Node, field: string): number[];
  /** A bytes field as a fresh Uint8Array (never a view into the request buffer). */
  bytes(o: Node, field: string): Uint8Array;
}

/**
 * Runs `fn` for every element of a repeated message field, naming the element in any ShapeError
 * that escapes (`spans[3].…`), so JSON type errors point at the offending value.
 */
export function each(c: WireCodec, parent: Node, field: string, fn: (node: Node, index: number) => void): void {
  const nodes = c.list(parent, field);
  for (let i = 0; i < nodes.length; i++) {
    try {
      fn(nodes[i] as Node, i);
    } catch (err) {
      throw withPath(err, `${field}[${i}]`);
    }
  }
}

/** Runs `fn` on a sub-message (absent reads as an empty one), naming it in escaping ShapeErrors. */
export function within<T>(c: WireCodec, parent: Node, field: string, fn: (node: Node) => T): T {
  const node = c.msg(parent, field) ?? EMPTY;
  try {
    return fn(node);
  } catch (err) {
    throw withPath(err, field);
  }
}

const EMPTY: Node = Object.freeze({});
