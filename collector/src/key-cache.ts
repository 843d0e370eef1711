/**
 * Ingest key → project, answered from memory. The cache reloads on a short interval so a revoked key is
 * refused within seconds everywhere, and an unknown key triggers at most one reload per interval (a flood
 * of bad keys cannot turn into a flood of queries).
 */
export type KeyLoader = () => Promise<Map<string, number>>;

export class KeyCache {
  private keys = new Map<string, number>();
  private loadedAt = 0;
  private loading: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly load: KeyLoader;
  private readonly refreshMs: number;

  constructor(load: KeyLoader, refreshMs: number) {
    this.load = load;
    this.refreshMs = refreshMs;
  }

  async start(): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => void this.reload().catch(() => undefined), this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private reload(): Promise<void> {
    this.loading ??= this.load()
      .then((keys) => {
        this.keys = keys;
        this.loadedAt = Date.now();
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }

  /**
   * The project of a key, or null. An unknown key causes a reload when the cache is older than 200 ms (a key
   * created a moment ago works at once; a flood of bad keys costs at most five reloads a second).
   */
  async resolve(key: string): Promise<number | null> {
    const hit = this.keys.get(key);
    if (hit !== undefined) return hit;
    if (this.loading) await this.loading.catch(() => undefined);
    else if (Date.now() - this.loadedAt > 200) {
      try {
        await this.reload();
      } catch {
        return null;
      }
    }
    return this.keys.get(key) ?? null;
  }
}
