import { deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { formatErrorOf as reason, pythonEvent } from './fixtures.ts';
import { parseStoreBody, sentryEventToErrorEvent } from './index.ts';

const json = JSON.stringify(pythonEvent());
const bytes = (s: string | Buffer) => (typeof s === 'string' ? new TextEncoder().encode(s) : new Uint8Array(s));

describe('parseStoreBody', () => {
  test('plain JSON (raven-js, curl)', () => {
    expect(parseStoreBody(bytes(`\n ${json}`))).toEqual(pythonEvent());
  });

  test('base64 of zlib-deflated JSON (raven-python), also line-wrapped', () => {
    const encoded = deflateSync(json).toString('base64');
    expect(parseStoreBody(bytes(encoded))).toEqual(pythonEvent());
    const wrapped = encoded.replace(/(.{76})/g, '$1\r\n');
    const event = sentryEventToErrorEvent(parseStoreBody(bytes(wrapped)), 0);
    expect(event.message).toBe('Payment pay_17 failed for bob');
  });

  test('base64 of plain JSON, raw zlib and gzip', () => {
    expect(parseStoreBody(bytes(Buffer.from(json).toString('base64')))).toEqual(pythonEvent());
    expect(parseStoreBody(bytes(deflateSync(json)))).toEqual(pythonEvent());
    expect(parseStoreBody(bytes(gzipSync(json)))).toEqual(pythonEvent());
  });

  test('garbage is refused with the reason', () => {
    expect(reason(() => parseStoreBody(bytes('  ')))).toBe('store body is empty');
    expect(reason(() => parseStoreBody(bytes('{"event_id": ')))).toMatch(/^store body is not valid JSON \(/);
    expect(reason(() => parseStoreBody(bytes('[{}]')))).toBe('store body is not a JSON object');
    expect(reason(() => parseStoreBody(bytes('hello world!')))).toBe('store body is neither JSON nor base64-encoded or compressed JSON');
    expect(reason(() => parseStoreBody(bytes('aGVsbG8=')))).toBe('base64-decoded store body is neither JSON nor zlib-compressed JSON');
    expect(reason(() => parseStoreBody(bytes(Buffer.from('[1,2]').toString('base64'))))).toBe(
      'base64-decoded store body is not a JSON object',
    );
    expect(reason(() => parseStoreBody(new Uint8Array([0x78, 0x9c, 1, 2, 3, 4])))).toMatch(/^store body is not valid compressed data \(/);
  });

  test('a decompression bomb stops at the limit', () => {
    const bomb = deflateSync(`{"message":"${'a'.repeat(5_000_000)}"}`);
    expect(bomb.length).toBeLessThan(10_000);
    expect(reason(() => parseStoreBody(bytes(bomb.toString('base64'))))).toBe('store body decompresses to more than 1048576 bytes');
    expect(reason(() => parseStoreBody(bytes(bomb), { maxDecodedBytes: 1000 }))).toBe('store body decompresses to more than 1000 bytes');
  });
});
