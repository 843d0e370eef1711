import { describe, expect, test } from 'vitest';
import { describeActivity, actorLabel } from './activity.ts';
import { bulkFailureText, moveCursor, runBulk } from './bulk.ts';
import { breadcrumbRows, contextSections, dataText, eventFacts, eventIndex, eventPosition, requestView, userAttributes } from './event.ts';
import { normalizeEvent, normalizeIssue } from './normalize.ts';

describe('event sections', () => {
  test('contexts drop empty fields and sections, keep nested values', () => {
    const sections = contextSections({
      runtime: { name: '', version: '' },
      os: { type: 'Linux', version: '' },
      app: { build: { n: 1 }, tags: [] },
      flag: true,
      empty: {},
    });
    expect(sections).toEqual([
      { name: 'app', attributes: { build: { n: 1 } } },
      { name: 'flag', attributes: { value: true } },
      { name: 'os', attributes: { type: 'Linux' } },
    ]);
  });

  test('the HTTP request section: method and URL, query parameters, headers, body as text', () => {
    const e = normalizeEvent({
      request: { method: 'POST', url: 'https://a.example/orders', queryString: 'tag=a&tag=b&token=%5BFiltered%5D', headers: { Accept: 'text/html', n: 3 }, data: { amount: 12 } },
      extra: { note: 'keep me' },
      modules: { express: '4.19.2', bad: { x: 1 } },
    });
    expect(requestView(e.request)).toEqual({
      line: 'POST https://a.example/orders',
      query: { tag: 'a, b', token: '[Filtered]' },
      headers: { Accept: 'text/html', n: '3' },
      body: '{\n  "amount": 12\n}',
    });
    expect(e.extra).toEqual({ note: 'keep me' });
    expect(e.modules).toEqual({ express: '4.19.2', bad: '' });
    expect(requestView(normalizeEvent({ request: { url: '/x', data: 'a=1' } }).request)).toMatchObject({ line: '/x', query: {}, body: 'a=1' });
    // parameters named like Object's own properties are parameters
    const odd = requestView(normalizeEvent({ request: { url: '/x', queryString: 'constructor=c&__proto__=p' } }).request)?.query ?? {};
    expect([Object.hasOwn(odd, 'constructor') && odd.constructor, Object.hasOwn(odd, '__proto__')]).toEqual(['c', true]);
    // Events stored before requests were kept, and OTLP events, have none.
    expect(normalizeEvent({}).request).toBeNull();
    expect(requestView(null)).toBeNull();
  });

  test('user, facts, breadcrumbs', () => {
    expect(userAttributes({ id: 'u1', email: '', username: 'ann', ipAddress: '' })).toEqual({ id: 'u1', username: 'ann' });
    const e = normalizeEvent({ release: '1.0', serviceName: 'web', sdk: { name: 'sentry.javascript.node', version: '9' }, grouping: { strategy: 'in_app', hash: 'ab' } });
    expect(eventFacts(e)).toEqual([
      ['Release', '1.0'],
      ['Service', 'web'],
      ['SDK', 'sentry.javascript.node 9'],
      ['Grouped by', 'in-app stack frames'],
    ]);
    // Older answers have no grouping; an unknown strategy shows as it is.
    expect(eventFacts(normalizeEvent({})).find(([k]) => k === 'Grouped by')).toBeUndefined();
    expect(eventFacts(normalizeEvent({ grouping: { strategy: 'v2_frames' } })).at(-1)).toEqual(['Grouped by', 'v2_frames']);
    const rows = breadcrumbRows(
      normalizeEvent({ breadcrumbs: [{ timestampMs: 1_700_000_000, category: 'http', data: { url: '/x' } }, { type: 'nav' }] }).breadcrumbs,
    );
    expect(rows[0]).toMatchObject({ ms: 1_700_000_000_000, category: 'http', level: 'info', data: '{"url":"/x"}' });
    expect(rows[1]).toMatchObject({ time: '—', category: 'nav', data: '' });
    expect(dataText('plain')).toBe('plain');
    expect(eventIndex([{ eventId: 'a' }, { eventId: 'b' }], 'b')).toBe(1);
  });

  test('normalization tolerates garbage', () => {
    const e = normalizeEvent({ exception: { values: [{ type: 'E', stacktrace: null }] }, tags: { a: 1 }, breadcrumbs: 'no' });
    expect(e.exception?.values[0]?.stacktrace?.frames).toEqual([]);
    expect(e.tags).toEqual({ a: '1' });
    expect(e.breadcrumbs).toEqual([]);
    expect(normalizeEvent(null).user).toEqual({ id: '', email: '', username: '', ipAddress: '' });
    expect(normalizeIssue({ status: 'weird', count: '3' })).toMatchObject({ status: 'unresolved', count: 3, level: 'error' });
  });
});

describe('activity', () => {
  const a = (kind: string, data: Record<string, unknown>) => ({ id: '1', kind, timestamp: '', actor: 'system', actorName: '', data });
  test('describes each kind', () => {
    expect(describeActivity(a('first_seen', { release: '1.0' }))).toBe('First seen in release 1.0');
    expect(describeActivity(a('status_change', { status: 'resolved', resolvedInRelease: '2.0' }))).toBe('Resolved in release 2.0');
    expect(describeActivity(a('assigned', { assignee: 'carol' }))).toBe('Assigned to carol');
    expect(describeActivity(a('assigned', { assignee: '' }))).toBe('Unassigned');
    expect(describeActivity(a('note', { text: 'looking' }))).toBe('Note');
    expect(describeActivity(a('status_change', { status: 'resolved' }))).toBe('Resolved');
    expect(describeActivity(a('status_change', { status: 'ignored', ignoreUntilEvents: 10 }))).toBe('Ignored until 10 events');
    expect(describeActivity(a('status_change', { status: 'unresolved' }))).toBe('Reopened');
    expect(describeActivity(a('regression', { release: '2.1', resolvedInRelease: '2.0' }))).toBe(
      'Regressed in release 2.1 (was resolved in 2.0)',
    );
    expect(describeActivity(a('unignored', { events: 11 }))).toBe('Unignored after 11 events');
    expect(describeActivity(a('unignored', { users: 5 }))).toBe('Unignored after 5 users');
    const until = new Date(2031, 11, 2, 16, 30).getTime(); // not today: a date today reads as its clock time
    expect(describeActivity(a('unignored', { untilMs: until }))).toBe('Unignored: ignored until 2031-12-02 16:30:00');
    expect(describeActivity(a('status_change', { status: 'ignored', ignoreUntilMs: until, ignoreUntilUsers: 3 }))).toBe(
      'Ignored until 2031-12-02 16:30 or 3 users',
    );
    expect(describeActivity(a('assigned_to', {}))).toBe('assigned to');
    expect(actorLabel('token:3')).toBe('token 3');
    expect(actorLabel('token:3', 'alice')).toBe('alice');
  });
});

describe('bulk helpers', () => {
  test('cursor moves and clamps', () => {
    expect(moveCursor(-1, 1, 3)).toBe(0);
    expect(moveCursor(-1, -1, 3)).toBe(0);
    expect(moveCursor(0, 1, 3)).toBe(1);
    expect(moveCursor(2, 1, 3)).toBe(2);
    expect(moveCursor(0, -1, 3)).toBe(0);
    expect(moveCursor(5, 1, 3)).toBe(0);
    expect(moveCursor(0, 1, 0)).toBe(-1);
  });

  test('runBulk keeps going after failures', async () => {
    const seen: string[] = [];
    const r = await runBulk(
      ['a', 'b', 'c'],
      async (id) => {
        seen.push(id);
        if (id === 'b') throw new Error('forbidden');
      },
      (e) => (e as Error).message,
      2,
    );
    expect(seen.sort()).toEqual(['a', 'b', 'c']);
    expect(r.ok.sort()).toEqual(['a', 'c']);
    expect(bulkFailureText(r)).toBe('1 of 3 issues could not be updated: forbidden');
    expect(bulkFailureText({ ok: ['a'], failed: [] })).toBe('');
  });
});

describe('eventPosition', () => {
  test("a list cut at its limit counts with the issue's total", () => {
    expect(eventPosition(0, 50, true, 91)).toBe('1 of 91');
    expect(eventPosition(49, 50, true, 91)).toBe('50 of 91');
  });

  test('without a usable total, a cut list says "+"', () => {
    expect(eventPosition(0, 50, true, null)).toBe('1 of 50+');
    expect(eventPosition(0, 50, true, undefined)).toBe('1 of 50+');
    expect(eventPosition(0, 50, true, NaN)).toBe('1 of 50+');
    // a counter behind the list (events ingested since the issue was read)
    expect(eventPosition(0, 50, true, 40)).toBe('1 of 50+');
  });

  test('a complete list', () => {
    expect(eventPosition(0, 3, false, 3)).toBe('1 of 3');
    expect(eventPosition(2, 3, false, 3)).toBe('3 of 3');
    expect(eventPosition(0, 3, false, 2)).toBe('1 of 3');
    // expired events: the total still counts them
    expect(eventPosition(0, 3, false, 10)).toBe('1 of 10');
  });

  test('an event older than the loaded ones', () => {
    expect(eventPosition(-1, 50, true, 91)).toBe('older than the 50 most recent');
  });
});
