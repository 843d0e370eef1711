/**
 * Bodies of the legacy `/api/<project>/store/` endpoint: one event as JSON. Old SDKs (raven-python and
 * friends) send it zlib-deflated and base64-encoded instead, so that it survives transports that mangle
 * binary; we recognize each layer by its first bytes rather than trusting headers.
 */
import { gunzipSync, inflateSync } from 'node:zlib';
import { SentryFormatError } from './errors.ts';

export interface StoreLimits {
  /** Decompressed bodies larger than this are refused (default 1 MiB, Relay's event size limit). */
  maxDecodedBytes?: number;
}

const DEFAULT_MAX_DECODED_BYTES = 1024 * 1024;
const utf8 = new TextDecoder('utf-8');
/** Standard and URL-safe alphabets; whitespace (line-wrapped base64) is removed before the test. */
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

function firstNonSpace(bytes: Uint8Array): number | undefined {
  return bytes.find((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
}

/** JSON text that is not an object is still reported as such, not as failed base64. */
function looksLikeJson(bytes: Uint8Array): boolean {
  const first = firstNonSpace(bytes);
  return first === 0x7b /* { */ || first === 0x5b; /* [ */
}

function isZlib(bytes: Uint8Array): boolean {
  const cmf = bytes[0];
  const flg = bytes[1];
  return cmf !== undefined && flg !== undefined && (cmf & 0x0f) === 8 && (cmf * 256 + flg) % 31 === 0;
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function decompress(bytes: Uint8Array, maxBytes: number): Uint8Array {
  try {
    return isGzip(bytes) ? gunzipSync(bytes, { maxOutputLength: maxBytes }) : inflateSync(bytes, { maxOutputLength: maxBytes });
  } catch (err) {
    if (err instanceof RangeError) throw new SentryFormatError(`store body decompresses to more than ${maxBytes} bytes`);
    throw new SentryFormatError(`store body is not valid compressed data (${(err as Error).message})`);
  }
}

function parseJsonObject(bytes: Uint8Array, what: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(bytes));
  } catch (err) {
    throw new SentryFormatError(`${what} is not valid JSON (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SentryFormatError(`${what} is not a JSON object`);
  return value;
}

/** Plain JSON, or compressed JSON; null when the bytes are neither. */
function decodeLayer(bytes: Uint8Array, maxBytes: number, what: string): unknown {
  if (looksLikeJson(bytes)) return parseJsonObject(bytes, what);
  if (isZlib(bytes) || isGzip(bytes)) return parseJsonObject(decompress(bytes, maxBytes), `decompressed ${what}`);
  return null;
}

/**
 * The event in a /store/ body. Throws SentryFormatError when the body is not JSON, base64 JSON, or
 * (base64) zlib/gzip-compressed JSON, or when it does not hold a JSON object.
 */
export function parseStoreBody(body: Uint8Array, limits: StoreLimits = {}): unknown {
  const maxBytes = limits.maxDecodedBytes ?? DEFAULT_MAX_DECODED_BYTES;
  if (firstNonSpace(body) === undefined) throw new SentryFormatError('store body is empty');
  if (looksLikeJson(body)) return parseJsonObject(body, 'store body');
  // Checked before raw zlib: base64 text can start with bytes that look like a zlib header, raw zlib cannot pass as base64.
  const text = utf8.decode(body).replace(/\s+/g, '');
  if (BASE64.test(text)) {
    const inner = decodeLayer(Buffer.from(text, 'base64'), maxBytes, 'base64-decoded store body');
    if (inner === null) throw new SentryFormatError('base64-decoded store body is neither JSON nor zlib-compressed JSON');
    return inner;
  }
  const compressed = decodeLayer(body, maxBytes, 'store body');
  if (compressed === null) throw new SentryFormatError('store body is neither JSON nor base64-encoded or compressed JSON');
  return compressed;
}
