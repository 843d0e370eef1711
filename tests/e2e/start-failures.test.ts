/**
 * A start that cannot complete stops whatever it had started and exits 1 with one JSON log line naming the setting
 * (audit: a busy port left a half-started process answering /readyz; a second process on a data directory died with
 * chDB's dump; an unreachable ClickHouse printed the client's 19-line dump).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, test } from 'vitest';
import { StartError, loadConfig, start } from '@faultline/cli';
import { startFaultline } from '../harness.ts';

const ROOT = join(import.meta.dirname, '..', '..');
// chDB binds one data directory per process: every in-process start of this file uses this one.
const dataDir = mkdtempSync(join(tmpdir(), 'faultline-startfail-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const silent = pino({ level: 'silent' });

async function listen(port = 0): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return { server, port: (server.address() as { port: number }).port };
}

async function freePort(): Promise<number> {
  const { server, port } = await listen();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The port can be bound again: nothing of the failed start still holds it. */
async function expectFree(port: number): Promise<void> {
  const { server } = await listen(port);
  await new Promise((resolve) => server.close(resolve));
}

function configWith(env: Record<string, string>) {
  return loadConfig({ FAULTLINE_DATA_DIR: dataDir, FAULTLINE_BOOTSTRAP_ADMIN_TOKEN: 'flt_start_failures_000000000000', ...env });
}

/** `faultline start` as a process, to its exit. */
function runProcess(env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'faultline.ts'), 'start', ...args], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The process's fatal log line (level 60); every stdout line is JSON. */
function fatalLine(stdout: string): { msg: string } {
  const lines = stdout.split('\n').filter(Boolean);
  for (const line of lines) expect(() => JSON.parse(line) as unknown, line).not.toThrow();
  const fatal = lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level === 60);
  expect(fatal).toHaveLength(1);
  return fatal[0] as { msg: string };
}

describe('a busy port', () => {
  test('HTTP: the start fails naming FAULTLINE_HTTP_PORT, and the OTLP listeners it had opened are closed again', async () => {
    const busy = await listen();
    const [grpc, http] = [await freePort(), await freePort()];
    const config = configWith({
      FAULTLINE_HTTP_PORT: String(busy.port),
      FAULTLINE_OTLP_GRPC_PORT: String(grpc),
      FAULTLINE_OTLP_HTTP_PORT: String(http),
    });
    const failed = start(config, 'all', { log: silent, banner: false });
    await expect(failed).rejects.toThrow(StartError);
    await expect(failed).rejects.toThrow(`FAULTLINE_HTTP_PORT=${busy.port}: address 127.0.0.1:${busy.port} is already in use`);
    await expectFree(grpc);
    await expectFree(http);
    busy.server.close();
    // Storage was closed as well: the same directory opens again.
    const running = await start(
      configWith({ FAULTLINE_HTTP_PORT: '0', FAULTLINE_OTLP_GRPC_PORT: '0', FAULTLINE_OTLP_HTTP_PORT: '0' }),
      'all',
      {
        log: silent,
        banner: false,
      },
    );
    await running.stop();
  });

  test('gRPC: the start fails naming FAULTLINE_OTLP_GRPC_PORT and OTLP/HTTP is closed again', async () => {
    const busy = await listen();
    const http = await freePort();
    const config = configWith({
      FAULTLINE_HTTP_PORT: '0',
      FAULTLINE_OTLP_GRPC_PORT: String(busy.port),
      FAULTLINE_OTLP_HTTP_PORT: String(http),
    });
    await expect(start(config, 'all', { log: silent, banner: false })).rejects.toThrow(
      `FAULTLINE_OTLP_GRPC_PORT=${busy.port}: address 127.0.0.1:${busy.port} is already in use`,
    );
    await expectFree(http);
    busy.server.close();
  });

  test('as a process: exit 1 with one JSON log line and no stack, not a half-started server', async () => {
    const busy = await listen();
    const ownDir = mkdtempSync(join(tmpdir(), 'faultline-startfail-proc-'));
    try {
      const run = await runProcess({
        FAULTLINE_DATA_DIR: ownDir,
        FAULTLINE_HTTP_PORT: String(busy.port),
        FAULTLINE_OTLP_GRPC_PORT: String(await freePort()),
        FAULTLINE_OTLP_HTTP_PORT: String(await freePort()),
      });
      expect(run.code).toBe(1);
      expect(fatalLine(run.stdout).msg).toBe(`FAULTLINE_HTTP_PORT=${busy.port}: address 127.0.0.1:${busy.port} is already in use`);
      expect(run.stdout + run.stderr).not.toMatch(/^\s+at /m);
      expect(run.stderr).toBe('');
    } finally {
      busy.server.close();
      rmSync(ownDir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('embedded storage is one process', () => {
  test('--role collector or query without FAULTLINE_CLICKHOUSE_URL is refused', async () => {
    for (const role of ['collector', 'query'] as const) {
      await expect(start(configWith({}), role, { log: silent, banner: false })).rejects.toThrow(
        'embedded storage is single-process: run --role all, or set FAULTLINE_CLICKHOUSE_URL',
      );
    }
    const run = await runProcess({ FAULTLINE_DATA_DIR: join(dataDir, 'never-created') }, ['--role', 'collector']);
    expect(run.code).toBe(1);
    expect(fatalLine(run.stdout).msg).toBe('embedded storage is single-process: run --role all, or set FAULTLINE_CLICKHOUSE_URL');
    expect(existsSync(join(dataDir, 'never-created'))).toBe(false);
  }, 60_000);

  test('a second process on a data directory in use gets one line saying so', async () => {
    const first = await startFaultline({ FAULTLINE_DATA_DIR: dataDir });
    try {
      const run = await runProcess({
        FAULTLINE_DATA_DIR: dataDir,
        FAULTLINE_HTTP_PORT: '0',
        FAULTLINE_OTLP_GRPC_PORT: '0',
        FAULTLINE_OTLP_HTTP_PORT: '0',
      });
      expect(run.code).toBe(1);
      expect(fatalLine(run.stdout).msg).toBe(
        `FAULTLINE_DATA_DIR=${dataDir}: the directory is in use by another Faultline (pid ${process.pid}); stop that one or give this one another directory`,
      );
      expect(run.stderr).not.toContain('Cannot lock file');
      expect(run.stderr).toBe('');
      expect((await first.get('/readyz')).status).toBe(200);
    } finally {
      await first.stop();
    }
  }, 90_000);
});

describe('settings that cannot work', () => {
  test('an unreachable ClickHouse is one line naming FAULTLINE_CLICKHOUSE_URL, without its password', async () => {
    const port = await freePort();
    const config = configWith({ FAULTLINE_CLICKHOUSE_URL: `http://faultline:hunter2@127.0.0.1:${port}/faultline` });
    const failed = start(config, 'query', { log: silent, banner: false });
    await expect(failed).rejects.toThrow(
      `FAULTLINE_CLICKHOUSE_URL=http://faultline:***@127.0.0.1:${port}/faultline: cannot reach ClickHouse (ECONNREFUSED)`,
    );
    await expect(failed).rejects.not.toThrow('hunter2');
  });

  test('a host that does not resolve is named before storage is touched', async () => {
    const fresh = join(dataDir, 'untouched');
    const failed = start(configWith({ FAULTLINE_HOST: 'not.a.host.invalid', FAULTLINE_DATA_DIR: fresh }), 'all', {
      log: silent,
      banner: false,
    });
    await expect(failed).rejects.toThrow(/^FAULTLINE_HOST=not\.a\.host\.invalid: cannot be resolved \(E[A-Z_]+\)$/);
    expect(existsSync(fresh)).toBe(false);
  });
});
