/**
 * A bounded least-recently-used map whose entries also expire. The symbolicator keeps promises in it, so
 * concurrent requests for one key share a single load instead of each starting their own.
 */
export class TtlLru<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();
  private readonly maxEntries: number;

  constructor(maxEntries: number) {
    this.maxEntries = Math.max(1, Math.floor(maxEntries));
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string, now: number): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= now) return undefined;
    // Re-inserting moves the key to the young end of the Map's insertion order.
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, expiresAt: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  /** Changes how long an entry lives without counting as a use (a load finished and its outcome is known). */
  expire(key: string, expiresAt: number): void {
    const entry = this.entries.get(key);
    if (entry) entry.expiresAt = expiresAt;
  }
}
