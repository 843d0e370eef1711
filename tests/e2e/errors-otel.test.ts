import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { randomBytes } from 'node:crypto';
import { nodeStack, postOtlpJson, sendException } from '../otlp-client.ts';

let fl: Faultline;
beforeAll(async () => {
  fl = await startFaultline();
});
afterAll(async () => fl.stop());

interface Issue {
  id: string;
  shortId: string;
  title: string;
  culprit: string;
  status: string;
  count: number;
  userCount: number;
  firstRelease: string;
  lastRelease: string;
}

async function issues(query = 'status=all'): Promise<Issue[]> {
  const res = await fl.get(`/api/v1/projects/default/issues?${query}`);
  expect(res.status).toBe(200);
  return (res.body as { issues: Issue[] }).issues;
}

async function patch(issueId: string, body: unknown): Promise<number> {
  const res = await fetch(`${fl.api}/api/v1/projects/default/issues/${issueId}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${fl.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return res.status;
}

/**
 * Sends an event (a moment after the resolution) and checks, once the issue has `count` events, that it stayed
 * resolved (the workflow runs with the insert, so a short wait after the count settles it).
 */
async function staysResolved(query: string, send: () => Promise<unknown>, count: number): Promise<void> {
  await new Promise((r) => setTimeout(r, 20));
  await send();
  await eventually(async () => ((await issues(query))[0]?.count === count ? true : null));
  await new Promise((r) => setTimeout(r, 300));
  expect((await issues(query))[0]?.status).toBe('resolved');
}

/** Sends an event and waits for the issue to reopen as a regression; answers the reopened issue. */
async function regresses(query: string, send: () => Promise<unknown>): Promise<Issue> {
  await send();
  return eventually(async () => {
    const current = (await issues(query))[0];
    return current?.status === 'unresolved' ? current : null;
  });
}

describe('OTLP exceptions become issues', () => {
  test('same throw site with different messages is one issue; another site is another', async () => {
    const svc = 'grouping-svc';
    // Sent twice, as by an exporter whose first answer was lost: the event and the span still count once.
    const a1 = await sendException(fl, { service: svc, type: 'NotFoundError', message: 'order 1234 not found', stack: nodeStack('NotFoundError', 'order 1234 not found', 'loadOrder', 'src/orders.js', 42), userId: 'u1', sends: 2 });
    await sendException(fl, { service: svc, type: 'NotFoundError', message: 'order 98765 not found', stack: nodeStack('NotFoundError', 'order 98765 not found', 'loadOrder', 'src/orders.js', 42), userId: 'u2' });
    await sendException(fl, { service: svc, type: 'NotFoundError', message: 'order 5 not found', stack: nodeStack('NotFoundError', 'order 5 not found', 'loadCart', 'src/cart.js', 7), userId: 'u1' });
    const found = await eventually(async () => {
      const list = (await issues('status=all&query=not found')).filter((i) => i.title.startsWith('NotFoundError'));
      return list.length === 2 && list.reduce((n, i) => n + i.count, 0) === 3 ? list : null;
    });
    const orders = found.find((i) => i.count === 2);
    expect(orders?.userCount).toBe(2);
    expect(orders?.shortId).toMatch(/^DEFAULT-[0-9A-Z]+$/);
    expect(orders?.culprit).toContain('loadOrder');
    const stats = await fl.get(`/api/v1/projects/default/issues/${orders?.id}/stats`);
    const series = (stats.body as { series: Array<{ events: number }> }).series;
    expect(series.reduce((n, b) => n + b.events, 0)).toBe(2);
    const tags = await fl.get(`/api/v1/projects/default/issues/${orders?.id}/tags`);
    expect((tags.body as { tags: Array<{ key: string; total: number; values: Array<{ value: string; count: number }> }> }).tags).toEqual(
      expect.arrayContaining([{ key: 'service', total: 2, values: [{ value: svc, count: 2 }] }]),
    );
    const withStats = await fl.get('/api/v1/projects/default/issues?status=all&statsPeriod=24h&query=loadOrder');
    expect((withStats.body as { issues: Array<{ stats: number[] }> }).issues[0]?.stats.reduce((a, b) => a + b, 0)).toBe(2);

    const trace = await fl.get(`/api/v1/projects/default/traces/${a1.traceId}`);
    const errors = (trace.body as { errors: Array<{ eventId: string; issueId: string; spanId: string }> }).errors;
    expect(errors).toHaveLength(1);
    expect((trace.body as { spans: unknown[] }).spans).toHaveLength(1);
    expect(errors[0]?.spanId).toBe(a1.spanId);
    const event = await fl.get(`/api/v1/projects/default/events/${errors[0]?.eventId}`);
    expect(event.status).toBe(200);
    const body = event.body as { traceId: string; exception: { values: Array<{ type: string; stacktrace: { frames: Array<{ function: string; inApp: boolean; lineno: number }> } }> } };
    expect(body.traceId).toBe(a1.traceId);
    const frames = body.exception.values.at(-1)?.stacktrace.frames ?? [];
    expect(frames.at(-1)).toMatchObject({ function: 'loadOrder', inApp: true, lineno: 42 });
    expect(frames.find((f) => f.function.includes('handle_request') || f.function.includes('Layer.handle'))?.inApp).toBe(false);
  });

  test('a server span named only "POST" gives the transaction its route', async () => {
    const sent = await sendException(fl, {
      service: 'route-svc',
      type: 'PaymentError',
      message: 'card declined',
      stack: nodeStack('PaymentError', 'card declined', 'charge', 'src/pay.js', 5),
      span: { name: 'POST', attributes: { 'http.request.method': 'POST', 'http.route': '/api/checkout', 'url.path': '/api/checkout' } },
    });
    const eventId = await eventually(async () => {
      const trace = await fl.get(`/api/v1/projects/default/traces/${sent.traceId}`);
      return (trace.body as { errors?: Array<{ eventId: string }> }).errors?.[0]?.eventId ?? null;
    });
    const event = await fl.get(`/api/v1/projects/default/events/${eventId}`);
    expect(event.body).toMatchObject({ transaction: 'POST /api/checkout' });
  });

  test('an exception recorded on its span and also logged with exception.* attributes is one event', async () => {
    const [traceId, spanId] = [randomBytes(16).toString('hex'), randomBytes(8).toString('hex')];
    const now = BigInt(Date.now()) * 1_000_000n;
    const exception = (message: string) => [
      { key: 'exception.type', value: { stringValue: 'DupError' } },
      { key: 'exception.message', value: { stringValue: message } },
      { key: 'exception.stacktrace', value: { stringValue: nodeStack('DupError', message, 'dup', 'src/dup.js', 4) } },
    ];
    const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'dup-svc' } }] };
    const span = { traceId, spanId, name: 'GET /dup', kind: 2, startTimeUnixNano: String(now - 5_000_000n), endTimeUnixNano: String(now), status: { code: 2 } };
    const events = [{ timeUnixNano: String(now - 1_000_000n), name: 'exception', attributes: exception('once only') }];
    await postOtlpJson(fl, '/v1/traces', { resourceSpans: [{ resource, scopeSpans: [{ spans: [{ ...span, events }] }] }] });
    const log = (message: string, offset: bigint) => ({ timeUnixNano: String(now - offset), severityNumber: 17, body: { stringValue: 'request failed' }, traceId, spanId, attributes: exception(message) });
    // The same exception logged (a moment later), and another one on the same span, which does count.
    await postOtlpJson(fl, '/v1/logs', { resourceLogs: [{ resource, scopeLogs: [{ logRecords: [log('once only', 900_000n), log('another failure', 800_000n)] }] }] });
    const trace = await eventually(async () => {
      const res = await fl.get(`/api/v1/projects/default/traces/${traceId}`);
      const body = res.body as { errors?: unknown[]; logs?: unknown[] };
      return res.status === 200 && body.errors?.length === 2 && body.logs?.length === 2 ? body : null;
    });
    expect(trace.errors).toHaveLength(2);
    const counts = (await issues('status=all&query=DupError')).map((i) => i.count);
    expect(counts).toEqual([2]);
  });

  test('exceptions in OTLP logs become issues too', async () => {
    await sendException(fl, { service: 'log-svc', type: 'ValueError', message: 'bad input', stack: nodeStack('ValueError', 'bad input', 'parseForm', 'src/form.js', 3), asLog: true });
    const issue = await eventually(async () => (await issues('status=all&query=ValueError'))[0]);
    expect(issue.title).toContain('ValueError');
  });

  test('regression: resolved in 1.2.0, event from 1.1.9 stays resolved, from 1.3.0 regresses', async () => {
    const spec = { service: 'rel-svc', type: 'RangeError', message: 'limit exceeded', stack: nodeStack('RangeError', 'limit exceeded', 'checkLimit', 'src/limits.js', 9) };
    await sendException(fl, { ...spec, release: '1.1.0' });
    const issue = await eventually(async () => (await issues('status=all&query=RangeError'))[0]);
    expect(await patch(issue.id, { status: 'resolved', resolvedInRelease: '1.2.0', assignee: 'bob' })).toBe(200);
    await staysResolved('status=all&query=RangeError', () => sendException(fl, { ...spec, release: '1.1.9' }), 2);
    const reopened = await regresses('status=all&query=RangeError', () => sendException(fl, { ...spec, release: '1.3.0' }));
    expect(reopened.lastRelease).toBe('1.3.0');
    const detail = await fl.get(`/api/v1/projects/default/issues/${issue.id}`);
    const activity = (detail.body as { activity: Array<{ kind: string }> }).activity.map((a) => a.kind);
    expect(activity).toEqual(expect.arrayContaining(['first_seen', 'status_change', 'regression']));
    // Reopening by a regression keeps whoever owns the issue.
    expect((detail.body as { assignee: string }).assignee).toBe('bob');
  });

  test('resolved in the next release: the newest release of its package and older stay resolved, a newer one regresses; unseen non-semver releases are refused', async () => {
    const spec = { service: 'next-svc', type: 'SyntaxError', message: 'unexpected token', stack: nodeStack('SyntaxError', 'unexpected token', 'parse', 'src/parse.js', 2) };
    await sendException(fl, { ...spec, release: 'shop@1.2.0' });
    // shop@1.3.0 is already out (another error carries it) though this issue was last seen in 1.2.0
    await sendException(fl, { ...spec, type: 'OtherError', stack: nodeStack('OtherError', 'x', 'other', 'src/other.js', 1), release: 'shop@1.3.0' });
    const issue = await eventually(async () => (await issues('status=all&query=SyntaxError'))[0]);
    await eventually(async () => ((await issues('status=all&query=OtherError')).length === 1 ? true : null));
    expect(await patch(issue.id, { status: 'resolved', resolvedInRelease: 'nonexistent-rel' })).toBe(400);
    expect(await patch(issue.id, { status: 'resolved', resolvedInNextRelease: true, resolvedInRelease: 'shop@1.3.0' })).toBe(400);
    expect(await patch(issue.id, { status: 'resolved', resolvedInNextRelease: true })).toBe(200);
    const resolved = (await fl.get(`/api/v1/projects/default/issues/${issue.id}`)).body as { resolvedInRelease: string; resolvedInNextRelease: boolean };
    expect(resolved).toMatchObject({ resolvedInRelease: 'shop@1.3.0', resolvedInNextRelease: true });
    await staysResolved('status=all&query=SyntaxError', () => sendException(fl, { ...spec, release: 'shop@1.3.0' }), 2);
    await regresses('status=all&query=SyntaxError', () => sendException(fl, { ...spec, release: 'shop@1.3.1' }));
  });

  test('resolved in the next release with commit-hash releases: a new hash regresses, the same one does not; "next:" cannot be typed', async () => {
    const spec = { service: 'sha-svc', type: 'HashError', message: 'bad hash', stack: nodeStack('HashError', 'bad hash', 'hash', 'src/hash.js', 5) };
    await sendException(fl, { ...spec, release: 'abc123f' });
    const issue = await eventually(async () => (await issues('status=all&query=HashError'))[0]);
    expect(await patch(issue.id, { status: 'resolved', resolvedInRelease: 'next:abc123f' })).toBe(400);
    expect(await patch(issue.id, { status: 'resolved', resolvedInNextRelease: true })).toBe(200);
    await staysResolved('status=all&query=HashError', () => sendException(fl, { ...spec, release: 'abc123f' }), 2);
    // a hash Faultline has never seen cannot be ordered: it is the deploy to catch
    await regresses('status=all&query=HashError', () => sendException(fl, { ...spec, release: 'def4567' }));
  });

  test('PATCH changes only what it names: the assignee alone keeps the status and its limits, a status keeps the assignee', async () => {
    const issue = (await issues('status=all&query=RangeError'))[0];
    const id = issue?.id ?? '';
    const detail = async () => (await fl.get(`/api/v1/projects/default/issues/${id}`)).body as { status: string; assignee: string; ignoreUntilUsers: number; activity: Array<{ kind: string; data: Record<string, unknown> }> };
    expect(await patch(id, { status: 'ignored', ignoreUntilUsers: 40 })).toBe(200);
    expect(await detail()).toMatchObject({ status: 'ignored', assignee: 'bob', ignoreUntilUsers: 40 });
    expect(await patch(id, { assignee: 'carol' })).toBe(200);
    const assigned = await detail();
    expect(assigned).toMatchObject({ status: 'ignored', assignee: 'carol', ignoreUntilUsers: 40 });
    expect(assigned.activity.at(-1)).toMatchObject({ kind: 'assigned', data: { assignee: 'carol' } });
    expect((await issues(`status=all&query=${encodeURIComponent('assigned:carol')}`)).map((i) => i.id)).toEqual([id]);
    expect(await issues(`status=all&query=${encodeURIComponent('assigned:dave')}`)).toEqual([]);
    expect(await patch(id, { assignee: '' })).toBe(200);
    expect(await detail()).toMatchObject({ status: 'ignored', assignee: '' });
    expect(await patch(id, {})).toBe(400);
  });

  test('ignore for a duration or until a number of users: the answer carries the limit', async () => {
    const issue = (await issues())[0];
    const before = Date.now();
    expect(await patch(issue?.id ?? '', { status: 'ignored', ignoreDurationMinutes: 120, ignoreUntilUsers: 50 })).toBe(200);
    const detail = (await fl.get(`/api/v1/projects/default/issues/${issue?.id ?? ''}`)).body as Issue & { ignoreUntil: string; ignoreUntilUsers: number };
    expect(detail).toMatchObject({ status: 'ignored', ignoreUntilUsers: 50 });
    expect(Date.parse(detail.ignoreUntil)).toBeGreaterThanOrEqual(before + 120 * 60_000);
    expect(Date.parse(detail.ignoreUntil)).toBeLessThan(Date.now() + 120 * 60_000 + 1);
    // Reopened with a labelled token: the activity names its holder.
    const created = await fetch(`${fl.api}/api/v1/projects/default/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fl.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'admin', label: 'alice (on call)' }),
    });
    const alice = (await created.json()) as { id: string; token: string; label: string };
    expect(alice.label).toBe('alice (on call)');
    const reopened = await fetch(`${fl.api}/api/v1/projects/default/issues/${issue?.id ?? ''}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'unresolved' }),
    });
    expect(reopened.status).toBe(200);
    const after = (await fl.get(`/api/v1/projects/default/issues/${issue?.id ?? ''}`)).body as { activity: Array<{ actor: string; actorName: string }> };
    expect(after).toMatchObject({ status: 'unresolved', ignoreUntil: '', ignoreUntilUsers: 0 });
    expect(after.activity.at(-1)).toMatchObject({ actor: `token:${alice.id}`, actorName: 'alice (on call)' });
    expect(after.activity.at(-2)?.actorName).toBe('bootstrap admin');
    // A note from the one on call joins the activity, signed; an empty one is refused.
    const comment = (body: unknown) =>
      fetch(`${fl.api}/api/v1/projects/default/issues/${issue?.id ?? ''}/comments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const noted = await comment({ text: '  Rolled back 2.3.1, watching <b>checkout</b>  ' });
    expect(noted.status).toBe(201);
    expect(await noted.json()).toMatchObject({ kind: 'note', actorName: 'alice (on call)', data: { text: 'Rolled back 2.3.1, watching <b>checkout</b>' } });
    const withNote = (await fl.get(`/api/v1/projects/default/issues/${issue?.id ?? ''}`)).body as { activity: Array<{ kind: string; data: { text?: string } }> };
    expect(withNote.activity.at(-1)).toMatchObject({ kind: 'note', data: { text: 'Rolled back 2.3.1, watching <b>checkout</b>' } });
    expect((await comment({ text: '   ' })).status).toBe(400);
    expect((await comment({ text: 'x'.repeat(5001) })).status).toBe(400);
  });

  test('bad PATCH bodies and read-only tokens are refused', async () => {
    const issue = (await issues())[0];
    expect(await patch(issue?.id ?? '', { status: 'done' })).toBe(400);
    expect(await patch(issue?.id ?? '', { status: 'unresolved', resolvedInRelease: '1.0' })).toBe(400);
    expect(await patch(issue?.id ?? '', { status: 'resolved', ignoreDurationMinutes: 30 })).toBe(400);
    expect(await patch(issue?.id ?? '', { status: 'ignored', ignoreDurationMinutes: 0 })).toBe(400);
    expect(await patch(issue?.id ?? '', { status: 'ignored', ignoreUntilUsers: 1.5 })).toBe(400);
    expect(await patch('zzzz', { status: 'resolved' })).toBe(400);
    expect(await patch('0000000000000000', { status: 'resolved' })).toBe(404);
  });
});
