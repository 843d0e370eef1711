/** The timing part of bench/query.ts: parameter pools from the seeded data, every endpoint timed, EXPLAINs. */
import { sql, SPAN_ROWS, typed, type Database, type Sql } from '@faultline/storage';
import type { Faultline } from '../../tests/harness.ts';
import { buildCases, type Env } from './cases.ts';
import { runCase, type CaseResult } from './measure.ts';
import type { Options } from './options.ts';
import { log, progress } from './progress.ts';
import { printResults } from './report.ts';
import { PROJECT } from './seeding.ts';

/** Parameter pools drawn from the data: existing trace ids, users active in each window, real operations. */
async function samples(
  db: Database,
  nowMs: number,
  traces: number,
  rounds: number,
): Promise<Omit<Env, 'db' | 'get' | 'projectId' | 'nowMs'> & { roots: Array<{ ms: number; user: string }> }> {
  const project = typed(PROJECT, 'UInt32');
  const traceIds = (
    await db.query<{ id: string }>(sql`
      SELECT TraceId AS id FROM ${db.table('trace_index')} WHERE ProjectId = ${project} AND ${SPAN_ROWS}
      ORDER BY sipHash64(TraceId) LIMIT ${typed(Math.max(rounds, 50), 'UInt32')}`)
  ).map((r) => r.id);
  const mod = Math.max(1, Math.floor(traces / 3000));
  const roots = await db.query<{ ms: number; user: string }>(sql`
    SELECT toUInt64(toUnixTimestamp64Milli(Timestamp)) AS ms, SpanAttributes['user.id'] AS user FROM ${db.table('spans')}
    WHERE ProjectId = ${project} AND ParentSpanId = '' AND sipHash64(TraceId) % ${typed(mod, 'UInt64')} = 0
    ORDER BY ms`);
  const operations = await db.query<{ service: string; operation: string }>(sql`
    SELECT toString(ServiceName) AS service, toString(SpanName) AS operation FROM ${db.rollup('span_metrics_1m')}
    WHERE ProjectId = ${project} AND SpanKind = 'SERVER' GROUP BY ServiceName, SpanName ORDER BY sipHash64(service, operation)`);
  const services = [...new Set(operations.map((o) => o.service))].sort();
  void nowMs;
  return { traceIds, userIds: roots.map((r) => r.user), operations, services, roots };
}

async function explainCase(db: Database, statement: Sql): Promise<{ estimate: unknown[]; indexes: string[] }> {
  const estimate = await db.query<Record<string, unknown>>(sql`EXPLAIN ESTIMATE ${statement}`);
  const plan = await db.query<{ explain: string }>(sql`EXPLAIN indexes = 1 ${statement}`);
  return { estimate, indexes: plan.map((p) => p.explain) };
}

/**
 * Times the cases (all, or --only) through the API, the storage readers and the hand-written SQL, prints the
 * table, then EXPLAINs each hand-written SQL. Results and explains go into the caller's containers as they come.
 */
export async function timeEndpoints(
  db: Database,
  fl: Faultline,
  o: Options,
  nowMs: number,
  results: CaseResult[],
  explains: Record<string, unknown>,
): Promise<void> {
  const pools = await samples(db, nowMs, o.spans / 10, o.rounds);
  const env: Env = { db, get: (path) => fl.get(path), projectId: PROJECT, nowMs, ...pools };
  const cases = buildCases(env, o.rounds, pools.roots).filter((c) => o.only === null || o.only.includes(c.id));
  log('');
  progress(`timing ${cases.length} endpoints (p50/p95 ms: api, reader, sql) …`);
  for (const c of cases) results.push(await runCase(c, o.rounds, o.warmup, o.maxSeconds, log));
  printResults(results);

  // How the hand-written SQL of each endpoint reads the tables (parts / rows / marks, index use).
  for (const c of cases) {
    const first = c.params[0];
    if (c.sqlOf && first !== undefined) explains[c.id] = await explainCase(db, c.sqlOf(first));
  }
  const missed = results.filter((r) => r.pass === false);
  for (const r of missed) {
    const e = explains[r.id] as { estimate: unknown[] } | undefined;
    if (e) log(`  EXPLAIN ESTIMATE (hand-written SQL), ${r.title}: ${JSON.stringify(e.estimate)}`);
  }
}
