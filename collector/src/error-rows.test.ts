import { expect, test } from 'vitest';
import { toCompact } from '@faultline/storage';
import { RecentEventIds, skipRepeatedEvents, splitErrorEvents, withErrorEvents, withErrorInsert } from './error-rows.ts';

test('error events ride with their rows, invisible to column lists and JSON, and split back out', async () => {
  const spans = [{ SpanId: 'a' }, { SpanId: 'b' }];
  const errors = [{ EventId: 'e1' }];
  const batch = withErrorEvents(spans, errors);
  expect(batch).toHaveLength(3);
  expect(Object.keys(batch[2] ?? {})).toEqual(['EventId']);
  expect(JSON.stringify(batch[2])).toBe('{"EventId":"e1"}');
  expect(toCompact(splitErrorEvents(batch).own).columns).toEqual(['SpanId']);
  expect(splitErrorEvents(batch)).toEqual({ own: spans, errors });
  expect(withErrorEvents(spans, [])).toBe(spans);

  const written: string[] = [];
  const insert = withErrorInsert(
    async (rows) => void written.push(`own:${rows.length}`),
    async (rows) => void written.push(`errors:${rows.length}`),
  );
  await insert(batch);
  await insert(spans);
  expect(written).toEqual(['own:2', 'errors:1', 'own:2']);
});

test('an error event written lately is not written again; one whose insert failed is', async () => {
  const recent = new RecentEventIds(3);
  const written: string[] = [];
  let fail = false;
  const insert = skipRepeatedEvents(async (rows) => {
    if (fail) throw new Error('storage down');
    written.push(...rows.map((r) => `${String(r.ProjectId)}/${String(r.EventId)}`));
  }, recent);
  const ev = (projectId: number, eventId: string) => ({ ProjectId: projectId, EventId: eventId });

  await insert([ev(1, 'a'), ev(1, 'a'), ev(2, 'a')]);
  expect(written).toEqual(['1/a', '2/a']);
  fail = true;
  await expect(insert([ev(1, 'a'), ev(1, 'b')])).rejects.toThrow('storage down');
  fail = false;
  await insert([ev(1, 'a'), ev(1, 'b')]); // the retry of the failed insert: b was never written
  expect(written).toEqual(['1/a', '2/a', '1/b']);
  await insert([ev(1, 'c'), ev(1, 'd')]); // capacity 3: the oldest (1/a) is forgotten
  await insert([ev(1, 'a'), ev(1, 'd')]);
  expect(written).toEqual(['1/a', '2/a', '1/b', '1/c', '1/d', '1/a']);
});
