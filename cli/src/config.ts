import { join } from 'node:path';
import { z } from 'zod';

/** The only module that reads `process.env`. Everything else receives the parsed config. */

/**
 * A whole number written in plain decimal digits. `z.coerce.number()` took whatever `Number()` takes: `0x10` (port 16),
 * ` 38180`, `1e3`, and an empty value as 0.
 */
function integer(min: number, max = Number.MAX_SAFE_INTEGER): z.ZodType<number, string> {
  return z
    .string()
    .regex(/^\d{1,15}$/, 'must be a whole number in decimal digits')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

/** `http://` or `https://` and a host; empty (embedded chDB) is fine too. Never echoed: it may hold a password. */
function isClickHouseUrl(value: string): boolean {
  if (value === '') return true;
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}

const port = integer(0, 65535);
const positive = integer(1);
const MiB = 1024 * 1024;

const envSchema = z.object({
  /** Embedded chDB data directory. Default `./data`. */
  FAULTLINE_DATA_DIR: z.string().default('./data'),
  /** `http://user:pass@host:8123/db` of a ClickHouse server; empty = embedded chDB. */
  FAULTLINE_CLICKHOUSE_URL: z.string().refine(isClickHouseUrl, 'must be http(s)://user:password@host:8123/database').default(''),
  /** Cluster name for `ON CLUSTER` DDL with Replicated engines. */
  FAULTLINE_CLICKHOUSE_CLUSTER: z.string().regex(/^[A-Za-z0-9_]*$/, 'letters, digits and _ only').default(''),
  /** Database name when the URL names none. Default `faultline`. */
  FAULTLINE_CLICKHOUSE_DATABASE: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and _ only').default('faultline'),
  /** Bind address. Default `127.0.0.1`. */
  FAULTLINE_HOST: z.string().regex(/^[^\s/]+$/, 'must be an address or host name').default('127.0.0.1'),
  FAULTLINE_OTLP_GRPC_PORT: port.default(4317),
  FAULTLINE_OTLP_HTTP_PORT: port.default(4318),
  FAULTLINE_HTTP_PORT: port.default(8080),
  /** Base of every link Faultline sends out. Default `http://<host>:<http port>`. */
  FAULTLINE_PUBLIC_URL: z.string().url().optional(),
  /** Base URL SDKs send OTLP/HTTP and Sentry envelopes to. Default `http://<host of the public URL>:<OTLP/HTTP port>`. */
  FAULTLINE_PUBLIC_INGEST_URL: z
    .string()
    .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'must be an http(s):// URL')
    .optional(),
  FAULTLINE_BOOTSTRAP_INGEST_KEY: z.string().regex(/^[a-z0-9]{32}$/, 'must be 32 characters of [a-z0-9]').optional(),
  FAULTLINE_BOOTSTRAP_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').max(200).optional(),
  /** Days of telemetry kept. Default 14. */
  FAULTLINE_RETENTION_DAYS: positive.default(14),
  /** pino level. Default `info`. */
  FAULTLINE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Largest OTLP/HTTP body, before and after decompression. Default 20 MiB. */
  FAULTLINE_MAX_HTTP_BODY_BYTES: positive.default(20 * MiB),
  /** Largest OTLP/gRPC message after decompression. Default 4 MiB. */
  FAULTLINE_MAX_GRPC_MESSAGE_BYTES: positive.default(4 * MiB),
  /** Longer string attribute values are truncated (and counted). Default 16384. */
  FAULTLINE_MAX_ATTRIBUTE_VALUE_LENGTH: positive.default(16_384),
  /** Attributes kept per span / log record / event. Default 256. */
  FAULTLINE_MAX_ATTRIBUTES_PER_ITEM: positive.default(256),
  /** Spans or log records in one export request (at most FAULTLINE_QUEUE_MAX_ROWS). Default 100,000. */
  FAULTLINE_MAX_ITEMS_PER_REQUEST: positive.default(100_000),
  /** Group commit: rows per insert. Default 10,000. */
  FAULTLINE_BATCH_MAX_ROWS: positive.default(10_000),
  /** Group commit: longest wait before a small batch is written, ms. Default 200. */
  FAULTLINE_BATCH_MAX_DELAY_MS: positive.default(200),
  /** Group commit: inserts into one table at once; 0 = automatic (2). Default 0. */
  FAULTLINE_BATCH_CONCURRENCY: integer(0, 16).default(0),
  /** Rows queued or being written before ingest answers "retry later". Default 200,000. */
  FAULTLINE_QUEUE_MAX_ROWS: positive.default(200_000),
  /** Seconds sent in Retry-After / RetryInfo. Default 5. */
  FAULTLINE_RETRY_AFTER_SECONDS: positive.default(5),
  /** Scrub PII (secrets in sensitive keys, card numbers, URL credentials) before storage. Default true. */
  FAULTLINE_SCRUB_PII: z.enum(['true', 'false', '1', '0']).default('true').transform((v) => v === 'true' || v === '1'),
  /** Extra sensitive key fragments, comma separated. */
  FAULTLINE_SCRUB_EXTRA_KEYS: z.string().default('').transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)),
  /** Items (spans, log records, metric points) per second per project; 0 = unlimited. Default 0. */
  FAULTLINE_RATE_LIMIT_PER_SECOND: integer(0).default(0),
  /** ClickHouse max_execution_time for API queries. Default 30. */
  FAULTLINE_QUERY_TIMEOUT_SECONDS: positive.default(30),
  /**
   * ClickHouse max_result_rows for API queries. Default 1,000,000; at least 1,000, since the start's own reads
   * (the schema's tables, the migrations applied) go through the same reads.
   */
  FAULTLINE_QUERY_MAX_ROWS: integer(1000).default(1_000_000),
  /** Largest trace returned by id, in spans. Default 100,000. */
  FAULTLINE_MAX_SPANS_PER_TRACE: positive.default(100_000),
  /** Log records returned with a trace (the oldest; the answer says when more exist). Default 1,000. */
  FAULTLINE_MAX_LOGS_PER_TRACE: positive.default(1_000),
  /** Source maps and minified files one project keeps (all releases), in bytes; an upload past it gets 409. Default 10 GiB. */
  FAULTLINE_SOURCE_FILES_MAX_BYTES: positive.default(10 * 1024 ** 3),
  /**
   * Notes one issue keeps; a note past it is refused (409) until this is raised (notes are never deleted). Bounds
   * what a write token can pile onto one issue. Default 1,000.
   */
  FAULTLINE_MAX_NOTES_PER_ISSUE: integer(1, 1_000_000).default(1_000),
  /** Seconds between two evaluations of the alert rules (query role); the next starts when the last ended. Default 30. */
  FAULTLINE_ALERT_INTERVAL_SECONDS: integer(1, 86_400).default(30),
  /** Notifications one alert rule sends one by one per evaluation; the rest of that run go in one summary. Default 10. */
  FAULTLINE_ALERT_MAX_PER_RULE: integer(1, 1000).default(10),
  /** UI session cookie lifetime in hours. Default 12. */
  FAULTLINE_SESSION_TTL_HOURS: positive.default(12),
  /**
   * Secret mixed into the signature of UI session cookies (the same on every query process). Without it a cookie is
   * signed with the stored hash of its token alone, so whoever can read the api_tokens table could forge one.
   * Default unset.
   */
  FAULTLINE_SESSION_SECRET: z
    .string()
    .max(500)
    .refine((v) => v === '' || v.length >= 32, 'must be at least 32 characters (or empty: unset)')
    .optional(),
  /** Built UI directory. Default `<repo>/ui/build`. */
  FAULTLINE_UI_DIR: z.string().optional(),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env;
  publicUrl: string;
  uiDir: string;
}

export class ConfigError extends Error {}

/** Variables whose values an error message never repeats. */
const SECRET = new Set(['FAULTLINE_CLICKHOUSE_URL', 'FAULTLINE_BOOTSTRAP_INGEST_KEY', 'FAULTLINE_BOOTSTRAP_ADMIN_TOKEN', 'FAULTLINE_SESSION_SECRET']);

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const name = i.path.join('.');
      const value = source[name];
      const shown = value === undefined || SECRET.has(name) ? '' : ` (got ${JSON.stringify(value)})`;
      return `${name}: ${i.message}${shown}`;
    });
    // One line: it becomes one JSON log line.
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const env = parsed.data;
  // A request larger than the queue could never be queued: it would be answered "retry later" forever, even on an
  // idle server. Capped, it is refused once as too large (413 / RESOURCE_EXHAUSTED), which SDKs do not retry.
  env.FAULTLINE_MAX_ITEMS_PER_REQUEST = Math.min(env.FAULTLINE_MAX_ITEMS_PER_REQUEST, env.FAULTLINE_QUEUE_MAX_ROWS);
  const host = env.FAULTLINE_HOST === '0.0.0.0' || env.FAULTLINE_HOST === '::' ? 'localhost' : env.FAULTLINE_HOST;
  return {
    env,
    publicUrl: (env.FAULTLINE_PUBLIC_URL ?? `http://${host.includes(':') ? `[${host}]` : host}:${env.FAULTLINE_HTTP_PORT}`).replace(/\/+$/, ''),
    uiDir: env.FAULTLINE_UI_DIR ?? join(import.meta.dirname, '..', '..', 'ui', 'build'),
  };
}

/**
 * The OTLP/HTTP (and Sentry) endpoint SDKs are told to use, the one rule for the startup banner and the UI (through
 * GET /api/v1/info): FAULTLINE_PUBLIC_INGEST_URL; else, with FAULTLINE_PUBLIC_URL, its host on the collector's own
 * port over plain HTTP (what the collector serves); else null: the host the UI is reached at, on that port (the
 * banner prints the UI's default URL, so both name the same host).
 */
export function publicIngestUrl(config: Config, otlpHttpPort: number): string | null {
  const env = config.env;
  if (env.FAULTLINE_PUBLIC_INGEST_URL) return env.FAULTLINE_PUBLIC_INGEST_URL.replace(/\/+$/, '');
  if (!env.FAULTLINE_PUBLIC_URL) return null;
  return `http://${new URL(env.FAULTLINE_PUBLIC_URL).hostname}:${otlpHttpPort}`;
}

/** Values for the CLI's API client commands (`faultline keys …`). */
export function clientEnv(source: NodeJS.ProcessEnv = process.env): { url: string | undefined; token: string | undefined } {
  return { url: source.FAULTLINE_URL, token: source.FAULTLINE_TOKEN };
}
