import { describe, expect, test } from 'vitest';
import { formatTraceparent, formatTracestate, parseTraceparent, parseTracestate, setTracestate, deleteTracestate } from './traceparent.ts';

// Cases from the W3C trace-context test suite (test/test.py), which the spec's conformance harness sends.
const TRACE = '12345678901234567890123456789012';
const SPAN = '1234567890123456';
const valid = (header: string) => expect(parseTraceparent(header), header).not.toBeNull();
const invalid = (header: string | string[]) => expect(parseTraceparent(header), String(header)).toBeNull();

describe('traceparent', () => {
  test('parses version 00 and keeps the flags', () => {
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-01`)).toEqual({ version: '00', traceId: TRACE, spanId: SPAN, flags: 1 });
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-00`)?.flags).toBe(0);
  });

  test('version 00 must be exactly 55 characters', () => {
    invalid(`00-${TRACE}-${SPAN}-01.what-the-future-will-be-like`);
    invalid(`00-${TRACE}-${SPAN}-01-what-the-future-will-not-be-like`);
  });

  test('a future version is read by its first four fields when a dash follows them', () => {
    expect(parseTraceparent(`cc-${TRACE}-${SPAN}-01`)).toMatchObject({ version: 'cc', traceId: TRACE, spanId: SPAN, flags: 1 });
    expect(parseTraceparent(`cc-${TRACE}-${SPAN}-01-what-the-future-will-be-like`)).toMatchObject({ traceId: TRACE, spanId: SPAN });
    expect(parseTraceparent(`01-${TRACE}-${SPAN}-01-what-the-future-will-be-like`)?.version).toBe('01');
    invalid(`cc-${TRACE}-${SPAN}-01.what-the-future-will-be-like`);
    invalid(`cc-${TRACE}-${SPAN}`);
  });

  test('version ff and malformed versions are invalid', () => {
    invalid(`ff-${TRACE}-${SPAN}-01`);
    invalid(`.0-${TRACE}-${SPAN}-01`);
    invalid(`0.-${TRACE}-${SPAN}-01`);
    invalid(`000-${TRACE}-${SPAN}-01`);
    invalid(`0000-${TRACE}-${SPAN}-01`);
    invalid(`0-${TRACE}-${SPAN}-01`);
  });

  test('trace id: all zero, illegal characters, wrong length', () => {
    invalid(`00-00000000000000000000000000000000-${SPAN}-01`);
    invalid(`00-.2345678901234567890123456789012-${SPAN}-01`);
    invalid(`00-1234567890123456789012345678901.-${SPAN}-01`);
    invalid(`00-123456789012345678901234567890123-${SPAN}-01`);
    invalid(`00-1234567890123456789012345678901234-${SPAN}-01`);
    invalid(`00-12345678901234567890123456789012345-${SPAN}-01`);
    invalid(`00-1234567890123456789012345678901-${SPAN}-01`);
  });

  test('parent id: all zero, illegal characters, wrong length', () => {
    invalid(`00-${TRACE}-0000000000000000-01`);
    invalid(`00-${TRACE}-.234567890123456-01`);
    invalid(`00-${TRACE}-123456789012345.-01`);
    invalid(`00-${TRACE}-12345678901234567-01`);
    invalid(`00-${TRACE}-123456789012345-01`);
  });

  test('trace flags: illegal characters, wrong length', () => {
    invalid(`00-${TRACE}-${SPAN}-.0`);
    invalid(`00-${TRACE}-${SPAN}-0.`);
    invalid(`00-${TRACE}-${SPAN}-001`);
    invalid(`00-${TRACE}-${SPAN}-0`);
  });

  test('upper-case hex is invalid (the grammar is HEXDIGLC)', () => {
    invalid(`00-${TRACE.replace('1', 'A')}-${SPAN}-01`);
    invalid(`00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01`);
    invalid(`00-${TRACE}-ABCDEF7890123456-01`);
    invalid(`0A-${TRACE}-${SPAN}-01`);
    invalid(`00-${TRACE}-${SPAN}-0A`);
  });

  test('optional whitespace around the value is accepted, inside it is not', () => {
    valid(` 00-${TRACE}-${SPAN}-01`);
    valid(`\t00-${TRACE}-${SPAN}-01`);
    valid(`00-${TRACE}-${SPAN}-01 `);
    valid(`\t 00-${TRACE}-${SPAN}-01 \t`);
    invalid(`00- ${TRACE}-${SPAN}-01`);
  });

  test('a repeated header, an empty one or none is ignored', () => {
    invalid([`00-${TRACE}-${SPAN}-01`, `00-${TRACE}-${SPAN}-01`]);
    invalid('');
    expect(parseTraceparent(undefined)).toBeNull();
    expect(parseTraceparent([`00-${TRACE}-${SPAN}-01`])?.traceId).toBe(TRACE);
  });

  test('format writes version 00 and only the sampled bit', () => {
    expect(formatTraceparent({ traceId: TRACE, spanId: SPAN, flags: 1 })).toBe(`00-${TRACE}-${SPAN}-01`);
    expect(formatTraceparent({ traceId: TRACE, spanId: SPAN, flags: 0 })).toBe(`00-${TRACE}-${SPAN}-00`);
    expect(formatTraceparent({ traceId: TRACE, spanId: SPAN, flags: 0xff })).toBe(`00-${TRACE}-${SPAN}-01`);
    const parsed = parseTraceparent(`cc-${TRACE}-${SPAN}-09-future`);
    expect(parsed && formatTraceparent(parsed)).toBe(`00-${TRACE}-${SPAN}-01`);
  });
});

describe('tracestate', () => {
  const keys = (header: string | string[]) => parseTracestate(header).map(([k]) => k);

  test('keeps order and values; several headers are one list', () => {
    expect(parseTracestate('foo=1,bar=2')).toEqual([
      ['foo', '1'],
      ['bar', '2'],
    ]);
    expect(keys(['foo=1,bar=2', 'rojo=1,congo=2', 'baz=3'])).toEqual(['foo', 'bar', 'rojo', 'congo', 'baz']);
  });

  test('optional whitespace and empty members are allowed', () => {
    expect(keys('foo=1 \t , \t bar=2, baz=3')).toEqual(['foo', 'bar', 'baz']);
    expect(keys('foo=1,,,bar=2, ,')).toEqual(['foo', 'bar']);
    expect(parseTracestate('')).toEqual([]);
  });

  test('a duplicated key discards the whole header, also across headers', () => {
    expect(parseTracestate('foo=1,foo=1')).toEqual([]);
    expect(parseTracestate('foo=1,foo=2')).toEqual([]);
    expect(parseTracestate(['foo=1', 'foo=1'])).toEqual([]);
  });

  test('32 members are kept, 33 discard the header', () => {
    const members = (n: number) => Array.from({ length: n }, (_, i) => `a${i}=${i}`).join(',');
    expect(parseTracestate(members(32))).toHaveLength(32);
    expect(parseTracestate(members(33))).toEqual([]);
  });

  test('all allowed key and value characters', () => {
    const key = 'abcdefghijklmnopqrstuvwxyz0123456789_-*/';
    const value = ' !"#$%&\'()*+-./0123456789:;<>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~';
    expect(parseTracestate(`${key}=${value}`)).toEqual([[key, value]]);
    expect(keys(`0123456789@abcdefghijklm=1,foo@bar=2`)).toEqual(['0123456789@abcdefghijklm', 'foo@bar']);
  });

  test('illegal keys discard the header', () => {
    for (const bad of ['foo =1', 'FOO=1', 'foo.bar=1', '=1', 'foo', '1foo=1', 'foo@=1', '@foo=1', 'foo@bar@baz=1']) {
      expect(parseTracestate(`${bad},ok=1`), bad).toEqual([]);
    }
  });

  test('key length limits: 256 simple, tenant 241 @ system 14', () => {
    expect(parseTracestate(`${'z'.repeat(256)}=1`)).toHaveLength(1);
    expect(parseTracestate(`${'z'.repeat(257)}=1`)).toEqual([]);
    expect(parseTracestate(`${'t'.repeat(241)}@${'s'.repeat(14)}=1`)).toHaveLength(1);
    expect(parseTracestate(`${'t'.repeat(242)}@v=1`)).toEqual([]);
    expect(parseTracestate(`t@${'s'.repeat(15)}=1`)).toEqual([]);
  });

  test('illegal values discard the header', () => {
    for (const bad of ['foo=bar=baz', 'foo=,bar=3', 'foo=1\u00e9', 'foo=a\tb']) {
      expect(parseTracestate(bad), bad).toEqual([]);
    }
    expect(parseTracestate(`foo=${'v'.repeat(256)}`)).toHaveLength(1);
    expect(parseTracestate(`foo=${'v'.repeat(257)}`)).toEqual([]);
    // A trailing space is optional whitespace of the member, not part of the value.
    expect(parseTracestate('foo=bar ')).toEqual([['foo', 'bar']]);
    expect(parseTracestate('foo=b a r')).toEqual([['foo', 'b a r']]);
  });

  test('an updated or new entry moves to the left; past 32 the rightmost falls off', () => {
    const list = parseTracestate('a=1,b=2,c=3');
    expect(formatTracestate(setTracestate(list, 'c', '9'))).toBe('c=9,a=1,b=2');
    expect(formatTracestate(setTracestate(list, 'new', 'x'))).toBe('new=x,a=1,b=2,c=3');
    expect(formatTracestate(setTracestate(list, 'BAD', 'x'))).toBe('a=1,b=2,c=3');
    expect(formatTracestate(deleteTracestate(list, 'b'))).toBe('a=1,c=3');
    const full = parseTracestate(Array.from({ length: 32 }, (_, i) => `k${i}=${i}`).join(','));
    const added = setTracestate(full, 'mine', 'x');
    expect(added).toHaveLength(32);
    expect(added[0]).toEqual(['mine', 'x']);
    expect(added.some(([k]) => k === 'k31')).toBe(false);
  });

  test('serialization past 512 characters drops long entries first, then from the right', () => {
    const long = `big=${'x'.repeat(200)}`;
    const small = Array.from({ length: 20 }, (_, i) => `s${i}=${'y'.repeat(20)}`);
    const out = formatTracestate(parseTracestate([small.slice(0, 10).join(','), long, small.slice(10).join(',')].join(',')));
    expect(out.length).toBeLessThanOrEqual(512);
    expect(out).not.toContain('big=');
    expect(out.startsWith('s0=')).toBe(true);
  });
});
