import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFaultline, type Faultline } from '../harness.ts';

let fl: Faultline;
beforeAll(async () => {
  fl = await startFaultline({ FAULTLINE_SOURCE_FILES_MAX_BYTES: '1000' });
});
afterAll(async () => fl.stop());

const files = (release: string): string => `/api/v1/projects/default/releases/${encodeURIComponent(release)}/files`;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${fl.api}${path}`, {
    method,
    headers: { authorization: `Bearer ${fl.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const upload = (release: string, name: string, bytes: number) =>
  call('POST', files(release), { name: `~/static/${name}`, kind: 'minified_source', content: 'x'.repeat(bytes) });

test('a project keeps at most FAULTLINE_SOURCE_FILES_MAX_BYTES of files over all releases; replacing and deleting free room', async () => {
  expect((await upload('web@1.0.0', 'a.js', 400)).status).toBe(201);
  expect((await upload('web@1.1.0', 'a.js', 400)).status).toBe(201);
  const over = await upload('web@1.1.0', 'b.js', 201);
  expect(over.status).toBe(409);
  expect(over.body.error).toMatchObject({ code: 'limit_reached' });
  expect((over.body.error as { message: string }).message).toMatch(/at most 1000 bytes of source files \(800 in use, this file 201\); delete the files of releases/);
  // Exactly at the quota is fine; replacing a file counts its new size, not both.
  expect((await upload('web@1.1.0', 'b.js', 200)).status).toBe(201);
  expect((await upload('web@1.1.0', 'b.js', 200)).status).toBe(201);
  expect((await upload('web@1.1.0', 'c.js', 1)).status).toBe(409);

  // Deleting an old release's files (read tokens cannot) makes room.
  const reader = await call('POST', '/api/v1/projects/default/tokens', { name: 'viewer', role: 'read' });
  const asReader = await fetch(`${fl.api}${files('web@1.0.0')}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${String(reader.body.token)}` },
  });
  expect(asReader.status).toBe(403);
  expect(await call('DELETE', files('web@1.0.0'))).toEqual({ status: 200, body: { deleted: 1 } });
  expect((await call('GET', files('web@1.0.0'))).body).toEqual({ files: [] });
  expect((await call('GET', files('web@1.1.0'))).body.files).toHaveLength(2);
  expect(await call('DELETE', files('web@1.0.0'))).toEqual({ status: 200, body: { deleted: 0 } });
  expect((await upload('web@1.1.0', 'c.js', 400)).status).toBe(201);
});
