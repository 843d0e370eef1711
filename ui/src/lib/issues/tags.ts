// Issue tag distributions (GET …/issues/{id}/tags). Pure.

export interface TagRow {
  key?: unknown;
  values?: { value?: unknown; count?: unknown }[];
}

/** Events of the issue attributed to `service` by its tag distribution (0 when none). */
export function serviceCount(tags: readonly TagRow[], service: string): number {
  const row = tags.find((t) => t.key === 'service');
  const hit = (row?.values ?? []).find((v) => v.value === service);
  const n = Number(hit?.count);
  return Number.isFinite(n) ? n : 0;
}
