import { ListenError } from '@faultline/collector';
import { DataDirInUseError } from '@faultline/storage';
import type { Env } from './config.ts';

/** A start that cannot go on; its message is one line naming the setting to change (logged as one JSON line). */
export class StartError extends Error {}

export const EMBEDDED_SINGLE_PROCESS = 'embedded storage is single-process: run --role all, or set FAULTLINE_CLICKHOUSE_URL';

/** The URL as it may be logged: without its password. */
export function redactUrl(raw: string): string {
  if (!URL.canParse(raw)) return '(not a URL)';
  const url = new URL(raw);
  if (url.password) url.password = '***';
  return url.toString();
}

const PORT_VARIABLE = {
  http: 'FAULTLINE_HTTP_PORT',
  'otlp-http': 'FAULTLINE_OTLP_HTTP_PORT',
  'otlp-grpc': 'FAULTLINE_OTLP_GRPC_PORT',
} as const;

/** Network failures of the ClickHouse client (Node's codes; the client's own timeout says so in its message). */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EPROTO',
  'CERT_HAS_EXPIRED',
]);

/** Opening a ClickHouse server failed: unreachable or refused, in one line without the password. */
export function storageFailure(err: unknown, env: Env): StartError {
  const e = err as { code?: unknown; type?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const message = (typeof e.message === 'string' ? e.message : String(err)).split('\n')[0] ?? '';
  const where = `FAULTLINE_CLICKHOUSE_URL=${redactUrl(env.FAULTLINE_CLICKHOUSE_URL)}`;
  if (UNREACHABLE.has(code) || /timeout/i.test(message)) return new StartError(`${where}: cannot reach ClickHouse (${code || message})`);
  const type = typeof e.type === 'string' ? `${e.type}: ` : '';
  return new StartError(`${where}: ClickHouse refused: ${type}${message.replaceAll(env.FAULTLINE_CLICKHOUSE_URL, '…')}`);
}

/** A known failure of the start as a StartError naming its setting; null for anything else (logged with its stack). */
export function describeStartFailure(err: unknown, env: Env): StartError | null {
  if (err instanceof StartError) return err;
  if (err instanceof ListenError) {
    if (err.problem === 'not-local' || err.problem === 'unresolved')
      return new StartError(`FAULTLINE_HOST=${env.FAULTLINE_HOST}: ${err.message}`);
    const name = PORT_VARIABLE[err.listener];
    return new StartError(`${name}=${env[name]}: ${err.message}`);
  }
  if (err instanceof DataDirInUseError) {
    const pid = err.pid ? ` (pid ${err.pid})` : '';
    return new StartError(
      `FAULTLINE_DATA_DIR=${env.FAULTLINE_DATA_DIR}: the directory is in use by another Faultline${pid}; stop that one or give this one another directory`,
    );
  }
  return null;
}
