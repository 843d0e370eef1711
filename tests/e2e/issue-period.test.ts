import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { nodeStack, sendException } from '../otlp-client.ts';

const HOUR = 3_600_000;
/** Half past an hour, two days ago: events either side of it fall in partial and whole hours of a range. */
const T0 = Math.floor((Date.now() - 48 * HOUR) / HOUR) * HOUR + HOUR / 2;

let fl: Faultline;
beforeAll(async () => {
  fl = await startFaultline();
  const send = (fn: string, minutes: number, userId: string, environment = 'production') =>
    sendException(fl, {
      service: 'billing',
      type: 'Error',
      message: `${fn} broke`,
      stack: nodeStack('Error', `${fn} broke`, fn, `src/${fn}.js`, 3),
      userId,
      environment,
      timeMs: T0 + minutes * 60_000,
    });
  // "charge": events at T0-20 min, T0+40, +41 and +50 min (the next whole hour), T0+150 min, and a day and a half later.
  await send('charge', -20, 'u1');
  await send('charge', 40, 'u2');
  await send('charge', 41, 'u2', 'staging');
  await send('charge', 50, 'u1'); // u1 again, now in a whole hour: counted once
  await send('charge', 150, 'u3');
  await send('charge', 36 * 60, 'u1');
  // "refund": one event, long before the others.
  await send('refund', -600, 'u4');
  await eventually(async () => {
    const body = (await fl.get('/api/v1/projects/default/issues?status=all')).body as { issues: Array<{ count: number }> };
    return body.issues.reduce((sum, i) => sum + i.count, 0) === 7 ? true : null;
  });
});
afterAll(async () => fl.stop());

type Listed = { issues: Array<{ title: string; count: number; userCount: number; firstSeen: string; lastSeen: string }> };
async function list(query: string): Promise<Listed['issues']> {
  const res = await fl.get(`/api/v1/projects/default/issues?status=all&sort=events&${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body as Listed).issues;
}
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
/** The exception event of a span sent for `minutes` (sendException puts it 1 ms before the span's end). */
const eventMs = (minutes: number) => T0 + minutes * 60_000 - 1;

describe("issues in a time range (Sentry's period)", () => {
  test("lists only issues with events in the range, counting those events and users alone; first and last seen stay the issue's", async () => {
    // T0-30 min … T0+160 min: partial hours at both ends, one whole hour between them
    const issues = await list(`start=${encodeURIComponent(at(-30))}&end=${T0 + 160 * 60_000}`);
    expect(issues.map((i) => [i.title, i.count, i.userCount])).toEqual([['Error: charge broke', 5, 3]]);
    expect(Date.parse(issues[0]?.firstSeen ?? '')).toBe(eventMs(-20));
    expect(Date.parse(issues[0]?.lastSeen ?? '')).toBe(eventMs(36 * 60));
    // the range's edges are inclusive, to the millisecond
    expect((await list(`start=${eventMs(150)}&end=${eventMs(150)}`)).map((i) => i.count)).toEqual([1]);
    expect(await list(`start=${eventMs(150) + 1}&end=${eventMs(151)}`)).toEqual([]);
    expect(await list(`start=${eventMs(149)}&end=${eventMs(150) - 1}`)).toEqual([]);
  });

  test('whole hours only, and a range holding the other issue alone', async () => {
    const hourStart = T0 + HOUR / 2;
    expect((await list(`start=${hourStart}&end=${hourStart + HOUR - 1}`)).map((i) => [i.count, i.userCount])).toEqual([[3, 2]]);
    expect((await list(`start=${at(-700)}&end=${at(-500)}`)).map((i) => i.title)).toEqual(['Error: refund broke']);
    // without a start: every event up to the end
    expect((await list(`end=${at(0)}`)).map((i) => [i.title, i.count])).toEqual([
      ['Error: charge broke', 1],
      ['Error: refund broke', 1],
    ]);
  });

  test("with an environment too, both scope the counts; the sort is by the range's events", async () => {
    const range = `start=${at(-30)}&end=${at(160)}`;
    expect((await list(`${range}&environment=staging`)).map((i) => i.count)).toEqual([1]);
    expect((await list(`${range}&query=${encodeURIComponent('env:production')}`)).map((i) => [i.count, i.userCount])).toEqual([[4, 3]]);
  });

  test('an inverted or unreadable range is a 400 naming the parameter', async () => {
    for (const [q, field] of [
      [`start=${at(10)}&end=${at(0)}`, 'start'],
      ['start=yesterday', 'start'],
      ['end=soon', 'end'],
    ] as const) {
      const res = await fl.get(`/api/v1/projects/default/issues?${q}`);
      expect(res.status).toBe(400);
      expect((res.body as { error: { message: string } }).error.message).toContain(`query parameter "${field}"`);
    }
  });
});
