/**
 * Lookups reused for a short while: the load runs once per key per `ttlMs` (callers arriving meanwhile share its
 * promise), a failed load is forgotten at once, and `keep` can refuse to hold a result (e.g. "not found", so a new
 * project is visible on the next call). At most `maxEntries` keys; when full, all are dropped.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; until: number }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly keep: (value: V) => boolean;

  constructor(ttlMs: number, options: { maxEntries?: number; keep?: (value: V) => boolean } = {}) {
    this.ttlMs = ttlMs;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.keep = options.keep ?? (() => true);
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && hit.until > Date.now()) return hit.value;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const value = load();
    const entry = { value, until: Date.now() + this.ttlMs };
    this.entries.set(key, entry);
    const forget = (): void => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    };
    value.then((v) => (this.keep(v) ? undefined : forget()), forget);
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
