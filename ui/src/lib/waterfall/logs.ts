// The trace's log records as the trace page shows them: offsets from the trace start, a severity
// class from the OTLP severity number, and the body as one line of text.
import type { ApiTraceLog } from '../api/types.ts';
import { offsetNanos, tryParseNanos } from '../format/nanos.ts';

export type Severity = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'unset';

export interface WLog {
  /** Position in the API response (oldest first). */
  index: number;
  /** Offset from the trace start, ns; negative for records written before the first span started. */
  offsetNs: number;
  severity: Severity;
  /** What to show as the level: the record's own text, else the class of its number. */
  level: string;
  spanId: string;
  serviceName: string;
  /** The body as text: strings as they are, structured bodies as JSON. */
  text: string;
  raw: ApiTraceLog;
}

const CLASSES: ReadonlyArray<Severity> = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** OTLP severity numbers come in ranges of four per class (1–4 trace … 21–24 fatal). */
export function severityOf(severityNumber: unknown, severityText: unknown): Severity {
  const n = typeof severityNumber === 'number' ? severityNumber : Number(severityNumber);
  if (Number.isInteger(n) && n >= 1 && n <= 24) return CLASSES[Math.floor((n - 1) / 4)] ?? 'unset';
  // No number: some loggers only set the text.
  const t = String(severityText ?? '').toLowerCase();
  if (t.startsWith('warn')) return 'warn';
  if (t === 'err' || t.startsWith('error') || t === 'critical') return 'error';
  return CLASSES.find((c) => t.startsWith(c)) ?? 'unset';
}

/** The level shown for a record: its own text, else the class of its number. */
export function levelLabel(severity: Severity, severityText: unknown): string {
  return String(severityText ?? '') || (severity === 'unset' ? '—' : severity.toUpperCase());
}

export function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body === null || body === undefined) return '';
  return typeof body === 'object' ? JSON.stringify(body) : String(body);
}

export function buildLogs(raw: unknown, origin: bigint): WLog[] {
  const list = Array.isArray(raw) ? (raw as ApiTraceLog[]) : [];
  return list.map((log, index) => {
    const severity = severityOf(log.severityNumber, log.severityText);
    const time = tryParseNanos(log.timeUnixNano) ?? origin;
    return {
      index,
      offsetNs: offsetNanos(time, origin),
      severity,
      level: levelLabel(severity, log.severityText),
      spanId: String(log.spanId ?? ''),
      serviceName: String(log.serviceName ?? ''),
      text: bodyText(log.body),
      raw: log,
    };
  });
}

/** Offsets (ns from the trace start) and severities of each span's records, for marks on its bar. */
export interface LogMark {
  offsetNs: number;
  severity: Severity;
}

export function logMarksBySpan(logs: readonly WLog[]): Map<string, LogMark[]> {
  const out = new Map<string, LogMark[]>();
  for (const l of logs) {
    if (!l.spanId) continue;
    const list = out.get(l.spanId);
    const mark: LogMark = { offsetNs: l.offsetNs, severity: l.severity };
    if (list) list.push(mark);
    else out.set(l.spanId, [mark]);
  }
  return out;
}

/** Records whose level, service or text contains `query` (case-insensitive); all of them for an empty query. */
export function filterLogs(logs: readonly WLog[], query: string): WLog[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...logs];
  return logs.filter(
    (l) => l.text.toLowerCase().includes(q) || l.level.toLowerCase().includes(q) || l.serviceName.toLowerCase().includes(q),
  );
}
