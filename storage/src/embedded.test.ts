import { expect, test } from 'vitest';
import { changedSettings } from './embedded.ts';

test('changedSettings names the settings whose value on the session differs, compared as text', () => {
  const applied = new Map([
    ['max_execution_time', '30'],
    ['max_result_rows', '1000'],
  ]);
  expect(changedSettings(applied, { max_execution_time: 30, max_result_rows: '1000' })).toEqual({});
  expect(changedSettings(applied, { max_execution_time: 30, max_result_rows: '11', result_overflow_mode: 'throw' })).toEqual({
    max_result_rows: '11',
    result_overflow_mode: 'throw',
  });
  expect(changedSettings(new Map(), { max_execution_time: 5, max_threads: undefined })).toEqual({ max_execution_time: 5 });
});
