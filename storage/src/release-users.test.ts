import { afterAll, beforeAll, expect, test } from 'vitest';
import { migrate } from './migrate.ts';
import { releasesStats, releaseStats } from './releases-reader.ts';
import { insertSpans } from './spans-writer.ts';
import { sql } from './sql.ts';
import { countingDatabase } from './testing/counting-database.ts';
import { makeSpan } from './testing/make-span.ts';
import { openTempDatabase } from './testing/temp-database.ts';

let temp: Awaited<ReturnType<typeof openTempDatabase>>;
beforeAll(async () => {
  temp = await openTempDatabase();
});
afterAll(async () => temp.cleanup());

let spanCounter = 0;
/** One span of `release` per entry: a user id, an `enduser.id` (prefixed `end:`), or '' for none. */
async function sendSpans(release: string, users: string[]): Promise<void> {
  const spans = users.map((user) => {
    spanCounter++;
    const attributes: Record<string, string> = user === '' ? {} : user.startsWith('end:') ? { 'enduser.id': user.slice(4) } : { 'user.id': user };
    const span = makeSpan({ spanId: spanCounter.toString(16).padStart(16, '0'), attributes, resource: { 'service.name': 'jobs', 'service.version': release } });
    return { projectId: 1, span };
  });
  await insertSpans(temp.db, spans);
}

/** Users of the release's spans as crash-free users sees them: 1 - users with errors (none here) / span users. */
async function spanUsers(release: string): Promise<number> {
  const rows = await temp.db.query<{ n: string }>(sql`SELECT toString(uniqMerge(Users)) AS n FROM ${temp.db.rollup('release_users')} WHERE ProjectId = 1 AND Release = ${release}`);
  return Number(rows[0]?.n ?? 0);
}

test('users of a release are counted at ingest: user.id, else enduser.id, each once, spans without a user left out', async () => {
  await sendSpans('1.0.0', ['a', 'b', 'a', '', 'end:c', 'end:a']);
  await sendSpans('1.0.0', ['b', 'd']);
  await sendSpans('2.0.0', ['a']);
  await sendSpans('', ['z']);
  expect(await spanUsers('1.0.0')).toBe(4);
  expect(await spanUsers('2.0.0')).toBe(1);
  expect(await spanUsers('')).toBe(0);
  // the releases page's figure: no sessions and no errors, so every user of the release's spans was crash-free
  expect((await releaseStats(temp.db, 1, '1.0.0')).crashFreeUsers).toBe(1);
});

test('an install upgraded to migration 0023 counts the users of the spans it already held, and new spans add to them', async () => {
  const db = temp.db;
  // Back to before 0023: no rollup, no view, not recorded.
  for (const name of ['release_users_mv', 'release_users_buffer', 'release_users']) await db.command(`DROP TABLE IF EXISTS faultline.${name}`);
  await db.command(sql`DELETE FROM ${db.table('schema_migrations')} WHERE Version = 23`);
  await sendSpans('3.0.0', ['p', 'q', 'end:r']);
  expect(await migrate(db)).toEqual([23]);
  expect(await spanUsers('1.0.0')).toBe(4);
  expect(await spanUsers('3.0.0')).toBe(3);
  await sendSpans('3.0.0', ['p', 's']);
  expect(await spanUsers('3.0.0')).toBe(4);
  // a second start finds rows and does not count the spans again (uniq states would not double anyway; sums would)
  expect(await migrate(db)).toEqual([]);
  expect(await spanUsers('3.0.0')).toBe(4);
});

test('the figures of many releases take as many statements as those of one, and match them', async () => {
  const { db: counting, statements } = countingDatabase(temp.db);
  const one = await releasesStats(counting, 1, ['1.0.0']);
  const perRelease = statements.length;
  statements.length = 0;
  const versions = ['1.0.0', '2.0.0', '3.0.0', 'none-such'];
  const many = await releasesStats(counting, 1, versions);
  expect(statements.length).toBe(perRelease);
  expect(many.get('1.0.0')).toEqual(one.get('1.0.0'));
  for (const v of versions) expect(many.get(v)).toEqual(await releaseStats(temp.db, 1, v));
  expect(many.get('none-such')).toMatchObject({ errorEvents: 0, spanCalls: 0, errorRate: null, crashFreeUsers: null, topOperations: [] });
});

