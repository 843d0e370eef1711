import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { main } from '@faultline/cli';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { nodeStack, sendException } from '../otlp-client.ts';
import { startReceiver, type Receiver } from '../webhook-receiver.ts';

const PUBLIC_URL = 'https://faultline.example.com';

let fl: Faultline;
let hooks: Receiver;
let readToken = '';

interface Payload {
  rule: { id: string; name: string; kind: string };
  project: { id: number; slug: string };
  issue: { id: string; url: string; count: number } | null;
  summary?: { count: number; url: string; issues: Array<{ id: string; url: string }> };
  text: string;
  test?: boolean;
}

/** The fields these tests read from API answers. */
interface Answer {
  id: string;
  token: string;
  dedupeKey: string;
  error: { message: string };
  alerts: Array<{ id: string; webhookUrl: string }>;
  issues: Array<{ id: string; shortId: string; title: string; culprit: string; count: number }>;
  firings: Array<{ status: string }>;
}

async function api(method: string, path: string, body?: unknown, token = fl.token): Promise<{ status: number; body: Answer }> {
  const res = await fetch(`${fl.api}/api/v1/projects/default${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Answer };
}

async function createRule(rule: Record<string, unknown>): Promise<string> {
  const res = await api('POST', '/alerts', rule);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const exception = (fn: string) => ({ service: 'alerts-svc', type: 'TypeError', message: `${fn} failed`, stack: nodeStack('TypeError', `${fn} failed`, fn, `src/${fn}.js`, 3) });

beforeAll(async () => {
  hooks = await startReceiver();
  // Every other test gives a rule one occurrence per run, so a cap of 2 only shapes the burst test.
  fl = await startFaultline({ FAULTLINE_ALERT_INTERVAL_SECONDS: '1', FAULTLINE_ALERT_MAX_PER_RULE: '2', FAULTLINE_PUBLIC_URL: PUBLIC_URL });
  readToken = (await api('POST', '/tokens', { role: 'read' })).body.token;
});
afterAll(async () => {
  await fl.stop();
  await new Promise((resolve) => hooks.server.close(resolve));
});

describe('alert rules API', () => {
  test('bad rule bodies get 400 naming the field; read tokens cannot write and see only the webhook origin', async () => {
    const good = { name: 'r', kind: 'new_issue', webhookUrl: `${hooks.url}/secret-path` };
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...good, webhookUrl: 'ftp://example.com/x' }, /"webhookUrl": must be an http:\/\/ or https:\/\/ URL/],
      [{ ...good, webhookUrl: 'not a url' }, /"webhookUrl"/],
      [{ ...good, kind: 'issue_spike', threshold: -1, windowMinutes: 5 }, /"threshold": must be positive/],
      [{ ...good, kind: 'issue_spike', threshold: 10, windowMinutes: 0 }, /"windowMinutes": must be positive/],
      [{ ...good, kind: 'issue_spike' }, /issue_spike rule needs "threshold"/],
      [{ ...good, threshold: 5 }, /only apply to issue_spike/],
      [{ ...good, kind: 'sometimes' }, /"kind"/],
      [{ ...good, name: '' }, /"name": must not be empty/],
      [{ ...good, level: 'loud' }, /"level"/],
      [{ ...good, extra: 1 }, /extra/],
    ];
    for (const [body, message] of cases) {
      const res = await api('POST', '/alerts', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    expect((await api('POST', '/alerts', good, readToken)).status).toBe(403);
    const id = await createRule(good);
    expect((await api('PATCH', `/alerts/${id}`, { name: 'x' }, readToken)).status).toBe(403);
    expect((await api('DELETE', `/alerts/${id}`, undefined, readToken)).status).toBe(403);
    expect((await api('POST', `/alerts/${id}/test`, undefined, readToken)).status).toBe(403);
    expect((await api('PATCH', `/alerts/${id}`, { kind: 'issue_spike' })).status).toBe(400);
    const listed = (await api('GET', '/alerts', undefined, readToken)).body.alerts;
    expect(listed).toEqual([expect.objectContaining({ id, webhookUrl: `${hooks.url}/…` })]);
    expect((await api('GET', '/alerts')).body.alerts[0]?.webhookUrl).toBe(`${hooks.url}/secret-path`);
    expect((await api('DELETE', `/alerts/${id}`)).status).toBe(204);
    expect((await api('GET', '/alerts')).body.alerts).toEqual([]);
    expect((await api('GET', `/alerts/${id}/firings`)).status).toBe(404);
  });

  test('a test notification is sent at once and recorded', async () => {
    const id = await createRule({ name: 'smoke', kind: 'regression', webhookUrl: `${hooks.url}/test-hook` });
    const res = await api('POST', `/alerts/${id}/test`);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'delivered', httpStatus: 200, attempts: 1, issueId: null });
    expect(hooks.received.get('/test-hook')).toEqual([expect.objectContaining({ test: true, issue: null, rule: { id, name: 'smoke', kind: 'regression' } })]);
    expect((await api('GET', `/alerts/${id}/firings`)).body.firings).toEqual([expect.objectContaining({ status: 'delivered', dedupeKey: res.body.dedupeKey })]);
    expect((await api('DELETE', `/alerts/${id}`)).status).toBe(204);
  });
});

describe('faultline alerts (CLI)', () => {
  test('create, list and delete a rule through the API; a bad number is a usage error', async () => {
    let stdout = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
    const cli = (...args: string[]) => main(['alerts', ...args, '--project', 'default', '--url', fl.api, '--token', fl.token]);
    try {
      expect(await cli('create', '--name', 'cli spikes', '--kind', 'issue_spike', '--threshold', '20', '--window', '10', '--webhook', `${hooks.url}/cli`)).toBe(0);
      const created = JSON.parse(stdout) as { id: string; threshold: number; windowMinutes: number };
      expect(created).toMatchObject({ threshold: 20, windowMinutes: 10 });
      stdout = '';
      expect(await cli('list')).toBe(0);
      expect((JSON.parse(stdout) as Answer).alerts.map((a) => a.id)).toEqual([created.id]);
      stdout = '';
      expect(await cli('create', '--name', 'x', '--kind', 'issue_spike', '--threshold', 'ten', '--window', '10', '--webhook', `${hooks.url}/cli`)).toBe(2);
      expect(stdout).toContain('error: --threshold must be a whole number, got "ten"');
      expect(await cli('delete', created.id)).toBe(0);
      await expect(cli('create', '--name', 'x', '--kind', 'new_issue', '--webhook', 'ftp://x')).rejects.toThrow(/webhookUrl/);
    } finally {
      vi.restoreAllMocks();
    }
    expect((await api('GET', '/alerts')).body.alerts).toEqual([]);
  });
});

describe('alert evaluation', () => {
  test('new_issue: exactly one webhook for a new issue, none when it happens again', async () => {
    const id = await createRule({ name: 'new errors', kind: 'new_issue', webhookUrl: `${hooks.url}/new` });
    await sendException(fl, { ...exception('checkout'), userId: 'u1' });
    const [payload] = (await eventually(async () => hooks.received.get('/new'), 8_000)) as Payload[];
    const [issue] = (await api('GET', '/issues?query=checkout')).body.issues;
    if (!payload?.issue || !issue) throw new Error('no payload or issue');
    expect(payload).toMatchObject({
      rule: { id, name: 'new errors', kind: 'new_issue' },
      project: { id: 1, slug: 'default' },
      issue: { id: issue.id, shortId: issue.shortId, title: issue.title, culprit: issue.culprit, level: 'error', count: 1, userCount: 1 },
    });
    expect(payload.issue.url).toBe(`${PUBLIC_URL}/projects/default/issues/${issue.id}`);
    expect(payload.text).toContain(payload.issue.url);
    expect(payload.text).not.toContain('\n');
    // The link's path is a page of the UI.
    const page = await fetch(`${fl.api}${new URL(payload.issue.url).pathname}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');

    await sendException(fl, exception('checkout'));
    await eventually(async () => ((await api('GET', '/issues?query=checkout')).body.issues[0]?.count === 2 ? true : null));
    await sleep(2_500);
    expect(hooks.received.get('/new')).toHaveLength(1);
    const firings = (await api('GET', `/alerts/${id}/firings`)).body.firings;
    expect(firings).toEqual([expect.objectContaining({ issueId: issue.id, issueTitle: issue.title, status: 'delivered', httpStatus: 200, attempts: 1 })]);
    expect((await api('DELETE', `/alerts/${id}`)).status).toBe(204);
  });

  test('regression: a resolved issue that happens again notifies', async () => {
    await sendException(fl, exception('refund'));
    const issue = await eventually(async () => (await api('GET', '/issues?query=refund')).body.issues[0]);
    const id = await createRule({ name: 'regressions', kind: 'regression', webhookUrl: `${hooks.url}/regression` });
    expect((await api('PATCH', `/issues/${issue.id}`, { status: 'resolved' })).status).toBe(200);
    await sleep(20);
    await sendException(fl, exception('refund'));
    const [payload] = (await eventually(async () => hooks.received.get('/regression'), 8_000)) as Payload[];
    expect(payload).toMatchObject({ rule: { id, kind: 'regression' }, issue: { id: issue.id, count: 2 } });
    expect(payload?.text).toContain('Regression');
    await sleep(1_500);
    expect(hooks.received.get('/regression')).toHaveLength(1);
    expect((await api('DELETE', `/alerts/${id}`)).status).toBe(204);
  });

  test('a receiver answering 500 is retried, then the firing is recorded as failed', async () => {
    const id = await createRule({ name: 'broken hook', kind: 'new_issue', webhookUrl: `${hooks.url}/fail` });
    await sendException(fl, exception('invoice'));
    const firing = await eventually(async () => {
      const { firings } = (await api('GET', `/alerts/${id}/firings`)).body;
      return firings[0]?.status === 'failed' ? firings[0] : null;
    }, 10_000);
    expect(firing).toMatchObject({ status: 'failed', httpStatus: 500, attempts: 3, error: 'HTTP 500' });
    expect(hooks.received.get('/fail')).toHaveLength(3);
    expect((await api('DELETE', `/alerts/${id}`)).status).toBe(204);
  });

  // Five exports, five issues, a summary and the wait that nothing repeats: room for a loaded machine.
  test('a burst past the per-rule cap: the first two one by one, the rest in one summary, nothing twice', { timeout: 60_000 }, async () => {
    const id = await createRule({ name: 'burst', kind: 'new_issue', webhookUrl: `${hooks.url}/burst` });
    // Sent together, so the collector records the five new issues in one round and one evaluation sees them all.
    await Promise.all(['b1', 'b2', 'b3', 'b4', 'b5'].map((fn) => sendException(fl, exception(fn))));
    const posts = (await eventually(async () => ((hooks.received.get('/burst')?.length ?? 0) >= 3 ? hooks.received.get('/burst') : null), 10_000)) as Payload[];
    const single = posts.filter((p) => p.issue !== null);
    const summary = posts.find((p) => p.summary)?.summary;
    expect(single).toHaveLength(2);
    expect(summary?.count).toBe(3);
    expect(summary?.url).toBe(`${PUBLIC_URL}/projects/default/issues?status=all&sort=firstSeen`);
    const all = new Set([...single.map((p) => p.issue?.id), ...(summary?.issues.map((i) => i.id) ?? [])]);
    expect(all.size).toBe(5);
    expect(posts.find((p) => p.summary)?.text).toContain('3 more new issues');
    await sleep(2_500);
    expect(hooks.received.get('/burst')).toHaveLength(3);
    const statuses = (await api('GET', `/alerts/${id}/firings`)).body.firings.map((f) => f.status).sort();
    expect(statuses).toEqual(['delivered', 'delivered', 'summarized', 'summarized', 'summarized']);
    expect((await api('DELETE', `/alerts/${id}`)).status).toBe(204);
  });

  test('issue_spike: an issue reaching the threshold within the window notifies once', async () => {
    const id = await createRule({ name: 'spikes', kind: 'issue_spike', threshold: 3, windowMinutes: 5, level: 'error', webhookUrl: `${hooks.url}/spike` });
    for (let i = 0; i < 3; i++) await sendException(fl, exception('ship'));
    const [payload] = (await eventually(async () => hooks.received.get('/spike'), 8_000)) as Payload[];
    expect(payload).toMatchObject({ rule: { id, kind: 'issue_spike' }, issue: { count: 3 } });
    expect(payload?.text).toContain('Spike: 3 events in 5 min');
    await sendException(fl, exception('ship'));
    await sleep(2_000);
    expect(hooks.received.get('/spike')).toHaveLength(1);
    expect((await api('DELETE', `/alerts/${id}`)).status).toBe(204);
  });
});
