// Keyboard cursor and bulk-action helpers for the issue list. Pure (the PATCH is injected).

/** Next cursor position for j (+1) / k (-1); from "no cursor" (-1) both land on the first row. */
export function moveCursor(current: number, delta: number, length: number): number {
  if (length <= 0) return -1;
  if (current < 0 || current >= length) return 0;
  return Math.min(length - 1, Math.max(0, current + delta));
}

export interface BulkResult {
  ok: string[];
  failed: { id: string; message: string }[];
}

/** Runs `update` once per id (a few at a time) and collects the failures instead of stopping. */
export async function runBulk(
  ids: readonly string[],
  update: (id: string) => Promise<unknown>,
  describe: (err: unknown) => string,
  concurrency = 4,
): Promise<BulkResult> {
  const result: BulkResult = { ok: [], failed: [] };
  let next = 0;
  async function worker(): Promise<void> {
    while (next < ids.length) {
      const id = ids[next++] as string;
      try {
        await update(id);
        result.ok.push(id);
      } catch (err) {
        result.failed.push({ id, message: describe(err) });
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
  return result;
}

/** One line for the bulk outcome: '' when everything worked. */
export function bulkFailureText(result: BulkResult): string {
  if (result.failed.length === 0) return '';
  const total = result.ok.length + result.failed.length;
  const messages = [...new Set(result.failed.map((f) => f.message))].join('; ');
  return `${result.failed.length} of ${total} issue${total === 1 ? '' : 's'} could not be updated: ${messages}`;
}
