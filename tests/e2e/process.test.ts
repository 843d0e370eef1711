import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { eventually, type Faultline } from '../harness.ts';
import { sendTrace } from '../otlp-client.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'faultline-proc-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

interface Started {
  child: ChildProcess;
  stdout: () => string;
  ports: { grpc: number; http: number; api: number };
}

async function startProcess(): Promise<Started> {
  const ports = { grpc: await freePort(), http: await freePort(), api: await freePort() };
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'faultline.ts'), 'start'], {
    env: {
      PATH: process.env.PATH,
      FAULTLINE_DATA_DIR: dataDir,
      FAULTLINE_OTLP_GRPC_PORT: String(ports.grpc),
      FAULTLINE_OTLP_HTTP_PORT: String(ports.http),
      FAULTLINE_HTTP_PORT: String(ports.api),
      FAULTLINE_BATCH_MAX_DELAY_MS: '20',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  await eventually(async () => {
    try {
      return (await fetch(`http://127.0.0.1:${ports.api}/readyz`)).status === 200 ? true : null;
    } catch {
      return null;
    }
  }, 60_000);
  return { child, stdout: () => out, ports };
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('faultline start as a process', () => {
  test('first start prints secrets once; SIGTERM exits cleanly; data and keys survive a restart', async () => {
    const first = await startProcess();
    const banner = first.stdout();
    const key = /Ingest key:\s+([a-z0-9]{32})/.exec(banner)?.[1];
    const token = /Admin token:\s+(\S+)/.exec(banner)?.[1];
    expect(key).toBeDefined();
    expect(token).toBeDefined();
    expect(banner).toContain(`OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20${key}`);
    expect(banner).toContain(`OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:${first.ports.http}`);
    expect(banner).toContain(`http://${key}@127.0.0.1:${first.ports.http}/1`);
    expect(banner).toContain(`/?token=${token}`);
    const fl = { otlpHttp: `http://127.0.0.1:${first.ports.http}`, key } as Faultline;
    const { traceId } = await sendTrace(fl, { spans: 5, service: 'proc' });
    // The ack means durable: stop right after it and find every span after the restart.
    expect(await stop(first.child)).toBe(0);
    const logLines = first.stdout().split('\n').filter((l) => l.startsWith('{'));
    expect(logLines.join('\n')).not.toContain(key);
    expect(logLines.join('\n')).not.toContain(token);

    const second = await startProcess();
    expect(second.stdout()).not.toContain(key);
    expect(second.stdout()).not.toContain(token ?? '');
    const res = await fetch(`http://127.0.0.1:${second.ports.api}/api/v1/projects/default/traces/${traceId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { spans: unknown[] }).spans).toHaveLength(5);
    expect(await stop(second.child)).toBe(0);
  }, 120_000);
});
