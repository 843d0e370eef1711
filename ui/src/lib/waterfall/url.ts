// The trace page's state in its URL: `?span=` (the selected span), `?find=` (the "Find in trace"
// text) and `?critical=1` (the critical path shown), so reload, Back and shared links keep them.

export interface TraceParams {
  span: string;
  find: string;
  critical: boolean;
}

export function readTraceParams(params: Pick<URLSearchParams, 'get'>): TraceParams {
  const critical = params.get('critical');
  return {
    // ids are stored in lower-case hex; a hand-written or third-party link may spell them in capitals
    span: (params.get('span') ?? '').toLowerCase(),
    find: params.get('find') ?? '',
    critical: critical !== null && critical !== '0' && critical !== 'false',
  };
}

/**
 * `href` with the given params changed and every other part kept. Defaults are left out: no span,
 * blank find text (whitespace finds nothing) and the critical path off drop their parameter.
 */
export function withTraceParams(href: string, patch: Partial<TraceParams>): string {
  const url = new URL(href);
  const p = url.searchParams;
  const set = (key: string, value: string | null) => {
    if (value === null) p.delete(key);
    else if (p.get(key) !== value) p.set(key, value);
  };
  if (patch.span !== undefined) set('span', patch.span || null);
  if (patch.find !== undefined) set('find', patch.find.trim() ? patch.find : null);
  if (patch.critical !== undefined) set('critical', patch.critical ? '1' : null);
  // untouched params keep their spelling: the href only changes when a value does
  return p.toString() === new URL(href).searchParams.toString() ? href : url.href;
}
