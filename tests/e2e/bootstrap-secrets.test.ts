/**
 * Bootstrap secrets across restarts (audit: a revoked FAULTLINE_BOOTSTRAP_INGEST_KEY came back on every restart; a new
 * FAULTLINE_BOOTSTRAP_ADMIN_TOKEN left the old one valid too, and instance tokens could be neither listed nor
 * revoked), and the instance-wide token administration (API and CLI).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, describe, expect, test } from 'vitest';
import { loadConfig, start, type Running } from '@faultline/cli';
import { createApiToken } from '@faultline/storage';
import { runAdminCommand } from '../../cli/src/admin-commands.ts';
import { eventually } from '../harness.ts';
import { sendTrace } from '../otlp-client.ts';
import type { Faultline } from '../harness.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'faultline-bootstrap-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const KEY = 'bootstrapkey00000000000000000001';
const TOKEN_A = 'flt_bootstrap_token_a_00000000000000';
const TOKEN_B = 'flt_bootstrap_token_b_00000000000000';

interface Started {
  running: Running;
  api: string;
  otlpHttp: string;
  /** Every log line of this start, as written. */
  logs: () => string;
}

/** One start on the shared data directory with the given bootstrap secrets, its log captured. */
async function startWith(env: Record<string, string>): Promise<Started> {
  let logs = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs += chunk.toString();
      done();
    },
  });
  const config = loadConfig({
    FAULTLINE_DATA_DIR: dataDir,
    FAULTLINE_HTTP_PORT: '0',
    FAULTLINE_OTLP_GRPC_PORT: '0',
    FAULTLINE_OTLP_HTTP_PORT: '0',
    FAULTLINE_BATCH_MAX_DELAY_MS: '20',
    ...env,
  });
  const running = await start(config, 'all', { log: pino({ level: 'info' }, sink), banner: false });
  return {
    running,
    api: `http://127.0.0.1:${running.queryPort}`,
    otlpHttp: `http://127.0.0.1:${running.collector?.httpPort}`,
    logs: () => logs,
  };
}

async function api(s: Started, method: string, path: string, token: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${s.api}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

type TokenRow = { id: string; role: string; label: string; createdAt: string; revoked: boolean };

describe('bootstrap secrets', () => {
  test('a revoked FAULTLINE_BOOTSTRAP_INGEST_KEY stays revoked after a restart with the same environment, with a warning', async () => {
    const env = { FAULTLINE_BOOTSTRAP_INGEST_KEY: KEY, FAULTLINE_BOOTSTRAP_ADMIN_TOKEN: TOKEN_A };
    const first = await startWith(env);
    const keys = (await api(first, 'GET', '/api/v1/projects/1/keys', TOKEN_A)).body as { keys: Array<{ id: string; key: string }> };
    const id = keys.keys.find((k) => k.key === KEY)?.id ?? '';
    expect((await api(first, 'DELETE', `/api/v1/projects/1/keys/${id}`, TOKEN_A)).status).toBe(204);
    await first.running.stop();

    const second = await startWith(env);
    try {
      const after = (await api(second, 'GET', '/api/v1/projects/1/keys', TOKEN_A)).body as {
        keys: Array<{ key: string; revoked: boolean }>;
      };
      expect(after.keys.filter((k) => k.key === KEY)).toEqual([expect.objectContaining({ revoked: true })]);
      await expect(sendTrace({ otlpHttp: second.otlpHttp, key: KEY } as Faultline, { spans: 1, service: 'revoked' })).rejects.toThrow(
        /401/,
      );
      expect(second.logs()).toContain('FAULTLINE_BOOTSTRAP_INGEST_KEY is a revoked ingest key: it stays revoked');
      expect(second.logs()).not.toContain(KEY);
    } finally {
      await second.running.stop();
    }
  });

  test('a new FAULTLINE_BOOTSTRAP_ADMIN_TOKEN rotates: the previous one is revoked, both are listed, neither secret is logged', async () => {
    const rotated = await startWith({ FAULTLINE_BOOTSTRAP_ADMIN_TOKEN: TOKEN_B });
    try {
      expect((await api(rotated, 'GET', '/api/v1/projects', TOKEN_B)).status).toBe(200);
      expect((await api(rotated, 'GET', '/api/v1/projects', TOKEN_A)).status).toBe(401);
      const { tokens } = (await api(rotated, 'GET', '/api/v1/tokens', TOKEN_B)).body as { tokens: TokenRow[] };
      expect(tokens.map((t) => [t.role, t.label, t.revoked])).toEqual([
        ['instance_admin', 'bootstrap admin', true],
        ['instance_admin', 'bootstrap admin', false],
      ]);
      expect(JSON.stringify(tokens)).not.toContain('flt_');
      const line = rotated
        .logs()
        .split('\n')
        .find((l) => l.includes('FAULTLINE_BOOTSTRAP_ADMIN_TOKEN changed'));
      expect(JSON.parse(line ?? '{}')).toMatchObject({ level: 30, tokenId: tokens[1]?.id, revokedTokenIds: [tokens[0]?.id] });
      expect(rotated.logs()).not.toContain(TOKEN_A);
      expect(rotated.logs()).not.toContain(TOKEN_B);
    } finally {
      await rotated.running.stop();
    }
    // Going back to the revoked token does not revive it.
    const back = await startWith({ FAULTLINE_BOOTSTRAP_ADMIN_TOKEN: TOKEN_A });
    try {
      expect((await api(back, 'GET', '/api/v1/projects', TOKEN_A)).status).toBe(401);
      expect((await api(back, 'GET', '/api/v1/projects', TOKEN_B)).status).toBe(200);
      expect(back.logs()).toContain('FAULTLINE_BOOTSTRAP_ADMIN_TOKEN is a revoked token: it stays revoked');
    } finally {
      await back.running.stop();
    }
  });
});

describe('instance-wide token administration', () => {
  test('instance admins list and revoke instance tokens (not the last one); project tokens may not', async () => {
    const s = await startWith({ FAULTLINE_BOOTSTRAP_ADMIN_TOKEN: TOKEN_B });
    try {
      const list = async () => ((await api(s, 'GET', '/api/v1/tokens', TOKEN_B)).body as { tokens: TokenRow[] }).tokens;
      const current = (await list()).find((t) => !t.revoked);
      // The last usable instance admin token cannot be revoked: nobody could administer the instance any more.
      const refused = await api(s, 'DELETE', `/api/v1/tokens/${current?.id}`, TOKEN_B);
      expect(refused.status).toBe(409);
      expect((refused.body as { error: { message: string } }).error.message).toContain('last usable instance admin token');
      expect((await api(s, 'DELETE', '/api/v1/tokens/nonexistent', TOKEN_B)).status).toBe(404);

      const project = (await (
        await fetch(`${s.api}/api/v1/projects`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN_B}`, 'content-type': 'application/json' },
          body: JSON.stringify({ slug: 'tenant' }),
        })
      ).json()) as { token: string };
      expect((await api(s, 'GET', '/api/v1/tokens', project.token)).status).toBe(403);
      expect((await api(s, 'DELETE', `/api/v1/tokens/${current?.id}`, project.token)).status).toBe(403);

      // A second instance admin token (there is no API to make one: storage directly) makes the first revocable.
      const second = await createApiToken(s.running.db, 0, 'instance_admin', undefined, 'ops');
      let out = '';
      const io = { out: (text: string) => void (out += text) };
      const cli = { command: 'tokens', project: undefined, name: undefined, role: undefined, url: s.api, token: second.token };
      expect(await runAdminCommand({ ...cli, action: 'list', rest: [] }, io)).toBe(0);
      expect((JSON.parse(out) as { tokens: TokenRow[] }).tokens.map((t) => t.label)).toEqual(['bootstrap admin', 'bootstrap admin', 'ops']);
      out = '';
      expect(await runAdminCommand({ ...cli, action: 'revoke', rest: [current?.id ?? ''] }, io)).toBe(0);
      expect(out).toBe('revoked\n');
      await eventually(async () => ((await api(s, 'GET', '/api/v1/projects', TOKEN_B)).status === 401 ? true : null));
      const remaining = ((await api(s, 'GET', '/api/v1/tokens', second.token)).body as { tokens: TokenRow[] }).tokens;
      expect(remaining.filter((t) => !t.revoked).map((t) => t.label)).toEqual(['ops']);

      // Two admins revoking each other at once: one wins, the other is refused, an admin is left.
      const third = await createApiToken(s.running.db, 0, 'instance_admin', undefined, 'oncall');
      const ids = ((await api(s, 'GET', '/api/v1/tokens', second.token)).body as { tokens: TokenRow[] }).tokens.filter((t) => !t.revoked).map((t) => t.id);
      const answers = await Promise.all([api(s, 'DELETE', `/api/v1/tokens/${ids[0] ?? ''}`, third.token), api(s, 'DELETE', `/api/v1/tokens/${ids[1] ?? ''}`, second.token)]);
      expect(answers.map((a) => a.status).sort()).toEqual([204, 409]);
    } finally {
      await s.running.stop();
    }
  });
});
