/**
 * Error events extracted from spans or log records travel in the same batch as the rows they came from, so
 * one request's rows share one group commit (a separate error batcher formed other groups, and every request
 * then waited for two unrelated inserts). They are marked with a symbol key, which column lists and JSON
 * encoding ignore.
 */
const ERROR_EVENT = Symbol('faultline.errorEvent');

type Row = Record<string, unknown>;

export function withErrorEvents(rows: readonly Row[], errorRows: readonly Row[]): Row[] {
  if (errorRows.length === 0) return rows as Row[];
  for (const row of errorRows) (row as Record<symbol, unknown>)[ERROR_EVENT] = true;
  return rows.concat(errorRows);
}

/** Splits a batch into the signal's own rows and the error events that came with them. */
export function splitErrorEvents(rows: readonly object[]): { own: Row[]; errors: Row[] } {
  const own: Row[] = [];
  const errors: Row[] = [];
  for (const row of rows) ((row as Record<symbol, unknown>)[ERROR_EVENT] === true ? errors : own).push(row as Row);
  return { own, errors };
}

/** An insert function for a batch of rows plus their error events: the rows first, then the events. */
export function withErrorInsert(
  insertOwn: (rows: Row[]) => Promise<void>,
  insertErrors: (rows: Row[]) => Promise<void>,
): (rows: object[]) => Promise<void> {
  return async (rows) => {
    const { own, errors } = splitErrorEvents(rows);
    if (own.length > 0) await insertOwn(own);
    if (errors.length > 0) await insertErrors(errors);
  };
}
