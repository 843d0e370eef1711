// Mock services / service map / releases / settings endpoints for the throwaway mock server.
// Deterministic numbers shaped like the real API (durations in ns, rates per second, ratios 0–1).
import { operationsOf, SERVICES } from './mock-data.ts';

type Reply = { status: number; body?: unknown };

const APPS = SERVICES.filter((s) => s !== 'postgres');
const hash = (s: string): number => [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);

function red(name: string, scale = 1) {
  const h = hash(name);
  const calls = Math.round((200 + (h % 5000)) * scale);
  const errors = Math.round(calls * ((h % 7) / 100));
  const p50 = 2e6 + (h % 90) * 1e6;
  return {
    calls,
    errors,
    requestRate: calls / 3600,
    errorRate: calls ? errors / calls : 0,
    p50DurationNano: p50,
    p95DurationNano: p50 * 2.4,
    p99DurationNano: p50 * 4.1,
    apdex: Math.max(0.4, 1 - (h % 40) / 100),
  };
}

function series(name: string, startMs: number, endMs: number, operation: string | null) {
  const step = Math.max(60, Math.ceil((endMs - startMs) / 1000 / 60 / 60) * 60);
  const first = Math.floor(startMs / 1000 / step) * step;
  const out = [];
  for (let t = first; t * 1000 < endMs; t += step) {
    const wave = 1 + 0.6 * Math.sin(t / 1800 + hash(name + (operation ?? '')));
    const calls = t % 7 === 0 ? 0 : Math.round(20 * wave * (step / 60));
    const errors = Math.round(calls * (0.02 + 0.03 * Math.max(0, Math.sin(t / 900))));
    const p50 = (30 + 15 * wave) * 1e6;
    out.push({
      time: new Date(t * 1000).toISOString(),
      calls,
      errors,
      requestRate: calls / step,
      errorRate: calls ? errors / calls : 0,
      p50DurationNano: calls ? p50 : 0,
      p95DurationNano: calls ? p50 * 2.2 : 0,
      p99DurationNano: calls ? p50 * 3.5 : 0,
      apdex: calls ? 0.93 : null,
    });
  }
  return { service: name, step, series: out };
}

const EDGES = [
  ['frontend', 'checkout'],
  ['frontend', 'inventory'],
  ['checkout', 'payments'],
  ['checkout', 'inventory'],
  ['inventory', 'checkout'],
  ['payments', 'api.stripe.com'],
  ['inventory', 'postgres'],
  ['checkout', 'postgres'],
  ['checkout', 'kafka:orders'],
] as const;

const VERSIONS = ['2.1.0', '2.0.1', '2.0.0', '1.10.0', '1.9.3'];
function release(version: string, i: number) {
  const h = hash(version);
  const events = 40 + (h % 400);
  return {
    version,
    firstSeen: new Date(Date.now() - (i + 1) * 3 * 86_400_000).toISOString(),
    lastSeen: new Date(Date.now() - i * 3 * 86_400_000).toISOString(),
    errorEvents: events,
    affectedUsers: Math.round(events / 3),
    newIssues: h % 6,
    regressedIssues: h % 3,
    spanCalls: 20_000 + (h % 9000),
    spanErrors: 300 + (h % 500),
    errorRate: (300 + (h % 500)) / (20_000 + (h % 9000)),
    sessions: 5000,
    crashedSessions: h % 120,
    unhandledSessions: h % 40,
    crashFreeSessions: 1 - (h % 120) / 5000,
    sessionUsers: 900,
    crashedUsers: h % 30,
    crashFreeUsers: 1 - (h % 30) / 900,
    adoption: i === 0 ? 0.72 : i === 1 ? 0.25 : 0.01,
    topOperations: APPS.slice(0, 3).map((s, j) => ({
      service: s,
      name: operationsOf(s)[0] ?? 'op',
      calls: 5000 - j * 900,
      p95DurationNano: (80 + (h % 60) + j * 20) * 1e6,
    })),
  };
}
const releases = VERSIONS.map(release);
const COMPARED = [
  'errorEvents',
  'affectedUsers',
  'newIssues',
  'regressedIssues',
  'errorRate',
  'crashFreeSessions',
  'crashFreeUsers',
] as const;
const deltas = (a: (typeof releases)[number], b: (typeof releases)[number] | undefined) =>
  Object.fromEntries(COMPARED.map((k) => [k, b ? a[k] - b[k] : null]));

let settings: Record<string, unknown> = { scrubExtraKeys: ['x-session-id'] };
let name = 'Default';
const keys = [
  { id: 'k1', key: 'mockingestkey000000000000000001', createdAt: new Date(Date.now() - 86_400_000).toISOString(), revoked: false },
];

/** Answers a performance/releases/settings path under /projects/{p}, or null when it is not one of these. */
export function perfApi(method: string, rest: string, q: URLSearchParams, body: unknown): Reply | null {
  const end = Number(q.get('end')) || Date.now();
  const start = Number(q.get('start')) || end - 3_600_000;
  const scale = (end - start) / 3_600_000;
  if (rest === '/services') return { status: 200, body: { services: APPS.map((n) => ({ name: n, ...red(n, scale) })) } };
  const svc = /^\/services\/([^/]+)\/(operations|metrics)$/.exec(rest);
  if (svc) {
    const s = decodeURIComponent(svc[1]!);
    if (svc[2] === 'metrics') return { status: 200, body: series(s, start, end, q.get('operation')) };
    return {
      status: 200,
      body: { operations: operationsOf(s).map((n, i) => ({ name: n, kind: i === 0 ? 'SERVER' : 'CLIENT', ...red(s + n, scale) })) },
    };
  }
  if (rest === '/service-map') {
    const nodes = [...APPS.map((n) => ({ id: n, kind: 'service', requestRate: red(n).requestRate, errorRate: red(n).errorRate }))];
    for (const peer of ['postgres', 'api.stripe.com', 'kafka:orders']) nodes.push({ id: peer, kind: 'peer' } as (typeof nodes)[number]);
    const edges = EDGES.map(([source, target]) => {
      const r = red(source + target, scale);
      return {
        source,
        target,
        targetKind: APPS.includes(target) ? 'service' : 'peer',
        callCount: r.calls,
        errorCount: r.errors,
        p50DurationNano: r.p50DurationNano,
        p95DurationNano: r.p95DurationNano,
      };
    });
    return { status: 200, body: { nodes, edges } };
  }
  if (rest === '/releases') {
    return {
      status: 200,
      body: {
        releases: releases.map((r, i) => ({ ...r, previousVersion: releases[i + 1]?.version ?? null, deltas: deltas(r, releases[i + 1]) })),
      },
    };
  }
  const rel = /^\/releases\/([^/]+)$/.exec(rest);
  if (rel) {
    const i = releases.findIndex((r) => r.version === decodeURIComponent(rel[1]!));
    const r = releases[i];
    if (!r) return { status: 404, body: { error: { code: 'not_found', message: `release ${rel[1]} not found` } } };
    return { status: 200, body: { ...r, previous: releases[i + 1] ?? null, deltas: deltas(r, releases[i + 1]) } };
  }
  if (rest === '') {
    if (method === 'PATCH') {
      const b = body as { name?: string; settings?: Record<string, unknown> };
      name = b.name ?? name;
      settings = b.settings ?? settings;
    }
    return { status: 200, body: { id: 1, slug: 'default', name, settings } };
  }
  if (rest === '/keys') {
    if (method === 'POST') {
      const k = {
        id: `k${keys.length + 1}`,
        key: `mockingestkey${String(Date.now()).padStart(19, '0')}`,
        createdAt: new Date().toISOString(),
        revoked: false,
      };
      keys.push(k);
      return { status: 201, body: { id: k.id, key: k.key } };
    }
    return { status: 200, body: { keys } };
  }
  const key = /^\/keys\/([^/]+)$/.exec(rest);
  if (key && method === 'DELETE') {
    const k = keys.find((x) => x.id === key[1]);
    if (!k) return { status: 404, body: { error: { code: 'not_found', message: 'no such key' } } };
    k.revoked = true;
    return { status: 204 };
  }
  const tags = /^\/issues\/([^/]+)\/tags$/.exec(rest);
  if (tags) {
    // spread the fixed issues over the services so "top errors" of a service page has something to show
    const services = [APPS[hash(tags[1]!) % APPS.length]!, 'frontend'];
    return {
      status: 200,
      body: { tags: [{ key: 'service', total: 9, values: services.map((value, i) => ({ value, count: 6 - i * 3 })) }] },
    };
  }
  if (rest === '/tokens' && method === 'POST') {
    const role = (body as { role?: string }).role === 'admin' ? 'admin' : 'read';
    return { status: 201, body: { id: `t${Date.now()}`, token: `flt_mock_${role}_${Date.now().toString(36)}`, role } };
  }
  return null;
}
