import { afterAll, beforeAll, describe, expect, test } from 'vitest';
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
