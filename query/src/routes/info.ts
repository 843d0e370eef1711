import { z } from 'zod';
import { route, type Route } from '../router.ts';

/** Where this instance's collector listens, for the SDK settings the UI shows. */
export interface IngestInfo {
  otlpHttpPort: number;
  otlpGrpcPort: number;
  /** The OTLP/HTTP base URL SDKs should use when the configuration names it; null: the UI's host on otlpHttpPort. */
  otlpHttpUrl: string | null;
}

export function infoRoutes(version: string, ingest: IngestInfo): Route[] {
  return [
    route({
      method: 'GET',
      path: '/api/v1/info',
      summary:
        "This instance: its version and the collector's ports (OTLP/HTTP, which also takes Sentry envelopes, and OTLP/gRPC), so SDK settings shown to users name the real ones.",
      access: 'read',
      response: z.object({
        version: z.string(),
        ingest: z.object({ otlpHttpPort: z.number().int(), otlpGrpcPort: z.number().int(), otlpHttpUrl: z.string().nullable() }),
      }),
      async handler() {
        return { body: { version, ingest } };
      },
    }),
  ];
}
