import type protobuf from 'protobufjs';
import type { Node, WireFormat } from './codec.ts';
import { DecodeError } from './errors.ts';
import { checkWire } from './wire-check.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Turns a request body into the message tree the transforms walk: protobufjs messages for protobuf,
 * plain JSON.parse output for JSON. Throws DecodeError when the body is not a message at all.
 */
export function readRequest(body: Uint8Array, format: WireFormat, type: protobuf.Type): Node {
  if (format === 'protobuf') return readProtobuf(body, type);
  if (format === 'json') return readJson(body);
  throw new TypeError(`unknown OTLP wire format ${JSON.stringify(format)}`);
}

function readProtobuf(body: Uint8Array, type: protobuf.Type): Node {
  checkWire(body, type);
  // A Buffer view (no copy) lets protobufjs use Node's native UTF-8 decoding for strings.
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  try {
    return type.decode(buf) as unknown as Node;
  } catch (err) {
    // The wire check should have caught everything; keep protobufjs' own words if it did not.
    throw new DecodeError(`invalid protobuf: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * JSON.parse turns an integer beyond 2^53 into the nearest double (a nanosecond time loses up to ~128 ns), yet
 * OTLP/JSON lets int64 fields be numbers. Such literals are kept as their decimal text, which the codec reads like
 * the quoted form; only bodies holding a literal of 16 or more digits pay for the reviver.
 */
const LONG_INTEGER = /[:[,]\s*-?\d{16}/;

function keepLongIntegers(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value !== 'number' || Number.isSafeInteger(value) || context?.source === undefined) return value;
  return /^-?\d+$/.test(context.source) ? context.source : value;
}

function readJson(body: Uint8Array): Node {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new DecodeError('invalid JSON: body is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = LONG_INTEGER.test(text) ? JSON.parse(text, keepLongIntegers as (key: string, value: unknown) => unknown) : JSON.parse(text);
  } catch (err) {
    throw new DecodeError(`invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DecodeError('invalid JSON: the request must be a JSON object');
  }
  return value as Node;
}
