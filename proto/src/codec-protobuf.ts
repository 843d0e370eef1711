import type { Node, WireCodec } from './codec.ts';

/** What protobufjs produces for 64-bit fields when the `long` package is present (else a number). */
interface LongLike {
  low: number;
  high: number;
}

const TWO_32 = 4294967296;

function unsigned64(v: unknown): bigint {
  if (typeof v === 'number') return BigInt(v);
  const { low, high } = v as LongLike;
  if (high === 0) return BigInt(low >>> 0);
  return (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
}

function signed64(v: unknown): number | bigint {
  if (typeof v === 'number') return v;
  const { low, high } = v as LongLike;
  // Exact whenever the result is a safe integer: rounding can only push a larger magnitude to >= 2^53.
  const approx = (high | 0) * TWO_32 + (low >>> 0);
  if (Number.isSafeInteger(approx)) return approx;
  return BigInt.asIntN(64, (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0));
}

/** protobufjs hands out Buffer views for bytes fields (an empty Array when absent). */
function idHex(v: unknown): string {
  const b = v as Uint8Array | undefined;
  if (b === undefined || b.length === 0) return '';
  return (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.length)).toString('hex');
}

function count64(v: unknown): number {
  if (typeof v === 'number') return v;
  const { low, high } = v as LongLike;
  return (high >>> 0) * TWO_32 + (low >>> 0);
}

const NO_NODES: readonly Node[] = Object.freeze([]);
const NO_BYTES = new Uint8Array(0);

/**
 * Reads protobufjs messages. The wire check has already proven every field well-typed. protobufjs
 * keeps proto3 defaults on the message prototype, but `within` hands over a plain empty object for
 * an absent sub-message, hence the fallbacks.
 */
export const protobufCodec: WireCodec = {
  format: 'protobuf',
  msg: (o, f) => (o[f] as Node | null | undefined) ?? undefined,
  list: (o, f) => (o[f] as readonly Node[] | undefined) ?? NO_NODES,
  has: (o, f) => Object.hasOwn(o, f),
  str: (o, f) => (o[f] as string | undefined) ?? '',
  bool: (o, f) => (o[f] as boolean | undefined) ?? false,
  int32: (o, f) => (o[f] as number | undefined) ?? 0,
  uint32: (o, f) => (o[f] as number | undefined) ?? 0,
  double: (o, f) => (o[f] as number | undefined) ?? 0,
  enumValue: (o, f) => (o[f] as number | undefined) ?? 0,
  id: (o, f) => idHex(o[f]),
  time: (o, f) => unsigned64(o[f] ?? 0),
  int64: (o, f) => signed64(o[f] ?? 0),
  count: (o, f) => count64(o[f] ?? 0),
  counts: (o, f) => ((o[f] as readonly unknown[] | undefined) ?? NO_NODES).map(count64),
  doubles: (o, f) => ((o[f] as readonly number[] | undefined) ?? []).slice(),
  bytes: (o, f) => new Uint8Array((o[f] as ArrayLike<number> | undefined) ?? NO_BYTES),
};
