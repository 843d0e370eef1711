import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '@faultline/storage';
import { ApiError, readJsonBody, sendError, sendJson } from './http.ts';
import { createQueryServer } from './server.ts';

// Real HTTP on loopback; none of these requests reaches storage, so a stand-in database is enough.
let echo: Server;
let query: Server;
const base = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

beforeAll(async () => {
  echo = createServer((req, res) => {
    readJsonBody(req, 1024).then(
      (body) => sendJson(res, 200, body),
      (err: unknown) => sendError(res, err as ApiError),
    );
  });
  query = createQueryServer(
    {} as Database,
    { host: '127.0.0.1', port: 0, uiDir: '/nonexistent', publicUrl: 'http://127.0.0.1:8080', sessionTtlMs: 60_000, maxSpansPerTrace: 10, maxLogsPerTrace: 10, maxSourceFileBytesPerProject: 1, maxNotesPerIssue: 1, retentionDays: 1, version: 'test', ingest: { otlpHttpPort: 4318, otlpGrpcPort: 4317, otlpHttpUrl: null } },
    { ready: async () => true, metricsText: () => '' },
    { error: () => undefined },
  ).server;
  await Promise.all([echo, query].map((s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))));
});
afterAll(async () => {
  await Promise.all([echo, query].map((s) => new Promise((resolve) => s.close(resolve))));
});

const post = (body: string | ReadableStream, init: RequestInit = {}) =>
  fetch(base(echo), { method: 'POST', body, signal: AbortSignal.timeout(3_000), ...init }).then(async (r) => [r.status, await r.json()] as const);

/** One raw request on a fresh connection; the whole answer as text. */
function raw(server: Server, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () => socket.write(request));
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString()));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
    setTimeout(() => socket.destroy(new Error(`no answer in time; so far: ${text}`)), 3_000);
  });
}

describe('JSON request bodies (found by fuzzing the query API)', () => {
  test('a too large body is a 413 and the kept-alive connection still answers the next requests at once', async () => {
    // It hung: the client's second request after the 413 waited ~6 s and then failed with ECONNRESET.
    for (const big of ['x'.repeat(3 * 1024 * 1024), new Blob(['x'.repeat(3 * 1024 * 1024)]).stream()]) {
      const init = typeof big === 'string' ? {} : ({ duplex: 'half' } as RequestInit);
      expect((await post(big, init))[0]).toBe(413);
      for (let i = 0; i < 3; i++) expect(await post('{"n":1}')).toEqual([200, { n: 1 }]);
    }
  });

  test('an unpaired surrogate escape is a 400 naming the field (ClickHouse refused it on insert: a 500)', async () => {
    expect(await post('{"settings":{"keys":["ok","\\ud800"]}}')).toEqual([
      400,
      { error: { code: 'invalid_request', message: 'body field "settings.keys.1": is not valid Unicode (an unpaired surrogate escape such as \\ud800)' } },
    ]);
    expect((await post('{"\\udc00":1}'))[0]).toBe(400);
    // a pair is a character
    expect(await post('{"name":"\\ud83d\\ude00"}')).toEqual([200, { name: '😀' }]);
  });

  test('deeply nested arrays are walked without a stack overflow', async () => {
    const deep = '['.repeat(400) + ']'.repeat(400);
    expect((await post(deep))[0]).toBe(200);
  });
});

describe('requests the handler never sees', () => {
  test('headers over 16 KiB are a 431 in the contract error shape, not a bare status line', async () => {
    const res = await fetch(`${base(query)}/api/v1/info?x=${'a'.repeat(20_000)}`);
    expect(res.status).toBe(431);
    expect(await res.json()).toEqual({ error: { code: 'headers_too_large', message: expect.stringContaining('16 KiB') as unknown } });
  });

  test('a malformed request is a 400 in the contract shape', async () => {
    const answer = await raw(query, 'BLAH\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(answer.split('\r\n\r\n')[1] ?? '')).toEqual({ error: { code: 'invalid_request', message: 'malformed HTTP request' } });
  });

  test('an absolute-form target that is no URL is a 400, not a 500', async () => {
    for (const target of ['http://[::1/api/v1/info', 'http://a:99999/api/v1/info']) {
      const answer = await raw(query, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(answer, target).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer, target).toContain('"message":"the request target is not a valid URL"');
    }
  });
});
