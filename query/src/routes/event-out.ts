import { traceBreadcrumbs, type Database, type StoredEvent } from '@faultline/storage';

// An error event as the API answers it (the contract's shape), and the breadcrumbs a browser left in its trace.

interface StoredFrame {
  filename?: string;
  absPath?: string;
  function?: string;
  module?: string;
  lineno?: number | null;
  colno?: number | null;
  inApp?: boolean;
  contextLine?: string;
  preContext?: string[];
  postContext?: string[];
}
interface StoredException {
  type?: string;
  value?: string;
  module?: string;
  mechanism?: unknown;
  frames?: StoredFrame[];
}

/** The contract's event shape (Sentry-like `exception.values[].stacktrace.frames`, oldest frame first). */
export function eventOut(event: StoredEvent) {
  const { exceptions, breadcrumbs, ...rest } = event;
  return {
    ...rest,
    breadcrumbs: (breadcrumbs as Crumb[]).map((b) => ({ ...b, timestamp: isoTime(b.timestampMs) })),
    exception: {
      values: (exceptions as StoredException[]).map((e) => ({
        type: e.type ?? '',
        value: e.value ?? '',
        module: e.module ?? '',
        mechanism: e.mechanism ?? null,
        stacktrace: {
          frames: (e.frames ?? []).map((f) => ({
            filename: f.filename ?? '',
            absPath: f.absPath ?? '',
            function: f.function ?? '',
            module: f.module ?? '',
            lineno: f.lineno ?? null,
            colno: f.colno ?? null,
            inApp: f.inApp ?? false,
            contextLine: f.contextLine ?? null,
            preContext: f.preContext ?? [],
            postContext: f.postContext ?? [],
          })),
        },
      })),
    },
  };
}

/** ISO-8601 of a breadcrumb's time; a time out of range (a broken SDK clock) reads as the epoch. */
function isoTime(ms: number): string {
  const d = new Date(ms);
  return Number.isFinite(d.getTime()) ? d.toISOString() : new Date(0).toISOString();
}

interface Crumb {
  timestampMs: number;
  category?: string;
  message?: string;
}

/** The event's own breadcrumbs plus those the browser recorded earlier in the same trace, in time order. */
export async function withTraceBreadcrumbs(db: Database, projectId: number, event: StoredEvent): Promise<StoredEvent> {
  if (!event.traceId) return event;
  const page = (await traceBreadcrumbs(db, projectId, event.traceId, event.timestamp)).map((b) => {
    const crumb = b as Record<string, unknown>;
    const { timestamp, ...rest } = crumb;
    return { ...rest, timestampMs: Number(crumb.timestampMs ?? timestamp ?? 0), origin: 'page' } as Crumb;
  });
  if (page.length === 0) return event;
  const key = (c: Crumb): string => `${c.timestampMs}|${c.category ?? ''}|${c.message ?? ''}`;
  const seen = new Set((event.breadcrumbs as Crumb[]).map(key));
  const merged = [...(event.breadcrumbs as Crumb[]), ...page.filter((c) => !seen.has(key(c)) && seen.add(key(c)))];
  merged.sort((a, b) => a.timestampMs - b.timestampMs);
  return { ...event, breadcrumbs: merged.slice(-200) };
}
