import { describe, expect, it } from 'vitest';
import type { ApiTraceSummary } from '../api/types.ts';
import { appendPage, normalizeTracePage, pageQuery, queryWindow, rangePhrase, scatterCaption } from './results.ts';

const trace = (traceId: string, durationNano = '1000'): ApiTraceSummary => ({
  traceId,
  rootServiceName: 'shop',
  rootName: 'GET /',
  startTimeUnixNano: '1714557600000000000',
  durationNano,
  spanCount: 3,
  errorCount: 0,
  services: ['shop'],
});

describe('normalizeTracePage', () => {
  it('keeps a well-formed answer as it is', () => {
    const body = { traces: [trace('a'), trace('b')], nextCursor: 'abc' };
    expect(normalizeTracePage(body)).toEqual(body);
  });

  it('survives junk: no body, no list, bad entries, odd fields', () => {
    expect(normalizeTracePage(null)).toEqual({ traces: [], nextCursor: null });
    expect(normalizeTracePage('oops')).toEqual({ traces: [], nextCursor: null });
    expect(normalizeTracePage({ traces: 'x', nextCursor: 5 })).toEqual({ traces: [], nextCursor: null });
    expect(normalizeTracePage({ traces: [], nextCursor: '' }).nextCursor).toBeNull();
    const page = normalizeTracePage({
      traces: [
        null,
        { rootName: 'no id' },
        { traceId: 'c', startTimeUnixNano: '-5', durationNano: 1500, spanCount: '4', errorCount: -1, services: ['a', 3, 'b'] },
      ],
    });
    expect(page.traces).toEqual([
      { traceId: 'c', rootServiceName: '', rootName: '', startTimeUnixNano: '0', durationNano: '1500', spanCount: 4, errorCount: 0, services: ['a', 'b'] },
    ]);
    expect(page.nextCursor).toBeNull();
  });

  it('lists a trace once even when the server repeats it', () => {
    expect(normalizeTracePage({ traces: [trace('a'), trace('a', '5')] }).traces).toEqual([trace('a')]);
  });
});

describe('appendPage', () => {
  it('appends the next page in order and takes its cursor', () => {
    const joined = appendPage({ traces: [trace('a'), trace('b')], nextCursor: 'c1' }, { traces: [trace('c'), trace('d')], nextCursor: 'c2' });
    expect(joined.traces.map((t) => t.traceId)).toEqual(['a', 'b', 'c', 'd']);
    expect(joined.nextCursor).toBe('c2');
  });

  it('skips traces already listed and ends on the last page', () => {
    const joined = appendPage({ traces: [trace('a'), trace('b')], nextCursor: 'c1' }, { traces: [trace('b'), trace('c')], nextCursor: null });
    expect(joined.traces.map((t) => t.traceId)).toEqual(['a', 'b', 'c']);
    expect(joined.nextCursor).toBeNull();
  });

  it('stops offering a page that repeats itself', () => {
    const loaded = { traces: [trace('a')], nextCursor: 'c1' };
    expect(appendPage(loaded, { traces: [trace('a')], nextCursor: 'c1' })).toEqual({ traces: [trace('a')], nextCursor: null });
    // nothing new but a different cursor: the server moved on, so paging may go on
    expect(appendPage(loaded, { traces: [], nextCursor: 'c2' }).nextCursor).toBe('c2');
  });
});

describe('pageQuery', () => {
  it('is the same search with the cursor set', () => {
    const first = new URLSearchParams('service=shop&sort=duration&start=1&end=2&limit=20');
    const q = pageQuery(first, 'xyz');
    expect(q.toString()).toBe('service=shop&sort=duration&start=1&end=2&limit=20&cursor=xyz');
    expect(pageQuery(q, 'next').getAll('cursor')).toEqual(['next']);
    expect(first.has('cursor')).toBe(false);
  });
});

describe('queryWindow', () => {
  const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);
  it('reads the start and end the API will search', () => {
    expect(queryWindow(new URLSearchParams('start=1000&end=5000'), NOW)).toEqual({ startMs: 1000, endMs: 5000 });
    expect(queryWindow(new URLSearchParams('start=2024-05-01T10:00:00Z&end=2024-05-01T11:00:00.5Z'), NOW)).toEqual({
      startMs: Date.UTC(2024, 4, 1, 10),
      endMs: Date.UTC(2024, 4, 1, 11, 0, 0, 500),
    });
  });

  it('uses the API defaults: end now, start an hour before the end', () => {
    expect(queryWindow(new URLSearchParams('start=2024-05-01T10:00:00Z'), NOW)).toEqual({ startMs: Date.UTC(2024, 4, 1, 10), endMs: NOW });
    expect(queryWindow(new URLSearchParams('end=7200000'), NOW)).toEqual({ startMs: 3_600_000, endMs: 7_200_000 });
    expect(queryWindow(new URLSearchParams(), NOW)).toEqual({ startMs: NOW - 3_600_000, endMs: NOW });
  });

  it('is null for a window the API would reject', () => {
    expect(queryWindow(new URLSearchParams('start=yesterday'), NOW)).toBeNull();
    expect(queryWindow(new URLSearchParams('start=5000&end=1000'), NOW)).toBeNull();
  });
});

describe('captions', () => {
  it('names the range in running text', () => {
    expect(rangePhrase({ kind: 'relative', key: '1h' }, 0)).toBe('the last hour');
    expect(rangePhrase({ kind: 'relative', key: '6h' }, 0)).toBe('the last 6 hours');
    expect(rangePhrase({ kind: 'absolute', start: '2024-05-01T10:00:00Z', end: '2024-05-01T12:00:00Z' }, 0)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d → /);
  });

  it('says how many traces the chart shows and whether more match', () => {
    expect(scatterCaption(50, true, 'the last hour')).toBe('50 loaded traces of the last hour; more match');
    expect(scatterCaption(7, false, 'the last hour')).toBe('7 traces of the last hour, all that match');
    expect(scatterCaption(1, false, 'the last 15 minutes')).toBe('1 trace of the last 15 minutes, all that match');
  });
});
