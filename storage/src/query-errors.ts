/**
 * Whether a failed read hit `max_execution_time`. Neither client puts the server's error name in the message it
 * throws (chDB: "Timeout exceeded: elapsed …", with the `DB::Exception … (TIMEOUT_EXCEEDED)` text only in its
 * `cause`; @clickhouse/client: the same message with `type: 'TIMEOUT_EXCEEDED'`), so the error's fields and causes
 * are read, not its text alone.
 */
export function isQueryTimeout(err: unknown): boolean {
  return hasServerError(err, 'TIMEOUT_EXCEEDED', 159, /TIMEOUT_EXCEEDED|Timeout exceeded: elapsed/);
}

/** Whether a failed read produced more rows than `max_result_rows` allows (read the same way as a timeout). */
export function isResultTooLarge(err: unknown): boolean {
  return hasServerError(err, 'TOO_MANY_ROWS_OR_BYTES', 396, /TOO_MANY_ROWS_OR_BYTES|Limit for result exceeded/);
}

function hasServerError(err: unknown, name: string, number: number, text: RegExp): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const { type, code } = e as Error & { type?: unknown; code?: unknown };
    if (type === name || code === String(number) || code === number) return true;
    if (text.test(e.message)) return true;
  }
  return false;
}
