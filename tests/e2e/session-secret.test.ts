import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { findApiTokenById } from '@faultline/storage';
import { startFaultline, type Faultline } from '../harness.ts';

// Its own file: one embedded data directory per process.
let fl: Faultline;
beforeAll(async () => {
  fl = await startFaultline({ FAULTLINE_SESSION_SECRET: 's'.repeat(40) });
});
afterAll(async () => fl.stop());

const SESSION = 'faultline_session';
const projects = (cookie: string) => fetch(`${fl.api}/api/v1/projects`, { headers: { cookie } });

test('with FAULTLINE_SESSION_SECRET, a cookie forged from the stored token hash alone is refused; signed-in sessions work', async () => {
  const res = await fetch(`${fl.api}/projects/default/issues?token=${fl.token}`, { redirect: 'manual' });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect((await projects(cookie)).status).toBe(200);
  // Whoever can read api_tokens has the hash; without the secret that alone signs a valid cookie.
  const [id, expires, nonce] = cookie.slice(`${SESSION}=`.length).split('.');
  const stored = await findApiTokenById(fl.running.db, id ?? '');
  expect(stored?.hash).toMatch(/^[0-9a-f]+$/);
  const mac = createHmac('sha256', stored?.hash ?? '')
    .update(`${id}.${expires}.${nonce}`)
    .digest('base64url');
  expect((await projects(`${SESSION}=${id}.${expires}.${nonce}.${mac}`)).status).toBe(401);
  // A changed cookie is refused as before.
  expect((await projects(`${cookie.slice(0, -2)}xx`)).status).toBe(401);
});
