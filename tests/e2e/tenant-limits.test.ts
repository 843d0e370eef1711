import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MAX_CREDENTIALS_PER_PROJECT } from '../../query/src/routes/admin.ts';
import { MAX_ALERT_RULES } from '../../query/src/routes/alerts.ts';
import { startFaultline, type Faultline } from '../harness.ts';

let fl: Faultline;
beforeAll(async () => {
  fl = await startFaultline();
});
afterAll(async () => fl.stop());

async function post(path: string, body: unknown, token: string): Promise<{ status: number; body: { token?: string; error?: { code: string } } }> {
  const res = await fetch(`${fl.api}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { token?: string; error?: { code: string } } };
}

const rule = (i: number) => ({ name: `rule ${i}`, kind: 'new_issue', webhookUrl: 'http://127.0.0.1:9/hook' });

describe('alert rules per project', () => {
  test(`a project keeps at most ${MAX_ALERT_RULES} rules (409 past it): one tenant cannot slow every other tenant's evaluation`, async () => {
    const noisy = await post('/api/v1/projects', { slug: 'noisy' }, fl.token);
    expect(noisy.status).toBe(201);
    const admin = noisy.body.token ?? '';
    for (let i = 0; i < MAX_ALERT_RULES; i++) expect((await post('/api/v1/projects/noisy/alerts', rule(i), admin)).status).toBe(201);
    const over = await post('/api/v1/projects/noisy/alerts', rule(MAX_ALERT_RULES), admin);
    expect(over.status).toBe(409);
    expect(over.body.error?.code).toBe('limit_reached');
    // Other projects are not affected.
    expect((await post('/api/v1/projects/default/alerts', rule(0), fl.token)).status).toBe(201);
  }, 120_000);
});

describe('ingest keys and API tokens per project', () => {
  test(`a project keeps at most ${MAX_CREDENTIALS_PER_PROJECT} usable keys and tokens (409 past it); revoking one makes room`, async () => {
    const hoard = await post('/api/v1/projects', { slug: 'hoard' }, fl.token);
    expect(hoard.status).toBe(201);
    const admin = hoard.body.token ?? '';
    // The project starts with one key and one admin token.
    let lastKey = '';
    for (let i = 1; i < MAX_CREDENTIALS_PER_PROJECT; i++) {
      const created = await post('/api/v1/projects/hoard/keys', {}, admin);
      expect(created.status).toBe(201);
      lastKey = (created.body as { id?: string }).id ?? '';
    }
    const overKey = await post('/api/v1/projects/hoard/keys', {}, admin);
    expect([overKey.status, overKey.body.error?.code]).toEqual([409, 'limit_reached']);
    const revoked = await fetch(`${fl.api}/api/v1/projects/hoard/keys/${lastKey}`, { method: 'DELETE', headers: { authorization: `Bearer ${admin}` } });
    expect(revoked.status).toBe(204);
    expect((await post('/api/v1/projects/hoard/keys', {}, admin)).status).toBe(201);

    for (let i = 1; i < MAX_CREDENTIALS_PER_PROJECT; i++) expect((await post('/api/v1/projects/hoard/tokens', { role: 'read' }, admin)).status).toBe(201);
    const overToken = await post('/api/v1/projects/hoard/tokens', { role: 'read' }, admin);
    expect([overToken.status, overToken.body.error?.code]).toEqual([409, 'limit_reached']);
    // Other projects are not affected.
    expect((await post('/api/v1/projects/default/tokens', { role: 'read' }, fl.token)).status).toBe(201);
  }, 120_000);
});
