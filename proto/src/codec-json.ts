import { type Node, type WireCodec } from './codec.ts';
import { ShapeError } from './errors.ts';
import type { EnumValues } from './schema.ts';

const snakeNames = new Map<string, string>();

/** OTLP/JSON receivers must also accept the original proto field names (`trace_id`). */
function snakeCase(field: string): string {
  let name = snakeNames.get(field);
  if (name === undefined) {
    name = field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    snakeNames.set(field, name);
  }
  return name;
}

/** A field's value, or undefined when absent; JSON null means absent too. */
function get(o: Node, field: string): unknown {
  let v = o[field];
  if (v === undefined) v = o[snakeCase(field)];
  return v ?? undefined;
}

function isObject(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const UNSIGNED = /^\d+$/;
const SIGNED = /^-?\d+$/;
const HEX_TEXT = /^(?:[0-9a-fA-F]{2})*$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** A decimal string or integral number as a bigint; null for anything else. */
function integer(v: unknown, pattern: RegExp): bigint | null {
  if (typeof v === 'string') return pattern.test(v) ? BigInt(v) : null;
  // A number beyond 2^53 already lost precision in JSON.parse; it is taken as it is.
  return typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : null;
}

function unsigned64(v: unknown, path: string): bigint {
  const n = integer(v, UNSIGNED);
  if (n !== null && n >= 0n && n <= UINT64_MAX) return n;
  throw new ShapeError(path, 'must be an unsigned 64-bit integer (decimal string or number)');
}

function signed64(v: unknown, path: string): number | bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  const n = integer(v, SIGNED);
  if (n !== null && n >= INT64_MIN && n <= INT64_MAX) {
    const small = Number(n);
    return Number.isSafeInteger(small) ? small : n;
  }
  throw new ShapeError(path, 'must be a 64-bit integer (decimal string or number)');
}

function double(v: unknown, path: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    // proto3 JSON spells the non-finite values as strings, and allows numbers in quotes.
    if (v === 'NaN') return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    const n = Number(v);
    if (v.trim() !== '' && Number.isFinite(n)) return n;
  }
  throw new ShapeError(path, 'must be a number');
}

function int32(v: unknown, path: string, min: number, max: number, what: string): number {
  const n = typeof v === 'string' && SIGNED.test(v) ? Number(v) : v;
  if (typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max) return n;
  throw new ShapeError(path, `must be ${what}`);
}

function list(o: Node, f: string): readonly Node[] {
  const v = get(o, f);
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new ShapeError(f, 'must be an array');
  for (let i = 0; i < v.length; i++) {
    if (!isObject(v[i])) throw new ShapeError(`${f}[${i}]`, 'must be an object');
  }
  return v as readonly Node[];
}

function scalars<T>(o: Node, f: string, read: (v: unknown, path: string) => T): T[] {
  const v = get(o, f);
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new ShapeError(f, 'must be an array');
  return v.map((x: unknown, i) => read(x, `${f}[${i}]`));
}

/** Reads OTLP/JSON (JSON.parse output): hex ids, int64 as strings or numbers, enums as names or numbers. */
export const jsonCodec: WireCodec = {
  format: 'json',
  msg(o, f) {
    const v = get(o, f);
    if (v === undefined || isObject(v)) return v;
    throw new ShapeError(f, 'must be an object');
  },
  list,
  has: (o, f) => get(o, f) !== undefined,
  str(o, f) {
    const v = get(o, f);
    // JSON text may carry lone surrogates ("\ud800"); they cannot be stored, so they become U+FFFD.
    if (typeof v === 'string') return v.isWellFormed() ? v : v.toWellFormed();
    if (v === undefined) return '';
    throw new ShapeError(f, 'must be a string');
  },
  bool(o, f) {
    const v = get(o, f);
    if (typeof v === 'boolean') return v;
    if (v === undefined) return false;
    throw new ShapeError(f, 'must be true or false');
  },
  int32(o, f) {
    const v = get(o, f);
    return v === undefined ? 0 : int32(v, f, -2147483648, 2147483647, 'a 32-bit integer');
  },
  uint32(o, f) {
    const v = get(o, f);
    return v === undefined ? 0 : int32(v, f, 0, 4294967295, 'an unsigned 32-bit integer');
  },
  double(o, f) {
    const v = get(o, f);
    return v === undefined ? 0 : double(v, f);
  },
  enumValue(o, f, values: EnumValues) {
    const v = get(o, f);
    if (v === undefined) return 0;
    if (typeof v === 'string' && Object.hasOwn(values, v)) return values[v] as number;
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    throw new ShapeError(f, `has unknown enum value ${JSON.stringify(v)}`);
  },
  id(o, f) {
    const v = get(o, f);
    if (v === undefined) return '';
    if (typeof v !== 'string') throw new ShapeError(f, 'must be a hex string');
    return HEX_TEXT.test(v) ? v.toLowerCase() : null;
  },
  time(o, f) {
    const v = get(o, f);
    return v === undefined ? 0n : unsigned64(v, f);
  },
  int64(o, f) {
    const v = get(o, f);
    return v === undefined ? 0 : signed64(v, f);
  },
  count(o, f) {
    const v = get(o, f);
    return v === undefined ? 0 : Number(unsigned64(v, f));
  },
  counts: (o, f) => scalars(o, f, (v, path) => Number(unsigned64(v, path))),
  doubles: (o, f) => scalars(o, f, double),
  bytes(o, f) {
    const v = get(o, f);
    if (v === undefined) return new Uint8Array(0);
    if (typeof v !== 'string' || !BASE64.test(v)) throw new ShapeError(f, 'must be a base64 string');
    return new Uint8Array(Buffer.from(v, 'base64'));
  },
};
