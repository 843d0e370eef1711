import { lookup } from 'node:dns/promises';
import type { Server } from 'node:http';
import { pino, type Logger } from 'pino';
import { DEFAULT_SCRUB_OPTIONS, Registry, listenHttp, routeGrpcLogs, startCollector, type RunningCollector } from '@faultline/collector';
import { AlertEvaluator, createQueryServer } from '@faultline/query';
import { migrate, openDatabase, repairTraceIndex, type Database } from '@faultline/storage';
import { bootstrap, printBanner } from './bootstrap.ts';
import { publicIngestUrl, type Config } from './config.ts';
import { EMBEDDED_SINGLE_PROCESS, StartError, describeStartFailure, storageFailure } from './start-errors.ts';

export type Role = 'all' | 'collector' | 'query';

export interface Running {
  db: Database;
  collector: RunningCollector | null;
  queryPort: number | null;
  log: Logger;
  stop(): Promise<void>;
}

/** Without a configuration (it failed to parse): the default level. */
export function createLogger(config?: Config): Logger {
  return pino({
    level: config?.env.FAULTLINE_LOG_LEVEL ?? 'info',
    base: { service: 'faultline' },
    redact: { paths: ['*.authorization', '*.token', '*.key', '*.password', 'req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
  });
}

/** Starts the roles of one process over one storage connection. */
export interface StartOptions {
  log?: Logger;
  version?: string;
  /** Print the startup banner on stdout. Default true. */
  banner?: boolean;
}

/**
 * Starts the roles, or fails as a whole: whatever had started is stopped again (no half-started process answering
 * /readyz), and a known cause is a StartError naming the setting behind it.
 */
export async function start(config: Config, role: Role, startOptions: StartOptions = {}): Promise<Running> {
  const env = config.env;
  // A collector alone on chDB would write data nobody can read (a query process cannot open the same directory).
  if (role !== 'all' && env.FAULTLINE_CLICKHOUSE_URL === '') throw new StartError(EMBEDDED_SINGLE_PROCESS);
  const log = startOptions.log ?? createLogger(config);
  routeGrpcLogs((line) => log.warn({ component: 'grpc' }, line));
  // Before storage: a host that cannot be bound should not wait behind migrations to say so.
  await lookup(env.FAULTLINE_HOST).catch((err: unknown) => {
    throw new StartError(`FAULTLINE_HOST=${env.FAULTLINE_HOST}: cannot be resolved (${(err as { code?: string }).code ?? String(err)})`);
  });
  let db: Database;
  try {
    db = await openDatabase({
      dataDir: env.FAULTLINE_DATA_DIR,
      clickhouseUrl: env.FAULTLINE_CLICKHOUSE_URL,
      cluster: env.FAULTLINE_CLICKHOUSE_CLUSTER,
      database: env.FAULTLINE_CLICKHOUSE_DATABASE,
      retentionDays: env.FAULTLINE_RETENTION_DAYS,
      queryTimeoutSeconds: env.FAULTLINE_QUERY_TIMEOUT_SECONDS,
      maxResultRows: env.FAULTLINE_QUERY_MAX_ROWS,
    });
  } catch (err) {
    throw describeStartFailure(err, env) ?? (env.FAULTLINE_CLICKHOUSE_URL ? storageFailure(err, env) : err);
  }
  const parts: StartedParts = { db, collector: null, queryServer: null, alerts: null };
  try {
    return await startRoles(config, role, startOptions, log, parts);
  } catch (err) {
    await stopParts(parts, log).catch((stopErr: unknown) => log.error({ err: stopErr }, 'stopping after a failed start failed'));
    throw describeStartFailure(err, env) ?? err;
  }
}

/** What a start has brought up so far: stopped in reverse when a later step fails. */
interface StartedParts {
  db: Database;
  collector: RunningCollector | null;
  queryServer: Server | null;
  alerts: AlertEvaluator | null;
}

async function stopParts(parts: StartedParts, log: Logger): Promise<void> {
  // Before storage closes: an evaluation in flight still records its deliveries.
  await parts.alerts?.stop();
  const closing: Array<Promise<void>> = [];
  if (parts.queryServer?.listening) {
    const server = parts.queryServer;
    closing.push(new Promise((resolve) => server.close(() => resolve())));
    server.closeIdleConnections();
  }
  if (parts.collector) closing.push(parts.collector.close());
  await Promise.all(closing);
  await parts.db.close();
  log.info('faultline stopped');
}

/** The collector's settings, from the parsed environment. */
function collectorOptions(config: Config): Parameters<typeof startCollector>[1] {
  const env = config.env;
  return {
    host: env.FAULTLINE_HOST,
    grpcPort: env.FAULTLINE_OTLP_GRPC_PORT,
    httpPort: env.FAULTLINE_OTLP_HTTP_PORT,
    maxHttpBodyBytes: env.FAULTLINE_MAX_HTTP_BODY_BYTES,
    maxGrpcMessageBytes: env.FAULTLINE_MAX_GRPC_MESSAGE_BYTES,
    limits: {
      maxAttributeValueLength: env.FAULTLINE_MAX_ATTRIBUTE_VALUE_LENGTH,
      maxAttributesPerItem: env.FAULTLINE_MAX_ATTRIBUTES_PER_ITEM,
      maxItemsPerRequest: env.FAULTLINE_MAX_ITEMS_PER_REQUEST,
    },
    batch: {
      maxBatchRows: env.FAULTLINE_BATCH_MAX_ROWS,
      maxDelayMs: env.FAULTLINE_BATCH_MAX_DELAY_MS,
      maxQueuedRows: env.FAULTLINE_QUEUE_MAX_ROWS,
      maxConcurrentInserts: env.FAULTLINE_BATCH_CONCURRENCY || 2,
    },
    retryAfterSeconds: env.FAULTLINE_RETRY_AFTER_SECONDS,
    scrub: { ...DEFAULT_SCRUB_OPTIONS, enabled: env.FAULTLINE_SCRUB_PII, extraKeys: env.FAULTLINE_SCRUB_EXTRA_KEYS },
    rateLimitPerSecond: env.FAULTLINE_RATE_LIMIT_PER_SECOND,
    keyRefreshMs: 2000,
  };
}

/** The query server's settings; the ingest ports are the collector's real ones when it runs in this process. */
function queryOptions(config: Config, version: string, ingest: { httpPort: number; grpcPort: number }): Parameters<typeof createQueryServer>[1] {
  const env = config.env;
  return {
    host: env.FAULTLINE_HOST,
    port: env.FAULTLINE_HTTP_PORT,
    uiDir: config.uiDir,
    publicUrl: config.publicUrl,
    sessionTtlMs: env.FAULTLINE_SESSION_TTL_HOURS * 3_600_000,
    sessionSecret: env.FAULTLINE_SESSION_SECRET ?? '',
    maxSpansPerTrace: env.FAULTLINE_MAX_SPANS_PER_TRACE,
    maxLogsPerTrace: env.FAULTLINE_MAX_LOGS_PER_TRACE,
    maxSourceFileBytesPerProject: env.FAULTLINE_SOURCE_FILES_MAX_BYTES,
    maxNotesPerIssue: env.FAULTLINE_MAX_NOTES_PER_ISSUE,
    retentionDays: env.FAULTLINE_RETENTION_DAYS,
    version,
    ingest: { otlpHttpPort: ingest.httpPort, otlpGrpcPort: ingest.grpcPort, otlpHttpUrl: publicIngestUrl(config, ingest.httpPort) },
  };
}

async function startRoles(config: Config, role: Role, startOptions: StartOptions, log: Logger, parts: StartedParts): Promise<Running> {
  const env = config.env;
  const db = parts.db;
  const version = startOptions.version ?? '0.1.0';
  const applied = await migrate(db);
  if (applied.length > 0) log.info({ migrations: applied }, 'schema migrations applied');
  const repaired = await repairTraceIndex(db);
  if (repaired > 0) log.debug({ rows: repaired }, 'trace index re-derived for the newest inserts');
  const boot = await bootstrap(db, env, log);

  const registry = new Registry();
  let migrated = true;
  const ops = {
    ready: async () => migrated && (await db.ping()),
    metricsText: () => registry.render(),
  };
  let collector: RunningCollector | null = null;
  if (role === 'all' || role === 'collector') {
    collector = parts.collector = await startCollector(
      db,
      collectorOptions(config),
      registry,
      ops,
      (err) => log.error({ err }, 'issue workflow update failed'),
    );
  }
  const otlpHttpPort = collector?.httpPort ?? env.FAULTLINE_OTLP_HTTP_PORT;
  let queryServer: Server | null = null;
  let queryPort: number | null = null;
  if (role === 'all' || role === 'query') {
    queryServer = createQueryServer(
      db,
      queryOptions(config, version, { httpPort: otlpHttpPort, grpcPort: collector?.grpcPort ?? env.FAULTLINE_OTLP_GRPC_PORT }),
      ops,
      log,
    ).server;
    parts.queryServer = queryServer;
    queryPort = await listenHttp(queryServer, env.FAULTLINE_HOST, env.FAULTLINE_HTTP_PORT);
  }
  // With port 0 (tests, ad-hoc runs) the real port is only known now.
  const publicUrl = env.FAULTLINE_PUBLIC_URL || queryPort === null ? config.publicUrl : config.publicUrl.replace(/:\d+$/, `:${queryPort}`);
  if (queryServer) {
    parts.alerts = new AlertEvaluator(db, { intervalMs: env.FAULTLINE_ALERT_INTERVAL_SECONDS * 1000, publicUrl, maxPerRule: env.FAULTLINE_ALERT_MAX_PER_RULE }, log);
    parts.alerts.start();
  }
  if (startOptions.banner !== false) printBanner({ ...config, publicUrl }, boot, { role, queryPort, collector, storage: db.kind });
  log.info({ role, storage: db.kind, httpPort: queryPort, otlpHttpPort: collector?.httpPort, otlpGrpcPort: collector?.grpcPort }, 'faultline started');

  return {
    db,
    collector,
    queryPort,
    log,
    async stop() {
      migrated = false;
      await stopParts(parts, log);
    },
  };
}
