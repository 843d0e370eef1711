import type { Server as HttpServer } from 'node:http';
import type * as grpc from '@grpc/grpc-js';
import type { DecodeLimits } from '@faultline/proto';
import { activeIngestKeys, projectSettings, insertErrorEvents, insertFeedback, insertLogs, insertMetrics, insertSessions, insertSpans, type Database, type ProjectSpan } from '@faultline/storage';
import { getSourceFiles, listSourceFiles } from '@faultline/storage';
import { RECENT_EVENT_IDS, RecentEventIds, skipRepeatedEvents, withErrorInsert } from './error-rows.ts';
import { IssueTracker } from './errors/tracker.ts';
import { Symbolicator } from './errors/symbolicate.ts';
import { Batcher, type BatcherOptions } from './batcher.ts';
import { createIngestGrpcServer, listenGrpc } from './grpc-server.ts';
import { createIngestHttpServer, type OpsEndpoints } from './http-server.ts';
import { ListenError, type Listener } from './listen-error.ts';
import type { IngestDeps } from './ingest.ts';
import { KeyCache } from './key-cache.ts';
import { ProjectRateLimiter } from './rate-limit.ts';
import { ProjectSettingsCache } from './project-settings.ts';
import { ServiceGraph } from './service-graph.ts';
import type { ScrubOptions } from './scrub.ts';
import { createCollectorMetrics, type Registry } from './self-metrics.ts';

export interface CollectorOptions {
  host: string;
  grpcPort: number;
  httpPort: number;
  maxHttpBodyBytes: number;
  maxGrpcMessageBytes: number;
  limits: DecodeLimits;
  batch: BatcherOptions;
  retryAfterSeconds: number;
  scrub: ScrubOptions;
  /** Items (spans, log records, points) per second per project; 0 = unlimited. */
  rateLimitPerSecond: number;
  /** How often the ingest key cache reloads (revocations take effect within this), ms. Default 2000. */
  keyRefreshMs: number;
}

export interface RunningCollector {
  httpPort: number;
  grpcPort: number;
  deps: IngestDeps;
  /** Stops accepting, answers what is in flight, flushes queued rows. */
  close(): Promise<void>;
}

/** Listens and resolves with the bound port (the real one when `port` is 0); a failed bind rejects with a ListenError. */
export function listenHttp(server: HttpServer, host: string, port: number, listener: Listener = 'http'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err) => reject(new ListenError(listener, host, port, err)));
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Service-map edges are written this often, ms. */
const EDGE_FLUSH_MS = 1_000;

export async function startCollector(
  db: Database,
  options: CollectorOptions,
  registry: Registry,
  ops: OpsEndpoints,
  onBackgroundError: (err: unknown) => void,
): Promise<RunningCollector> {
  const metrics = createCollectorMetrics(registry);
  const observe = (rows: number, ms: number): void => {
    metrics.batchRows.observe(rows);
    metrics.insertSeconds.observe(ms / 1000);
  };
  const keys = new KeyCache(() => activeIngestKeys(db), options.keyRefreshMs);
  await keys.start();
  const rateOverrides = new Map<number, number>();
  const settings = new ProjectSettingsCache(() => projectSettings(db), options.scrub, rateOverrides);
  await settings.start(options.keyRefreshMs);
  const recentEvents = new RecentEventIds(RECENT_EVENT_IDS);
  const errorInsert = skipRepeatedEvents((rows) => insertErrorEvents(db, rows), recentEvents);
  const deps: IngestDeps = {
    keys,
    spans: new Batcher(options.batch, withErrorInsert<ProjectSpan>((rows) => insertSpans(db, rows), errorInsert), observe),
    logs: new Batcher(options.batch, withErrorInsert<Record<string, unknown>>((rows) => insertLogs(db, rows), errorInsert), observe),
    metricPoints: new Batcher(options.batch, (rows) => insertMetrics(db, rows as Record<string, unknown>[]), observe),
    // Nobody waits for edges: one insert per second instead of one per group commit (each insert is a part).
    edges: new Batcher({ ...options.batch, background: true, maxDelayMs: EDGE_FLUSH_MS }, (rows) => db.insert('service_edge_calls', rows), observe),
    serviceGraph: new ServiceGraph(),
    sessions: new Batcher(options.batch, (rows) => insertSessions(db, rows as Record<string, unknown>[]), observe),
    errors: new Batcher(options.batch, (rows) => errorInsert(rows as Record<string, unknown>[]), observe),
    feedback: new Batcher(options.batch, (rows) => insertFeedback(db, rows as Record<string, unknown>[]), observe),
    // Parsed maps can be megabytes each; 50 covers the bundles of a few busy releases.
    symbolicator: new Symbolicator((projectId, release, names) => getSourceFiles(db, projectId, release, names), {
      cacheEntries: 50,
      list: (projectId, release) => listSourceFiles(db, projectId, release),
      onError: onBackgroundError,
    }),
    tracker: new IssueTracker(db, onBackgroundError),
    rateLimiter: new ProjectRateLimiter({ ratePerSecond: options.rateLimitPerSecond, burstSeconds: 2, overrides: rateOverrides }),
    settings,
    onBackgroundError,
    metrics,
    options: { limits: options.limits, scrub: options.scrub, retryAfterSeconds: options.retryAfterSeconds },
  };
  const http = createIngestHttpServer(deps, ops, { maxBodyBytes: options.maxHttpBodyBytes });
  const grpcServer: grpc.Server = createIngestGrpcServer(deps, { maxMessageBytes: options.maxGrpcMessageBytes });
  const close = async (): Promise<void> => {
    await Promise.all([
      new Promise<void>((resolve) => grpcServer.tryShutdown(() => resolve())),
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeIdleConnections();
      }),
    ]);
    await Promise.all([deps.spans.close(), deps.logs.close(), deps.errors.close(), deps.metricPoints.close(), deps.sessions.close(), deps.feedback.close(), deps.edges.close()]);
    await deps.tracker.flush();
    keys.stop();
    settings.stop();
  };
  try {
    const httpPort = await listenHttp(http, options.host, options.httpPort, 'otlp-http');
    const grpcPort = await listenGrpc(grpcServer, options.host, options.grpcPort);
    return { httpPort, grpcPort, deps, close };
  } catch (err) {
    // Half a collector (OTLP/HTTP bound, gRPC not) would look healthy while refusing half its senders.
    await close();
    throw err;
  }
}
