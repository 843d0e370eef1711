import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startFaultline, type Faultline } from '../harness.ts';

let fl: Faultline;
beforeAll(async () => {
  fl = await startFaultline();
});
afterAll(async () => fl.stop());

/** The `name=value` part of a Set-Cookie header. */
function cookieOf(res: Response): string {
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

/** A GET with the path sent as is (fetch would normalise `/.//x` to `//x` itself). */
function rawGet(path: string, headers: Record<string, string> = {}): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const url = new URL(fl.api);
    const req = request({ host: url.hostname, port: url.port, path, headers }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, location: res.headers.location });
    });
    req.on('error', reject);
    req.end();
  });
}

const projects = (cookie: string) => fetch(`${fl.api}/api/v1/projects`, { headers: { cookie } });

describe('UI sessions', () => {
  test('?token= on a UI URL signs in with an HttpOnly, SameSite=Strict cookie and drops the token from the address', async () => {
    const res = await fetch(`${fl.api}/projects/default/traces/${'a'.repeat(32)}?span=${'b'.repeat(16)}&token=${fl.token}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/projects/default/traces/${'a'.repeat(32)}?span=${'b'.repeat(16)}`);
    expect(res.headers.get('set-cookie')).toMatch(/^faultline_session=[^;]+;.*HttpOnly;.*SameSite=Strict/);
    expect((await projects(cookieOf(res))).status).toBe(200);
    // A refused token sets no cookie and says so to the sign-in form.
    const refused = await fetch(`${fl.api}/projects/default/issues?token=flt_revoked`, { redirect: 'manual' });
    expect(refused.status).toBe(303);
    expect(refused.headers.get('location')).toBe('/projects/default/issues?signin=refused');
    expect(refused.headers.get('set-cookie')).toBeNull();
  });

  test('signing out ends the session: a kept copy of the cookie is refused afterwards', async () => {
    const signIn = await fetch(`${fl.api}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: fl.token }) });
    expect(signIn.status).toBe(204);
    const cookie = cookieOf(signIn);
    const other = cookieOf(await fetch(`${fl.api}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: fl.token }) }));
    expect((await projects(cookie)).status).toBe(200);

    const signOut = await fetch(`${fl.api}/api/v1/session`, { method: 'DELETE', headers: { cookie } });
    expect(signOut.status).toBe(204);
    expect(signOut.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await projects(cookie)).status).toBe(401);
    // Another browser's session of the same token goes on.
    expect((await projects(other)).status).toBe(200);
    // A forged or unknown cookie, or none, signs nothing out and is refused.
    expect((await fetch(`${fl.api}/api/v1/session`, { method: 'DELETE', headers: { cookie: 'faultline_session=x.1.y' } })).status).toBe(204);
    expect((await projects('faultline_session=x.1.y')).status).toBe(401);
    expect((await fetch(`${fl.api}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'flt_wrong' }) })).status).toBe(401);
  });

  test('signing in from a URL never redirects to another host (paths that normalise to //host)', async () => {
    for (const path of ['/.//evil.example/x', '/..//evil.example/', '/%2e//evil.example/', '//evil.example/']) {
      for (const token of [fl.token, 'flt_wrong']) {
        const res = await rawGet(`${path}?token=${token}`);
        expect(res.status).toBe(303);
        expect(res.location).toMatch(/^\/(?![/\\])/);
      }
    }
  });

  test('a malformed session cookie is refused with 401, not a 500', async () => {
    expect((await projects('faultline_session=%')).status).toBe(401);
    expect((await projects('other=%E0%A4%A; faultline_session=x.1.y')).status).toBe(401);
  });
});

describe('cookie-authenticated writes', () => {
  const search = (name: string) => JSON.stringify({ page: 'issues', name, query: 'is:unresolved' });
  const post = (headers: Record<string, string>, name: string) =>
    fetch(`${fl.api}/api/v1/projects/default/saved-searches`, { method: 'POST', headers, body: search(name) });

  test('a signed-in browser writes only from Faultline pages: another origin of the same site is refused (CSRF)', async () => {
    const signIn = await fetch(`${fl.api}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: fl.token }) });
    const cookie = cookieOf(signIn);
    // What fetch(…, {mode: 'no-cors', credentials: 'include'}) or a text/plain form on http://127.0.0.1:3000 sends:
    // SameSite=Strict lets the cookie through, since another port of the same host is the same site.
    const sameSite = await post({ cookie, 'content-type': 'text/plain', origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-site' }, 'csrf-1');
    expect(sameSite.status).toBe(403);
    // Older browsers send no Sec-Fetch-Site: the Origin decides.
    const otherOrigin = await post({ cookie, 'content-type': 'text/plain', origin: 'http://127.0.0.1:3000' }, 'csrf-2');
    expect(otherOrigin.status).toBe(403);
    expect((await post({ cookie, 'content-type': 'text/plain', origin: 'null' }, 'csrf-3')).status).toBe(403);
    const saved = (await fl.get('/api/v1/projects/default/saved-searches?page=issues')).body as { savedSearches: Array<{ name: string }> };
    expect(saved.savedSearches.map((s) => s.name)).not.toContain('csrf-1');

    // The UI itself (same origin) and token holders (no cookie) go on writing.
    const own = await post({ cookie, 'content-type': 'application/json', origin: fl.api, 'sec-fetch-site': 'same-origin' }, 'ui-1');
    expect(own.status).toBe(201);
    expect((await post({ cookie, 'content-type': 'application/json', origin: fl.api }, 'ui-2')).status).toBe(201);
    const bearer = await post({ authorization: `Bearer ${fl.token}`, 'content-type': 'application/json', origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'cross-site' }, 'script-1');
    expect(bearer.status).toBe(201);
    // Reading stays open to the session whatever the origin (no CORS: another origin cannot read the answer).
    expect((await fetch(`${fl.api}/api/v1/projects`, { headers: { cookie, 'sec-fetch-site': 'same-site' } })).status).toBe(200);
  });
});
