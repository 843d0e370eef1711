import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { nodeStack, sendException } from '../otlp-client.ts';

let fl: Faultline;
let other: { id: number; slug: string; token: string };
let readToken = '';
let issueId = '';
let eventId = '';
let traceId = '';

beforeAll(async () => {
  fl = await startFaultline();
  const created = await fetch(`${fl.api}/api/v1/projects`, {
    method: 'POST',
    headers: { authorization: `Bearer ${fl.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ slug: 'tenant-b' }),
  });
  other = (await created.json()) as typeof other;
  const read = await fetch(`${fl.api}/api/v1/projects/default/tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${fl.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'read' }),
  });
  readToken = ((await read.json()) as { token: string }).token;
  ({ traceId } = await sendException(fl, { service: 'matrix', type: 'Error', message: 'boom', stack: nodeStack('Error', 'boom', 'f', 'a.js', 1), release: '1.0.0' }));
  const issue = await eventually(async () => ((await fl.get('/api/v1/projects/default/issues?status=all')).body as { issues: Array<{ id: string }> }).issues[0]);
  issueId = issue.id;
  eventId = ((await fl.get(`/api/v1/projects/default/issues/${issueId}/events`)).body as { events: Array<{ eventId: string }> }).events[0]?.eventId ?? '';
});
afterAll(async () => fl.stop());

/** Every path of the OpenAPI document under a project, with real ids of project 1 filled in. */
async function projectPaths(): Promise<Array<{ method: string; path: string }>> {
  const doc = (await (await fetch(`${fl.api}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  const fill: Record<string, string> = { traceId, issueId, eventId, service: 'matrix', version: '1.0.0', keyId: 'x', fileId: 'x' };
  const out: Array<{ method: string; path: string }> = [];
  for (const [template, ops] of Object.entries(doc.paths)) {
    if (!template.startsWith('/api/v1/projects/{project}')) continue;
    const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'project' ? 'PROJECT' : (fill[name] ?? 'x')));
    for (const method of Object.keys(ops)) out.push({ method: method.toUpperCase(), path });
  }
  return out;
}

async function call(method: string, path: string, token: string): Promise<number> {
  const res = await fetch(`${fl.api}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify({ status: 'resolved', role: 'read', name: 'x', content: '{}' }),
  });
  return res.status;
}

describe('tenancy matrix', () => {
  test("a token of project B gets 404 on every project endpoint of project A (by id and by slug), never its data", async () => {
    const paths = await projectPaths();
    expect(paths.length).toBeGreaterThan(20);
    for (const { method, path } of paths) {
      for (const ref of ['1', 'default']) {
        const status = await call(method, path.replace('PROJECT', ref), other.token);
        expect(status, `${method} ${path} as project B`).toBe(404);
      }
    }
  });

  test('a read token may read its project but not change it', async () => {
    for (const { method, path } of await projectPaths()) {
      const status = await call(method, path.replace('PROJECT', 'default'), readToken);
      // Listing ingest keys and API tokens is an admin's job too; every other read is open to read tokens.
      if (method === 'GET' && !path.endsWith('/keys') && !path.endsWith('/tokens')) expect(status, `${method} ${path}`).not.toBe(403);
      else expect(status, `${method} ${path}`).toBe(403);
    }
    expect(await call('POST', '/api/v1/projects', readToken)).toBe(403);
  });

  test("instance-wide tokens are an instance admin's: a project's admin or read token gets 403", async () => {
    const { tokens } = (await fl.get('/api/v1/tokens')).body as { tokens: Array<{ id: string }> };
    expect(tokens).toHaveLength(1);
    for (const token of [other.token, readToken]) {
      expect(await call('GET', '/api/v1/tokens', token)).toBe(403);
      expect(await call('DELETE', `/api/v1/tokens/${tokens[0]?.id}`, token)).toBe(403);
    }
    expect(await call('GET', '/api/v1/tokens', 'flt_unknown')).toBe(401);
  });

  test('no token → 401 everywhere', async () => {
    for (const { method, path } of await projectPaths()) {
      const res = await fetch(`${fl.api}${path.replace('PROJECT', 'default')}`, { method });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });

  test('project lookups are cached, yet a rename or a new project shows on the next call', async () => {
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(`${fl.api}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${fl.token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect((await fl.get('/api/v1/projects/tenant-c')).status).toBe(404);
    expect((await admin('POST', '/projects', { slug: 'tenant-c' })).status).toBe(201);
    expect((await fl.get('/api/v1/projects/tenant-c')).status).toBe(200);
    expect((await admin('PATCH', '/projects/tenant-c', { name: 'Renamed C' })).status).toBe(200);
    expect(((await fl.get('/api/v1/projects/tenant-c')).body as { name: string }).name).toBe('Renamed C');
  });

  test('a slug holds a letter, so an all-digit {project} is always an id', async () => {
    const create = (slug: string) =>
      fetch(`${fl.api}/api/v1/projects`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fl.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ slug }),
      });
    // "99" would shadow project 99 once it exists (or be shadowed by it).
    for (const slug of ['99', '007', '1-2']) {
      const res = await create(slug);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/slug.*at least one letter/);
    }
    expect((await create('2-fast')).status).toBe(201);
    expect(((await fl.get(`/api/v1/projects/${other.id}`)).body as { slug: string }).slug).toBe('tenant-b');
    expect(((await fl.get('/api/v1/projects/2-fast')).body as { slug: string }).slug).toBe('2-fast');
  });
});
