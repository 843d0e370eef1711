import { describe, expect, it } from 'vitest';
import { readTraceParams, withTraceParams } from './url.ts';

const BASE = 'http://localhost/projects/p/traces/abc';

describe('trace page URL', () => {
  it('reads the params, defaults when absent', () => {
    expect(readTraceParams(new URLSearchParams(''))).toEqual({ span: '', find: '', critical: false });
    expect(readTraceParams(new URLSearchParams('span=A921FB1FBC1D3699')).span).toBe('a921fb1fbc1d3699');
    expect(readTraceParams(new URLSearchParams('span=s1&find=select+cart&critical=1'))).toEqual({
      span: 's1',
      find: 'select cart',
      critical: true,
    });
    expect(readTraceParams(new URLSearchParams('critical')).critical).toBe(true);
    expect(readTraceParams(new URLSearchParams('critical=0')).critical).toBe(false);
    expect(readTraceParams(new URLSearchParams('critical=false')).critical).toBe(false);
  });

  it('sets and drops params, leaving defaults out', () => {
    const a = withTraceParams(BASE, { span: 's1', find: 'rpc.method=Charge', critical: true });
    expect(readTraceParams(new URL(a).searchParams)).toEqual({ span: 's1', find: 'rpc.method=Charge', critical: true });
    const b = withTraceParams(a, { span: '', find: '  ', critical: false });
    expect(b).toBe(BASE);
  });

  it('keeps the other params and the unchanged ones', () => {
    const href = `${BASE}?span=s1&from=search`;
    const next = withTraceParams(href, { find: 'db' });
    const params = new URL(next).searchParams;
    expect(params.get('span')).toBe('s1');
    expect(params.get('from')).toBe('search');
    expect(params.get('find')).toBe('db');
    expect(withTraceParams(next, { span: 's2' })).toContain('find=db');
  });

  it('returns the same href when nothing changes, whatever its spelling', () => {
    const href = `${BASE}?find=a%20b&critical=1&span=s1`;
    expect(withTraceParams(href, { find: 'a b', critical: true, span: 's1' })).toBe(href);
    expect(withTraceParams(BASE, { span: '', find: '', critical: false })).toBe(BASE);
    expect(withTraceParams(href, {})).toBe(href);
  });

  it('keeps the find text as typed, spaces and all', () => {
    const href = withTraceParams(BASE, { find: ' select ' });
    expect(readTraceParams(new URL(href).searchParams).find).toBe(' select ');
  });
});
