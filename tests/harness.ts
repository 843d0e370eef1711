import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig, start, type Running } from '@faultline/cli';

export const TEST_KEY = 'testkey0000000000000000000000001';
export const TEST_TOKEN = 'flt_test_admin_token_0000000000000000';

export interface Faultline {
  running: Running;
  api: string;
  otlpHttp: string;
  otlpGrpc: string;
  key: string;
  token: string;
  dataDir: string;
  /** GET on the query API with the admin token. */
  get(path: string, token?: string): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

/** Starts the all-in-one on free ports and a fresh embedded data directory, as `npm start` would. */
export async function startFaultline(env: Record<string, string> = {}): Promise<Faultline> {
  const dataDir = env.FAULTLINE_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'faultline-e2e-'));
  const config = loadConfig({
    FAULTLINE_DATA_DIR: dataDir,
    FAULTLINE_OTLP_GRPC_PORT: '0',
    FAULTLINE_OTLP_HTTP_PORT: '0',
    FAULTLINE_HTTP_PORT: '0',
    FAULTLINE_BOOTSTRAP_INGEST_KEY: TEST_KEY,
    FAULTLINE_BOOTSTRAP_ADMIN_TOKEN: TEST_TOKEN,
    FAULTLINE_BATCH_MAX_DELAY_MS: '20',
    ...env,
  });
  const log = pino({ level: process.env.FAULTLINE_TEST_LOG ?? 'silent' });
  const running = await start(config, 'all', { log, banner: false });
  const collector = running.collector;
  if (!collector || running.queryPort === null) throw new Error('all roles should be running');
  const api = `http://127.0.0.1:${running.queryPort}`;
  return {
    running,
    api,
    otlpHttp: `http://127.0.0.1:${collector.httpPort}`,
    otlpGrpc: `127.0.0.1:${collector.grpcPort}`,
    key: TEST_KEY,
    token: TEST_TOKEN,
    dataDir,
    async get(path, token = TEST_TOKEN) {
      const res = await fetch(`${api}${path}`, { headers: { authorization: `Bearer ${token}` } });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
    },
    async stop() {
      await running.stop();
      if (!env.FAULTLINE_DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a value (telemetry becomes visible after the group commit). */
export async function eventually<T>(check: () => Promise<T | null | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
