import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { deliverWebhook, maskWebhookUrl } from './webhook.ts';

/** A receiver whose path says how to answer: `/status/<code>`, `/hang`, `/flaky` (500 once, then 200). */
let server: Server;
let base = '';
const hits = new Map<string, number>();
beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    const n = (hits.get(path) ?? 0) + 1;
    hits.set(path, n);
    req.resume();
    if (path === '/hang') return;
    if (path === '/flaky') return void res.writeHead(n === 1 ? 500 : 200).end();
    res.writeHead(Number(path.split('/')[2] ?? 200)).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const fast = { timeoutMs: 200, attempts: 3, backoffMs: 10 };

describe('webhook delivery', () => {
  test('a passing 5xx is retried until it succeeds; a 4xx or a redirect is not retried', async () => {
    expect(await deliverWebhook(`${base}/flaky`, {}, fast)).toEqual({ status: 'delivered', httpStatus: 200, attempts: 2, error: '' });
    expect(await deliverWebhook(`${base}/status/404`, {}, fast)).toEqual({ status: 'failed', httpStatus: 404, attempts: 1, error: 'HTTP 404' });
    expect(await deliverWebhook(`${base}/status/302`, {}, fast)).toMatchObject({ status: 'failed', httpStatus: 302, attempts: 1 });
    expect(await deliverWebhook(`${base}/status/429`, {}, fast)).toMatchObject({ status: 'failed', attempts: 3 });
    expect(hits.get('/status/404')).toBe(1);
  });

  test('a receiver that never answers times out per attempt; the outcome never quotes the URL', async () => {
    const started = Date.now();
    const outcome = await deliverWebhook(`${base}/hang`, {}, { ...fast, attempts: 2 });
    expect(outcome).toEqual({ status: 'failed', httpStatus: 0, attempts: 2, error: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2_000);
    const closed = await deliverWebhook('http://127.0.0.1:1/T000/secret-part', {}, { ...fast, attempts: 1 });
    expect(closed.status).toBe('failed');
    expect(closed.error).not.toContain('secret');
  });

  test('shutdown aborts the backoff and the attempt in flight', async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 50);
    const outcome = await deliverWebhook(`${base}/hang`, {}, { timeoutMs: 5_000, attempts: 3, backoffMs: 5_000, signal: abort.signal });
    expect(outcome).toMatchObject({ status: 'failed', attempts: 1, error: 'aborted' });
  });

  test('masking keeps only the origin', () => {
    expect(maskWebhookUrl('https://hooks.slack.com/services/T0/B0/secret')).toBe('https://hooks.slack.com/…');
    expect(maskWebhookUrl('nonsense')).toBe('…');
  });
});
