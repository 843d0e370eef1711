// Settings page helpers: SDK configuration lines for an ingest key, key lists, the settings
// object sent with PATCH. Pure.
import type { ProjectSettings } from './model.ts';

/** The collector's OTLP/HTTP port (FAULTLINE_OTLP_HTTP_PORT default). */
export const OTLP_HTTP_PORT = 4318;

/** Host part of the ingest endpoint: the page's hostname (IPv6 in brackets). */
export function ingestHost(hostname: string): string {
  const h = hostname.trim() || 'localhost';
  return h.includes(':') && !h.startsWith('[') ? `[${h}]` : h;
}

export function otlpEndpoint(hostname: string, port = OTLP_HTTP_PORT): string {
  return `http://${ingestHost(hostname)}:${port}`;
}

/**
 * The ingest base URL SDKs are told to use: the one the server reports (FAULTLINE_PUBLIC_INGEST_URL, or the host of
 * FAULTLINE_PUBLIC_URL on the collector's port — the startup banner names the same), else this page's host on the port.
 */
export function ingestBase(reported: string | null, hostname: string, port = OTLP_HTTP_PORT): string {
  return (reported ?? otlpEndpoint(hostname, port)).replace(/\/+$/, '');
}

/** The OTEL_* environment lines for an OpenTelemetry SDK (header value percent-encoded per the spec). */
export function otelEnvLines(key: string, hostname: string, port = OTLP_HTTP_PORT, base = otlpEndpoint(hostname, port)): string[] {
  return [
    `OTEL_EXPORTER_OTLP_ENDPOINT=${base}`,
    `OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20${key}`,
    // Some SDKs default to gRPC on 4317; the endpoint above is OTLP/HTTP.
    'OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf',
  ];
}

/** Sentry SDK DSN: the key is the public key, the path the numeric project id (after the base URL's own path). */
export function sentryDsn(key: string, hostname: string, projectId: number, port = OTLP_HTTP_PORT, base = otlpEndpoint(hostname, port)): string {
  const url = new URL(base);
  return `${url.protocol}//${key}@${url.host}${url.pathname.replace(/\/+$/, '')}/${projectId}`;
}

export interface ParsedKeys {
  keys: string[];
  errors: string[];
}

/** Keys from a textarea: one per line or comma-separated, trimmed, de-duplicated, bounded like the API. */
export function parseKeyList(text: string, label: string, maxLength: number, maxCount = 100): ParsedKeys {
  const keys: string[] = [];
  const errors: string[] = [];
  for (const part of text.split(/[\n,]/)) {
    const k = part.trim();
    if (k === '' || keys.includes(k)) continue;
    if (k.length > maxLength) errors.push(`${label}: "${k.slice(0, 20)}…" is longer than ${maxLength} characters`);
    else keys.push(k);
  }
  if (keys.length > maxCount) errors.push(`${label}: at most ${maxCount} keys`);
  return { keys, errors };
}

export interface SettingsForm {
  scrubPii: boolean;
  /** Whether scrubPii should be stored (it was set before, or the user changed it). */
  scrubPiiSet: boolean;
  extraKeys: string;
  safeKeys: string;
  /** '' = instance default, '0' = unlimited. */
  rateLimit: string;
}

export function formFromSettings(s: ProjectSettings): SettingsForm {
  return {
    scrubPii: s.scrubPii ?? true,
    scrubPiiSet: s.scrubPii !== undefined,
    extraKeys: (s.scrubExtraKeys ?? []).join('\n'),
    safeKeys: (s.scrubSafeKeys ?? []).join('\n'),
    rateLimit: s.rateLimitPerSecond === undefined ? '' : String(s.rateLimitPerSecond),
  };
}

/** The settings object for PATCH (it replaces the stored one), or the validation messages. */
export function settingsFromForm(f: SettingsForm): { settings: ProjectSettings; errors: string[] } {
  const extra = parseKeyList(f.extraKeys, 'Extra keys', 100);
  const safe = parseKeyList(f.safeKeys, 'Safe keys', 256);
  const errors = [...extra.errors, ...safe.errors];
  const settings: ProjectSettings = {};
  if (f.scrubPiiSet) settings.scrubPii = f.scrubPii;
  if (extra.keys.length > 0) settings.scrubExtraKeys = extra.keys;
  if (safe.keys.length > 0) settings.scrubSafeKeys = safe.keys;
  const rate = f.rateLimit.trim();
  if (rate !== '') {
    const n = Number(rate);
    if (!/^\d+$/.test(rate) || !Number.isSafeInteger(n) || n > 100_000_000) {
      errors.push('Rate limit: a whole number of items per second from 0 to 100000000');
    } else {
      settings.rateLimitPerSecond = n;
    }
  }
  return { settings, errors };
}
