import { describe, expect, test } from 'vitest';
import type { ApiSpan } from '../api/types.ts';
import { diffTraces, pathNodes, traceTotals } from './diff.ts';

const BASE = 1_714_557_600_000_000_000n;
const MS = 1_000_000n;

function span(spanId: string, parent: string, service: string, name: string, startMs: number, durMs: number, error = false): ApiSpan {
  return {
    traceId: 't',
    spanId,
    parentSpanId: parent,
    name,
    kind: 'INTERNAL',
    serviceName: service,
    startTimeUnixNano: String(BASE + BigInt(startMs) * MS),
    durationNano: String(BigInt(durMs) * MS),
    statusCode: error ? 'ERROR' : 'UNSET',
    statusMessage: '',
    attributes: {},
    resource: {},
    scope: { name: '', version: '' },
    events: [],
    links: [],
  };
}

// A: web GET /checkout → api POST /cart → 3× db SELECT; web → cache GET
const A = [
  span('r', '', 'web', 'GET /checkout', 0, 100),
  span('c', 'r', 'api', 'POST /cart', 5, 80),
  span('q1', 'c', 'db', 'SELECT', 10, 10),
  span('q2', 'c', 'db', 'SELECT', 22, 20),
  span('q3', 'c', 'db', 'SELECT', 44, 30),
  span('k', 'r', 'cache', 'GET', 90, 5),
];
// B: same root and call, one SELECT (failing), no cache; a new payment call
const B = [
  span('R', '', 'web', 'GET /checkout', 0, 250, true),
  span('C', 'R', 'api', 'POST /cart', 5, 60),
  span('Q', 'C', 'db', 'SELECT', 10, 50, true),
  span('P', 'R', 'pay', 'POST /charge', 70, 170),
];

describe('trace diff', () => {
  test('spans fold by path with counts, sums and maxima', () => {
    const nodes = [...pathNodes(A).values()];
    expect(nodes.map((n) => [n.depth, n.service, n.name, n.stats.count])).toEqual([
      [0, 'web', 'GET /checkout', 1],
      [1, 'api', 'POST /cart', 1],
      [2, 'db', 'SELECT', 3],
      [1, 'cache', 'GET', 1],
    ]);
    const select = nodes[2]!.stats;
    expect(select.totalNs).toBe(60 * 1e6);
    expect(select.maxNs).toBe(30 * 1e6);
  });

  test('rows are the merged tree in pre-order, with presence and deltas', () => {
    const d = diffTraces(A, B);
    expect(d.rows.map((r) => [r.depth, r.service, r.name, r.presence])).toEqual([
      [0, 'web', 'GET /checkout', 'both'],
      [1, 'api', 'POST /cart', 'both'],
      [2, 'db', 'SELECT', 'both'],
      [1, 'pay', 'POST /charge', 'only-b'],
      [1, 'cache', 'GET', 'only-a'],
    ]);
    const select = d.rows[2]!;
    expect(select.a?.count).toBe(3);
    expect(select.b?.count).toBe(1);
    expect(select.b?.errors).toBe(1);
    expect(select.deltaNs).toBe(-10 * 1e6);
    expect(d.rows[3]!.a).toBeNull();
    expect(d.rows[3]!.deltaNs).toBeNull();
    expect(d.onlyA).toBe(1);
    expect(d.onlyB).toBe(1);
  });

  test('totals and their deltas', () => {
    const d = diffTraces(A, B);
    expect(d.a).toEqual({ spans: 6, durationNs: 100 * 1e6, errors: 0, services: ['api', 'cache', 'db', 'web'] });
    expect(d.b.spans).toBe(4);
    expect(d.b.durationNs).toBe(250 * 1e6);
    expect(d.delta).toEqual({ spans: -2, durationNs: 150 * 1e6, errors: 2 });
  });

  test('the same name under another parent is another node', () => {
    const x = [span('r', '', 'web', 'GET /', 0, 10), span('a', 'r', 'db', 'SELECT', 1, 1)];
    const y = [span('r', '', 'web', 'GET /', 0, 10), span('m', 'r', 'api', 'mid', 1, 5), span('a', 'm', 'db', 'SELECT', 2, 1)];
    const d = diffTraces(x, y);
    expect(d.rows.map((r) => `${r.depth}:${r.name}:${r.presence}`)).toEqual([
      '0:GET /:both',
      '1:SELECT:only-a',
      '1:mid:only-b',
      '2:SELECT:only-b',
    ]);
  });

  test('orphans become roots; cycles and duplicate ids do not hang or drop spans', () => {
    const weird = [
      span('o', 'missing', 'web', 'orphan', 5, 1),
      span('x', 'y', 'api', 'x', 0, 1),
      span('y', 'x', 'api', 'y', 1, 1),
      span('d', '', 'web', 'root', 2, 3),
      span('d', '', 'web', 'root', 3, 3),
      span('s', 's', 'web', 'self', 4, 1),
    ];
    const nodes = [...pathNodes(weird).values()];
    const counted = nodes.reduce((n, x) => n + x.stats.count, 0);
    expect(counted).toBe(weird.length);
    expect(nodes.find((n) => n.name === 'orphan')?.depth).toBe(0);
    expect(nodes.find((n) => n.name === 'self')?.depth).toBe(0);
    expect(nodes.find((n) => n.name === 'root')?.stats.count).toBe(2);
    const d = diffTraces(weird, []);
    expect(d.rows.every((r) => r.presence === 'only-a')).toBe(true);
    expect(d.rows.length).toBe(nodes.length);
  });

  test('a deep chain does not overflow', () => {
    const deep = Array.from({ length: 10_000 }, (_, i) => span(`s${i}`, i === 0 ? '' : `s${i - 1}`, 'svc', 'op', i, 1));
    const d = diffTraces(deep, deep);
    expect(d.rows.length).toBe(10_000);
    expect(d.rows.at(-1)?.depth).toBe(9_999);
    expect(d.onlyA + d.onlyB).toBe(0);
  });

  test('empty traces', () => {
    expect(traceTotals([])).toEqual({ spans: 0, durationNs: 0, errors: 0, services: [] });
    expect(diffTraces([], []).rows).toEqual([]);
  });
});
