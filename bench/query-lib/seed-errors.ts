/** Synthetic error events for bench/query.ts, pointing at the traces seed-spans.ts generates. */
import { sql, typed, type Database, type Sql } from '@faultline/storage';
import { DAY_NS, ERROR_MESSAGES, ERROR_TYPES, LANGUAGES, pick, pickNested, SERVER_OPS, SERVICES } from './seed-vocabulary.ts';

/**
 * `events` error events over ~`issues` issues with a Zipf-like spread (issue k gets ∝ 1/k of the events), times
 * over the last 7 days biased to recent, each pointing at one of the `traces` seeded traces. Issue ids and
 * fingerprints are what the collector would store (16 / 32 lower-case hex characters).
 */
export function insertErrorEventsStatement(
  db: Database,
  projectId: number,
  events: number,
  issues: number,
  traces: number,
  nowNs: bigint,
): Sql {
  return sql`
    INSERT INTO ${db.table('error_events')} (ProjectId, Timestamp, EventId, IssueId, Fingerprint, GroupingStrategy, Level, Platform,
      SdkName, SdkVersion, Source, Title, Culprit, ExceptionType, ExceptionValue, Message, Exceptions, Contexts, Breadcrumbs, Release,
      Environment, ServerName, ServiceName, Transaction, UserId, UserEmail, UserName, UserIp, UserKey, Tags, TraceId, SpanId)
    SELECT ${typed(projectId, 'UInt32')},
      fromUnixTimestamp64Nano(toInt64(${typed(nowNs.toString(), 'Int64')}) - toInt64(pow((sipHash64(e, 'ts') % 1000000) / 1e6, 2) * 7 * ${typed(DAY_NS, 'Float64')}), 'UTC'),
      lower(hex(sipHash128(e, 'event'))),
      lower(hex(reinterpretAsFixedString(sipHash64(k, 'issue')))),
      lower(hex(sipHash128(k, 'fingerprint'))),
      if(k % 5 = 0, 'fingerprint', 'stacktrace'),
      multiIf(k % 17 = 0, 'fatal', k % 7 = 0, 'warning', 'error'),
      ${pick(sql`svc`, ['node', 'go', 'java', 'csharp', 'node', 'go', 'java', 'python', 'go', 'python', 'ruby', 'rust'])},
      if(k % 3 = 0, 'sentry.javascript.node', 'opentelemetry'), if(k % 3 = 0, '8.40.0', '1.30.1'), if(k % 3 = 0, 'sentry', 'otlp'),
      concat(etype, ': ', evalue),
      concat('handle', toString(k), ' (src/', svcName, '/handlers/', toString(k % 13), '.ts)'),
      etype, evalue, '',
      concat('[{"type":"', etype, '","value":"', evalue, '","module":"","mechanism":{"type":"generic","handled":false},"frames":[',
        arrayStringConcat(arrayMap(f -> concat('{"filename":"src/', svcName, '/handlers/', toString((k + f) % 13), '.ts","function":"handle', toString(k + f),
          '","lineno":', toString(10 + (k * 7 + f * 13) % 300), ',"colno":', toString(5 + f), ',"inApp":', if(f > 2, 'true', 'false'), '}'), range(8)), ','), ']}]'),
      concat('{"os":{"name":"Linux","version":"6.8"},"runtime":{"name":"', ${pick(sql`svc`, LANGUAGES)}, '"},"trace":{"trace_id":"', traceId, '"}}'),
      concat('[{"category":"http","message":"GET /', svcName, '/', toString(e % 977), '","level":"info"},{"category":"query","message":"SELECT … FROM orders","level":"info"}]'),
      if(sipHash64(e, 'rel') % 3 = 0, '2.4.0', '2.3.1'),
      if(sipHash64(e, 'env') % 20 = 0, 'staging', 'production'),
      concat(svcName, '-', toString(e % 3)),
      svcName,
      ${pickNested(sql`svc`, sql`k`, SERVER_OPS)},
      concat('user-', toString(u)), concat('user', toString(u), '@example.com'), concat('User ', toString(u)),
      concat('10.', toString(u % 4), '.', toString(intDiv(u, 4) % 256), '.', toString(intDiv(u, 1024) % 256)),
      concat('user-', toString(u)),
      map('browser', ${pick(sql`sipHash64(e, 'b') % 4`, ['Chrome', 'Firefox', 'Safari', 'Edge'])},
          'os', ${pick(sql`sipHash64(e, 'o') % 5`, ['Linux', 'Windows', 'macOS', 'iOS', 'Android'])},
          'region', ${pick(sql`sipHash64(e, 'r') % 3`, ['eu-west-1', 'us-east-1', 'ap-south-1'])}),
      traceId,
      lower(hex(reinterpretAsFixedString(sipHash64(e, 'espan'))))
    FROM (
      SELECT number AS e,
        -- log-uniform issue number: P(k) ∝ 1/(k+1)
        toUInt32(least(${typed(issues - 1, 'UInt32')}, floor(exp(log(${typed(issues, 'Float64')}) * ((sipHash64(number, 'k') % 1000000) / 1e6))) - 1)) AS k,
        toUInt32(sipHash64(k, 'svc') % 12) AS svc,
        ${pick(sql`svc`, SERVICES)} AS svcName,
        ${pick(sql`k % 8`, ERROR_TYPES)} AS etype,
        concat(${pick(sql`k % 6`, ERROR_MESSAGES)}, ' #', toString(k)) AS evalue,
        -- users: a few heavy hitters, a long tail
        toUInt32(pow((sipHash64(number, 'user') % 1000000) / 1e6, 3) * 20000) AS u,
        lower(hex(sipHash128(sipHash64(number, 'trace') % ${typed(traces, 'UInt64')}, 'trace'))) AS traceId
      FROM numbers(${typed(events, 'UInt64')})
    )`;
}
