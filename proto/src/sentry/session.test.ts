import { describe, expect, test } from 'vitest';
import { formatErrorOf as reason } from './fixtures.ts';
import { parseSessionItem, parseSessionsItem } from './index.ts';

const RECEIVED_MS = 1718031240000;

/** What @sentry/browser 8 sends when a page session starts. */
const browserSession = {
  sid: '7c7b6585f9014351bf8d02711b721929',
  init: true,
  started: '2024-06-10T14:50:00.123Z',
  timestamp: '2024-06-10T14:50:00.125Z',
  status: 'ok',
  errors: 0,
  duration: 0,
  did: 'user-42',
  attrs: { release: 'shop-web@5.0.0', environment: 'production', user_agent: 'Mozilla/5.0' },
};

describe('parseSessionItem', () => {
  test('a browser session start', () => {
    expect(parseSessionItem(browserSession, RECEIVED_MS)).toEqual({
      sessionId: '7c7b6585f9014351bf8d02711b721929',
      distinctId: 'user-42',
      status: 'ok',
      errors: 0,
      startedMs: 1718031000123,
      timestampMs: 1718031000125,
      release: 'shop-web@5.0.0',
      environment: 'production',
      init: true,
      quantity: 1,
    });
  });

  test('a crashed update without timestamp takes the receive time; float-second times work too', () => {
    const update = parseSessionItem(
      { sid: 'abc', did: 17, status: 'crashed', errors: 3, started: 1718031000.5, attrs: { release: 'cli@1.2.0' } },
      RECEIVED_MS,
    );
    expect(update).toMatchObject({
      distinctId: '17',
      status: 'crashed',
      errors: 3,
      startedMs: 1718031000500,
      timestampMs: RECEIVED_MS,
      environment: '',
      init: false,
    });
    expect(parseSessionItem({ sid: 'abc', started: 1718031000.5, attrs: { release: 'r' } }).timestampMs).toBe(1718031000500);
  });

  test('"unhandled" (what @sentry/browser 10+ sends after an uncaught error) is kept as its own status', () => {
    const update = parseSessionItem(
      { sid: 'f'.repeat(32), init: true, started: '2024-06-10T14:50:00Z', status: 'unhandled', errors: 1, attrs: { release: 'web@2.0.0' } },
      RECEIVED_MS,
    );
    expect(update).toMatchObject({ status: 'unhandled', errors: 1, init: true, release: 'web@2.0.0' });
  });

  test('a status this version does not know counts as errored instead of losing the session', () => {
    expect(parseSessionItem({ ...browserSession, status: 'frozen' }).status).toBe('errored');
    expect(parseSessionItem({ ...browserSession, status: null }).status).toBe('ok');
  });

  test('invalid sessions are refused', () => {
    const without = (key: string) => Object.fromEntries(Object.entries(browserSession).filter(([k]) => k !== key));
    expect(reason(() => parseSessionItem(without('attrs')))).toBe('session has no attrs.release');
    expect(reason(() => parseSessionItem({ ...browserSession, attrs: { release: ' ' } }))).toBe('session has no attrs.release');
    expect(reason(() => parseSessionItem(without('sid')))).toBe('session has no sid');
    expect(reason(() => parseSessionItem(without('started')))).toBe('session started is missing or not a timestamp');
    expect(reason(() => parseSessionItem({ ...browserSession, status: 42 }))).toBe(
      'session status 42 is not one of ok, exited, crashed, abnormal, errored, unhandled',
    );
    expect(reason(() => parseSessionItem([]))).toBe('session must be a JSON object');
  });
});

describe('parseSessionsItem', () => {
  /** What @sentry/node 8 flushes for request-mode sessions. */
  const aggregates = {
    aggregates: [
      { started: '2024-06-10T14:50:00.000Z', exited: 120, errored: 3, crashed: 0 },
      { started: '2024-06-10T14:51:00.000Z', did: 'user-42', exited: 0, abnormal: 1, crashed: 2 },
      { started: '2024-06-10T14:52:00.000Z', exited: 0 },
    ],
    attrs: { release: 'checkout@2.4.1', environment: 'production' },
  };

  test('one update per non-zero status count', () => {
    const updates = parseSessionsItem(aggregates, RECEIVED_MS);
    expect(updates.map((u) => [u.startedMs, u.distinctId, u.status, u.quantity, u.errors])).toEqual([
      [1718031000000, '', 'exited', 120, 0],
      [1718031000000, '', 'errored', 3, 1],
      [1718031060000, 'user-42', 'abnormal', 1, 1],
      [1718031060000, 'user-42', 'crashed', 2, 1],
    ]);
    expect(updates[0]).toEqual({
      sessionId: '',
      distinctId: '',
      status: 'exited',
      errors: 0,
      startedMs: 1718031000000,
      timestampMs: RECEIVED_MS,
      release: 'checkout@2.4.1',
      environment: 'production',
      init: true,
      quantity: 120,
    });
  });

  test('an aggregate\'s unhandled count becomes unhandled sessions', () => {
    const updates = parseSessionsItem({ attrs: aggregates.attrs, aggregates: [{ started: '2024-06-10T14:50:00Z', exited: 5, unhandled: 2 }] });
    expect(updates.map((u) => [u.status, u.quantity, u.errors])).toEqual([
      ['exited', 5, 0],
      ['unhandled', 2, 1],
    ]);
  });

  test('invalid aggregates are refused', () => {
    expect(reason(() => parseSessionsItem({ ...aggregates, attrs: {} }))).toBe('sessions has no attrs.release');
    expect(reason(() => parseSessionsItem({ attrs: aggregates.attrs }))).toBe('sessions has no aggregates array');
    expect(reason(() => parseSessionsItem({ attrs: aggregates.attrs, aggregates: [{ exited: 1 }] }))).toBe(
      'sessions aggregates[0].started is missing or not a timestamp',
    );
    expect(reason(() => parseSessionsItem({ attrs: aggregates.attrs, aggregates: [3] }))).toBe('sessions aggregates[0] is not an object');
  });
});
