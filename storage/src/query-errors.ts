/**
 * Whether a failed read hit `max_execution_time`. Neither client puts the server's error name in the message it
 * throws (chDB: "Timeout exceeded: elapsed …", with the `DB::Exception … (TIMEOUT_EXCEEDED)` text only in its
 * `cause`; @clickhouse/client: the same message with `type: 'TIMEOUT_EXCEEDED'`), so the error's fields and causes
 * are read, not its text alone.
 */
export function isQueryTimeout(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const { type, code } = e as Error & { type?: unknown; code?: unknown };
    if (type === 'TIMEOUT_EXCEEDED' || code === '159' || code === 159) return true;
    if (/TIMEOUT_EXCEEDED|Timeout exceeded: elapsed/.test(e.message)) return true;
  }
  return false;
}
