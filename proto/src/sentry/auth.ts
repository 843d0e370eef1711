/**
 * Where Sentry SDKs put their DSN public key: the `X-Sentry-Auth` header (server SDKs), an
 * `Authorization: Sentry …` header, `?sentry_key=` (browsers, to avoid a CORS preflight), or only the
 * `dsn` of the envelope header (tunnels that forward envelopes unchanged).
 */

export interface SentryAuthHeaders {
  'x-sentry-auth'?: string;
  authorization?: string;
}

export interface SentryAuth {
  /** The DSN public key, or null when the request carries none. */
  key: string | null;
  /** `sentry_client`, e.g. `sentry.javascript.node/8.40.0`; '' when not sent. */
  client: string;
}

/**
 * `Sentry sentry_key=abc, sentry_version=7, sentry_client=…` → its fields, with the `sentry_` prefix
 * removed (Relay accepts both spellings). Null when the value does not use the Sentry scheme.
 */
function parseAuthHeader(value: string | undefined): Map<string, string> | null {
  if (value === undefined) return null;
  const match = /^\s*sentry\s+(.*)$/is.exec(value);
  if (match === null) return null;
  const fields = new Map<string, string>();
  for (const part of (match[1] ?? '').split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const name = part
      .slice(0, eq)
      .trim()
      .toLowerCase()
      .replace(/^sentry_/, '');
    const raw = part.slice(eq + 1).trim();
    fields.set(name, raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw);
  }
  return fields;
}

function nonEmpty(v: string | null | undefined): string | null {
  const trimmed = v?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

/** The public key of a DSN (`https://<key>@host/<project>`), or null when it is not a DSN with a key. */
export function publicKeyFromDsn(dsn: string): string | null {
  try {
    return nonEmpty(decodeURIComponent(new URL(dsn).username));
  } catch {
    return null;
  }
}

/** The numeric project id at the end of a DSN's path (`https://key@host/42` → 42), or null. */
export function projectIdFromDsn(dsn: string): number | null {
  let path: string;
  try {
    path = new URL(dsn).pathname;
  } catch {
    return null;
  }
  const last = path.replace(/\/+$/, '').split('/').pop() ?? '';
  if (!/^\d+$/.test(last)) return null;
  const id = Number(last);
  return Number.isSafeInteger(id) ? id : null;
}

/** Finds the SDK's key: auth headers first, then the query string, then the envelope header's DSN. */
export function parseSentryAuth(headers: SentryAuthHeaders, query: URLSearchParams, envelopeDsn?: string): SentryAuth {
  const fields = parseAuthHeader(headers['x-sentry-auth']) ?? parseAuthHeader(headers.authorization);
  const key =
    nonEmpty(fields?.get('key')) ??
    nonEmpty(query.get('sentry_key')) ??
    (envelopeDsn === undefined || envelopeDsn === '' ? null : publicKeyFromDsn(envelopeDsn));
  const client = nonEmpty(fields?.get('client')) ?? nonEmpty(query.get('sentry_client')) ?? '';
  return { key, client };
}
