import { expect, test } from 'vitest';
import { toCompact } from '@faultline/storage';
import { splitErrorEvents, withErrorEvents, withErrorInsert } from './error-rows.ts';

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
