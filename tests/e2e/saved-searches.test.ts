import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MAX_SAVED_SEARCHES } from '../../query/src/routes/saved-searches.ts';
import { startFaultline, type Faultline } from '../harness.ts';

let fl: Faultline;
let readToken = '';
beforeAll(async () => {
  fl = await startFaultline();
  readToken = (
    (await (await send('POST', '/api/v1/projects/default/tokens', { role: 'read', label: 'viewer' })).json()) as { token: string }
  ).token;
});
afterAll(async () => fl.stop());

const base = '/api/v1/projects/default/saved-searches';
const send = (method: string, path: string, body?: unknown, token = fl.token) =>
  fetch(`${fl.api}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

interface Saved {
  id: string;
  page: string;
  name: string;
  query: string;
  createdBy: string;
}
const list = async (query = '') => ((await fl.get(`${base}${query}`)).body as { savedSearches: Saved[] }).savedSearches;

describe('saved searches', () => {
  test('saved per page, listed by name, replaced by name, deleted', async () => {
    const first = await send('POST', base, {
      page: 'issues',
      name: 'Checkout errors',
      query: '?query=is%3Aunresolved+service%3Acheckout&sort=events',
    });
    expect(first.status).toBe(201);
    const saved = (await first.json()) as Saved;
    // a leading ? is dropped: the stored value is the query string itself
    expect(saved).toMatchObject({
      page: 'issues',
      name: 'Checkout errors',
      query: 'query=is%3Aunresolved+service%3Acheckout&sort=events',
      createdBy: 'bootstrap admin',
    });
    expect((await send('POST', base, { page: 'traces', name: 'slow checkout', query: 'service=checkout&minDurationMs=500' })).status).toBe(
      201,
    );
    expect((await send('POST', base, { page: 'issues', name: 'all open', query: 'query=is%3Aunresolved' })).status).toBe(201);

    expect((await list()).map((s) => s.name)).toEqual(['all open', 'Checkout errors', 'slow checkout']);
    expect((await list('?page=traces')).map((s) => s.query)).toEqual(['service=checkout&minDurationMs=500']);

    // the same name on the same page (case aside) replaces the search and keeps its id
    const replaced = (await (
      await send('POST', base, { page: 'issues', name: 'checkout errors', query: 'query=service%3Acheckout' })
    ).json()) as Saved;
    expect(replaced.id).toBe(saved.id);
    const issues = await list('?page=issues');
    expect(issues.map((s) => [s.name, s.query])).toEqual([
      ['all open', 'query=is%3Aunresolved'],
      ['checkout errors', 'query=service%3Acheckout'],
    ]);

    expect((await send('DELETE', `${base}/${saved.id}`)).status).toBe(204);
    expect((await send('DELETE', `${base}/${saved.id}`)).status).toBe(404);
    expect((await list('?page=issues')).map((s) => s.name)).toEqual(['all open']);
  });

  test('bad input is refused with the field at fault; read tokens may list but not save or delete', async () => {
    const cases: Array<[unknown, string]> = [
      [{ page: 'dashboards', name: 'x', query: '' }, 'page'],
      [{ page: 'issues', name: '  ', query: '' }, 'name'],
      [{ page: 'issues', name: 'x'.repeat(101), query: '' }, 'name'],
      [{ page: 'issues', name: 'x', query: 'a b' }, 'query'],
      [{ page: 'issues', name: 'x', query: 'q=1', owner: 'me' }, 'owner'],
    ];
    for (const [body, field] of cases) {
      const res = await send('POST', base, body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(field);
    }
    expect((await fl.get(`${base}?page=nope`)).status).toBe(400);

    expect((await fl.get(base, readToken)).status).toBe(200);
    expect((await send('POST', base, { page: 'logs', name: 'errors', query: 'level=error' }, readToken)).status).toBe(403);
    const mine = (await (await send('POST', base, { page: 'logs', name: 'errors', query: 'level=error' })).json()) as Saved;
    expect((await send('DELETE', `${base}/${mine.id}`, undefined, readToken)).status).toBe(403);
    expect((await list('?page=logs')).map((s) => s.id)).toEqual([mine.id]);
  });

  test(`a project keeps at most ${MAX_SAVED_SEARCHES}: past it 409, while replacing one by name still works`, async () => {
    const have = (await list()).length;
    for (let i = have; i < MAX_SAVED_SEARCHES; i++) {
      expect((await send('POST', base, { page: 'traces', name: `t${i}`, query: 'service=s' + String(i) })).status).toBe(201);
    }
    const refused = await send('POST', base, { page: 'traces', name: 'one more', query: 'service=x' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('delete one first');
    expect((await send('POST', base, { page: 'traces', name: 'T199', query: 'service=y' })).status).toBe(201);
    expect((await list()).length).toBe(MAX_SAVED_SEARCHES);
  }, 60_000);
});
