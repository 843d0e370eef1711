/**
 * The endpoints bench/query.ts times, each three ways: the HTTP API (validation, auth, JSON, everything a client
 * sees), the storage readers the routes call (same SQL, no HTTP), and the equivalent hand-written SQL a
 * ClickHouse user would type (one statement where possible), all through the same `db` handle.
 */
import {
  issueSeries,
  listIssues,
  operationRed,
  readTrace,
  searchTraces,
  serviceMapEdges,
  serviceNames,
  serviceRates,
  serviceRed,
  type Database,
  type Sql,
} from '@faultline/storage';
import {
  HOUR,
  attributeSql,
  issuesSql,
  operationSql,
  operationsRedSql,
  redFromSpansSql,
  redSql,
  serviceMapSql,
  traceByIdSql,
  type Env,
  type Window,
} from './hand-sql.ts';
import type { Case } from './measure.ts';

export type { Env, Window } from './hand-sql.ts';

async function api(env: Env, path: string): Promise<Record<string, unknown>> {
  const res = await env.get(path);
  if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body as Record<string, unknown>;
}

const length = (v: unknown) => (Array.isArray(v) ? v.length : 0);

/** Windows of `spanMs` ending at different minutes of the seeded day, so calls do not repeat one query. */
function windows(env: Env, spanMs: number, count: number): Window[] {
  const out: Window[] = [];
  const room = Math.max(0, 24 * HOUR - spanMs);
  for (let i = 0; i < count; i++) {
    const back = room === 0 ? (i % 10) * 60_000 : Math.floor(((((i * 7919) % 1000) / 1000) * room) / 60_000) * 60_000;
    out.push({ startMs: env.nowMs - back - spanMs, endMs: env.nowMs - back });
  }
  return out;
}

const rows = async (db: Database, statement: Sql) => (await db.query<Record<string, unknown>>(statement)).length;

/** For each window, a user with a trace starting in it (from a sample of root spans sorted by time). */
function activeUsers(ws: Window[], roots: Array<{ ms: number; user: string }>): string[] {
  return ws.map((w, i) => {
    const inside = roots.filter((r) => r.ms >= w.startMs && r.ms <= w.endMs);
    const from = inside.length > 0 ? inside : roots;
    return from[(i * 7) % from.length]?.user ?? 'user-1';
  });
}

export function buildCases(env: Env, rounds: number, roots: Array<{ ms: number; user: string }>): Case<unknown>[] {
  const { db, projectId } = env;
  const p = `/api/v1/projects/${projectId}`;
  const retentionMs = db.options.retentionDays * 24 * HOUR;
  const pickN = <T>(list: T[], n: number) => Array.from({ length: n }, (_, i) => list[i % list.length] as T);
  const range = (w: Window) => ({ startNs: BigInt(w.startMs) * 1_000_000n, endNs: BigInt(w.endMs) * 1_000_000n });
  const qs = (w: Window) => `start=${w.startMs}&end=${w.endMs}`;

  const traceById: Case<string> = {
    id: 'trace_by_id',
    title: 'trace by id',
    targetMs: 10,
    reference: 'Jaeger-ClickHouse 101 ms',
    primary: true,
    note: 'SQL: the spans only. API and reader look the trace up in trace_index, then read its spans, and its error events and log records where it has any (~10 % of these traces have an error event)',
    params: pickN(env.traceIds, rounds),
    sqlOf: (id) => traceByIdSql(env, id),
    variants: {
      api: async (id) => length((await api(env, `${p}/traces/${id}`)).spans),
      reader: async (id) => (await readTrace(db, projectId, id, { maxSpans: 100_000, maxLogs: 1_000 }))?.spans.length ?? 0,
      sql: (id) => rows(db, traceByIdSql(env, id)),
    },
  };

  const attrCase = (
    id: string,
    title: string,
    spanMs: number,
    primary: boolean,
    key: string,
    valuesFor: (ws: Window[]) => string[],
  ): Case<{ w: Window; value: string }> => {
    const ws = windows(env, spanMs, rounds);
    const values = valuesFor(ws);
    return {
      id,
      title,
      targetMs: 100,
      reference: primary ? 'Jaeger-ClickHouse 1,769 ms' : undefined,
      primary,
      params: ws.map((w, i) => ({ w, value: values[i % values.length] as string })),
      sqlOf: ({ w, value }) => attributeSql(env, w, key, value),
      variants: {
        api: async ({ w, value }) =>
          length((await api(env, `${p}/traces?${qs(w)}&attr.${encodeURIComponent(key)}=${encodeURIComponent(value)}&limit=20`)).traces),
        reader: async ({ w, value }) =>
          (await searchTraces(db, { projectId, ...range(w), attributes: [{ key, value }], limit: 20 })).traces.length,
        sql: ({ w, value }) => rows(db, attributeSql(env, w, key, value)),
      },
    };
  };

  const opCase = (id: string, title: string, spanMs: number, primary: boolean): Case<{ w: Window; service: string; operation: string }> => {
    const ws = windows(env, spanMs, rounds);
    return {
      id,
      title,
      targetMs: 50,
      primary,
      params: ws.map((w, i) => ({ w, ...(env.operations[i % env.operations.length] as { service: string; operation: string }) })),
      sqlOf: ({ w, service, operation }) => operationSql(env, w, service, operation),
      variants: {
        api: async ({ w, service, operation }) =>
          length(
            (
              await api(
                env,
                `${p}/traces?${qs(w)}&service=${encodeURIComponent(service)}&operation=${encodeURIComponent(operation)}&limit=20`,
              )
            ).traces,
          ),
        reader: async ({ w, service, operation }) =>
          (await searchTraces(db, { projectId, ...range(w), service, operation, attributes: [], limit: 20 })).traces.length,
        sql: ({ w, service, operation }) => rows(db, operationSql(env, w, service, operation)),
      },
    };
  };

  const day = windows(env, 24 * HOUR, rounds);
  const hour = windows(env, HOUR, rounds);
  const red: Case<Window> = {
    id: 'red_24h',
    title: 'RED per service, 24 h',
    targetMs: 50,
    primary: true,
    note: 'reader: two range queries (the range, and the retention for services with no calls in it); API: the retention names are cached 30 s',
    params: day,
    sqlOf: (w) => redSql(env, w),
    variants: {
      api: async (w) => length((await api(env, `${p}/services?${qs(w)}`)).services),
      reader: async (w) => {
        const q = { projectId, startMs: w.startMs, endMs: w.endMs, apdexMs: 500 };
        const [inRange] = await Promise.all([serviceRed(db, q), serviceNames(db, projectId, Date.now() - retentionMs, Date.now())]);
        return inRange.length;
      },
      sql: (w) => rows(db, redSql(env, w)),
    },
  };

  const issues: Case<number> = {
    id: 'issues_list',
    title: 'issues list (unresolved, last seen, 50)',
    targetMs: 50,
    primary: true,
    params: [0],
    sqlOf: () => issuesSql(env),
    variants: {
      api: async () => length((await api(env, `${p}/issues`)).issues),
      reader: async () => (await listIssues(db, { projectId, status: 'unresolved', sort: 'lastSeen', limit: 50 })).length,
      sql: () => rows(db, issuesSql(env)),
    },
  };

  const map: Case<Window> = {
    id: 'service_map_1h',
    title: 'service map, 1 h',
    targetMs: 100,
    primary: true,
    note: 'API and reader: edges plus per-service RED for the nodes; SQL: the edges',
    params: hour,
    sqlOf: (w) => serviceMapSql(env, w),
    variants: {
      api: async (w) => length((await api(env, `${p}/service-map?${qs(w)}`)).edges),
      reader: async (w) => {
        const q = { projectId, startMs: w.startMs, endMs: w.endMs, apdexMs: 500 };
        const [edges] = await Promise.all([serviceMapEdges(db, q), serviceRates(db, q)]);
        return edges.length;
      },
      sql: (w) => rows(db, serviceMapSql(env, w)),
    },
  };

  // Extra context: other windows and values, and what the aggregates save.
  const users = (ws: Window[]) => activeUsers(ws, roots);
  const operations: Case<{ w: Window; service: string }> = {
    id: 'operations_red_24h',
    title: 'operations of a service, RED 24 h',
    targetMs: 50,
    primary: false,
    params: day.map((w, i) => ({ w, service: env.services[i % env.services.length] as string })),
    sqlOf: ({ w, service }) => operationsRedSql(env, w, service),
    variants: {
      api: async ({ w, service }) =>
        length((await api(env, `${p}/services/${encodeURIComponent(service)}/operations?${qs(w)}`)).operations),
      reader: async ({ w, service }) =>
        (await operationRed(db, { projectId, startMs: w.startMs, endMs: w.endMs, apdexMs: 500 }, service)).length,
      sql: ({ w, service }) => rows(db, operationsRedSql(env, w, service)),
    },
  };
  const redRaw: Case<Window> = {
    id: 'red_24h_raw_spans',
    title: 'RED per service, 24 h, from raw spans (no MV)',
    targetMs: null,
    primary: false,
    note: 'what span_metrics_1m saves: the same figures computed from the spans table',
    params: day,
    sqlOf: (w) => redFromSpansSql(env, w),
    variants: { sql: (w) => rows(db, redFromSpansSql(env, w)) },
  };
  const issuesWithStats: Case<number> = {
    id: 'issues_list_sparklines',
    title: 'issues list + 24 h sparklines',
    targetMs: 50,
    primary: false,
    params: [0],
    variants: {
      api: async () => length((await api(env, `${p}/issues?statsPeriod=24h`)).issues),
      reader: async () => {
        const list = await listIssues(db, { projectId, status: 'unresolved', sort: 'lastSeen', limit: 50 });
        await issueSeries(
          db,
          projectId,
          list.map((i) => i.id),
          Date.now() - 24 * HOUR,
          Date.now(),
          3600,
        );
        return list.length;
      },
    },
  };

  const issuesInDay: Case<Window> = {
    id: 'issues_list_24h',
    title: 'issues list, events in the last 24 h',
    targetMs: 50,
    primary: false,
    note: 'counts of the range: whole hours from issue_hourly, the partial ones from error_events',
    params: day,
    variants: {
      api: async (w) => length((await api(env, `${p}/issues?sort=events&${qs(w)}`)).issues),
      reader: async (w) =>
        (
          await listIssues(db, {
            projectId,
            status: 'unresolved',
            sort: 'events',
            limit: 50,
            period: { startMs: w.startMs, endMs: w.endMs },
          })
        ).length,
    },
  };

  const broad = (id: string, title: string, sort: 'start' | 'duration', note: string, service?: string): Case<Window> => ({
    id,
    title,
    targetMs: null,
    primary: false,
    note,
    params: day,
    variants: {
      api: async (w) => length((await api(env, `${p}/traces?${qs(w)}&sort=${sort}&limit=20${service ? `&service=${encodeURIComponent(service)}` : ''}`)).traces),
      reader: async (w) => (await searchTraces(db, { projectId, ...range(w), attributes: [], sort, service, limit: 20 })).traces.length,
    },
  });
  const releasesList: Case<number> = {
    id: 'releases_list',
    title: 'releases list (impact against the previous)',
    targetMs: null,
    primary: false,
    note: 'every figure of the shown releases and of those they are compared with, each kind read once for all',
    params: [0],
    variants: { api: async () => length((await api(env, `${p}/releases`)).releases) },
  };

  return [
    traceById,
    attrCase('attr_search_1h', 'attribute search user.id=…, 1 h', HOUR, true, 'user.id', users),
    opCase('op_search_1h', 'service + operation search, 1 h', HOUR, true),
    red,
    issues,
    map,
    attrCase('attr_search_24h', 'attribute search user.id=…, 24 h', 24 * HOUR, false, 'user.id', users),
    attrCase('attr_search_common_1h', 'attribute search status_code=50x, 1 h', HOUR, false, 'http.response.status_code', () => [
      '503',
      '502',
      '504',
      '500',
    ]),
    attrCase('attr_search_any_1h', 'attribute search method=POST (25 %), 1 h', HOUR, false, 'http.request.method', () => ['POST', 'PUT']),
    opCase('op_search_24h', 'service + operation search, 24 h', 24 * HOUR, false),
    operations,
    redRaw,
    issuesWithStats,
    issuesInDay,
    broad('traces_24h', 'trace search, 24 h, no filter', 'start', 'newest rows first, read 8 times more until they hold a page of traces'),
    broad('traces_24h_duration', 'trace search, 24 h, no filter, longest first', 'duration', 'trace_index alone: the longest traces overlapping the range, then checked'),
    broad('traces_24h_service_duration', 'trace search, 24 h, one service, longest first', 'duration', 'the longest traces of trace_index, checked for a span of the service', env.services[0]),
    releasesList,
  ] as Case<unknown>[];
}
