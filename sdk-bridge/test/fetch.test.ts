/**
 * The global `fetch` (undici) across two processes, each set up only by `node --import fixtures/instrument.ts`:
 * the client's CLIENT span and the called service's SERVER span must form one trace.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SpanKind, StatusCode, type Span } from '@faultline/proto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startReceiver, type Receiver } from './receiver.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const UNDICI_SCOPE = '@opentelemetry/instrumentation-undici';

interface Echo {
  path: string;
  headers: string[];
}
interface ClientReport {
  plain: Echo;
  handWritten: Echo;
  failure: string;
}

let receiver: Receiver;
let server: ChildProcess | undefined;

function startFixture(service: string, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', pathToFileURL(join(FIXTURES, 'instrument.ts')).href, join(FIXTURES, 'fetch-app.ts')], {
    env: { ...process.env, FIXTURE_ENDPOINT: receiver.url, FIXTURE_KEY: 'k-fetch', FIXTURE_SERVICE: service, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  return { child, output: () => output };
}

async function startServer(): Promise<string> {
  const { child, output } = startFixture('fetch-server', { FIXTURE_MODE: 'server' });
  server = child;
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', () => {
      const match = /listening on (http:\/\/\S+)/.exec(output());
      if (match?.[1]) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`server fixture exited with ${code}:\n${output()}`)));
  });
}

async function runClient(target: string): Promise<ClientReport> {
  const { child, output } = startFixture('fetch-client', { FIXTURE_MODE: 'client', FIXTURE_TARGET: target });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`client fixture exited with ${code}:\n${output()}`);
  const last = output().trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as ClientReport;
}

const clientSpan = (path: string) => (s: Span) =>
  s.serviceName === 'fetch-client' && s.kind === SpanKind.CLIENT && s.attributes['url.path'] === path;

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server?.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  await receiver?.close();
});

describe('Node bridge: global fetch (undici)', () => {
  test('a fetch() to another instrumented service gives CLIENT → SERVER spans in one trace; failures stay the app’s', async () => {
    const target = await startServer();
    const report = await runClient(target);

    const client = await receiver.waitForSpan(clientSpan('/plain'));
    expect(client).toMatchObject({ name: 'GET', parentSpanId: '', statusCode: StatusCode.UNSET, scope: { name: UNDICI_SCOPE } });
    expect(client.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.full': `${target}/plain?sku=42`,
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(target).port),
      'http.response.status_code': 200,
    });
    // The called service received exactly the client span's context…
    expect(report.plain.headers).toEqual([`traceparent: 00-${client.traceId}-${client.spanId}-01`]);
    // …and its SERVER span continues it.
    const served = await receiver.waitForSpan(
      (s) => s.serviceName === 'fetch-server' && s.kind === SpanKind.SERVER && s.attributes['url.path'] === '/plain',
    );
    expect(served).toMatchObject({ traceId: client.traceId, parentSpanId: client.spanId });

    // A traceparent written by hand is replaced, as the HTTP instrumentation does, not sent twice (which
    // the receiver would have to discard as invalid).
    const handClient = await receiver.waitForSpan(clientSpan('/hand-written'));
    expect(report.handWritten.headers).toEqual([`traceparent: 00-${handClient.traceId}-${handClient.spanId}-01`]);

    // A network failure rejects the fetch as usual, for the app to handle, and marks the span.
    expect(report.failure).toBe('TypeError: fetch failed');
    const failed = await receiver.waitForSpan(clientSpan('/down'));
    expect(failed.statusCode).toBe(StatusCode.ERROR);
    expect(failed.attributes['error.type']).toBe('ECONNREFUSED');
    expect(failed.events.some((e) => e.name === 'exception')).toBe(true);
  });
});
