export * from './collector.ts';
export * from './batcher.ts';
export * from './ingest.ts';
export * from './key-cache.ts';
export * from './self-metrics.ts';
export type { OpsEndpoints } from './http-server.ts';
export * from './scrub.ts';
export * from './rate-limit.ts';
