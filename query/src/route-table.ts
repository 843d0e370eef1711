import type { Database } from '@faultline/storage';
import type { Route } from './router.ts';
import { createQueryServer } from './server.ts';

/**
 * The API's routes with their schemas, for tools and tests that read the route table (OpenAPI checks, contract
 * tests). Building it touches no storage and starts no listener; the options below change no schema.
 */
export function routeTable(db: Database): Route[] {
  return createQueryServer(
    db,
    {
      host: '127.0.0.1',
      port: 0,
      uiDir: '/nonexistent',
      publicUrl: 'http://127.0.0.1:8080',
      sessionTtlMs: 3_600_000,
      maxSpansPerTrace: 100_000,
      maxLogsPerTrace: 1_000,
      maxSourceFileBytesPerProject: 10 * 1024 ** 3,
      maxNotesPerIssue: 1_000,
      retentionDays: 30,
      version: 'routes',
      ingest: { otlpHttpPort: 4318, otlpGrpcPort: 4317, otlpHttpUrl: null },
    },
    { ready: async () => true, metricsText: () => '' },
    { error: () => undefined },
  ).routes;
}
