/**
 * Error events extracted from spans or log records travel in the same batch as the rows they came from, so
 * one request's rows share one group commit (a separate error batcher formed other groups, and every request
 * then waited for two unrelated inserts). They are marked with a symbol key, which column lists and JSON
 * encoding ignore.
 */
const ERROR_EVENT = Symbol('faultline.errorEvent');

type Row = Record<string, unknown>;

export function withErrorEvents(rows: readonly object[], errorRows: readonly Row[]): object[] {
  if (errorRows.length === 0) return rows as object[];
  for (const row of errorRows) (row as Record<symbol, unknown>)[ERROR_EVENT] = true;
  return rows.concat(errorRows);
}

/** Splits a batch into the signal's own rows and the error events that came with them. */
export function splitErrorEvents(rows: readonly object[]): { own: object[]; errors: Row[] } {
  const own: object[] = [];
  const errors: Row[] = [];
  for (const row of rows) {
    if ((row as Record<symbol, unknown>)[ERROR_EVENT] === true) errors.push(row as Row);
    else own.push(row);
  }
  return { own, errors };
}

/** An insert function for a batch of rows plus their error events: the rows first, then the events. */
export function withErrorInsert<T extends object>(
  insertOwn: (rows: T[]) => Promise<void>,
  insertErrors: (rows: Row[]) => Promise<void>,
): (rows: object[]) => Promise<void> {
  return async (rows) => {
    const { own, errors } = splitErrorEvents(rows);
    // The batcher of a signal holds only that signal's rows (T) and error events.
    if (own.length > 0) await insertOwn(own as T[]);
    if (errors.length > 0) await insertErrors(errors);
  };
}

/**
 * Error event ids written lately. An export retried after its answer was lost (an SDK timeout, a dropped
 * connection) carries the same events again, and issue counters are sums filled at insert time: without this
 * an issue would count the retried events twice. Event ids are stable (Sentry's `event_id`; for OTLP derived from
 * trace, span and time). Ids are remembered only after their insert succeeded, so the retry of a failed insert
 * goes through; the oldest are forgotten first. A restart forgets them all (a retry across it can count twice).
 */
export class RecentEventIds {
  private readonly ids = new Set<string>();
  private readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  has(key: string): boolean {
    return this.ids.has(key);
  }

  remember(keys: Iterable<string>): void {
    for (const key of keys) {
      this.ids.delete(key);
      this.ids.add(key);
    }
    for (const oldest of this.ids) {
      if (this.ids.size <= this.capacity) break;
      this.ids.delete(oldest);
    }
  }
}

/** Event ids remembered per collector (~100 bytes each: ~10 MB). */
export const RECENT_EVENT_IDS = 100_000;

/** An error event insert that leaves out events written lately or repeated within the batch. */
export function skipRepeatedEvents(insert: (rows: Row[]) => Promise<void>, recent: RecentEventIds): (rows: Row[]) => Promise<void> {
  return async (rows) => {
    const fresh: Row[] = [];
    const keys = new Set<string>();
    for (const row of rows) {
      const key = `${String(row.ProjectId)}/${String(row.EventId)}`;
      if (recent.has(key) || keys.has(key)) continue;
      keys.add(key);
      fresh.push(row);
    }
    if (fresh.length > 0) await insert(fresh);
    recent.remember(keys);
  };
}
