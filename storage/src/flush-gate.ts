/**
 * Keeps reads of the rollup Buffer tables and their flushes apart. A Buffer table read while it flushes can miss the
 * rows being flushed: they have left the buffer but are not in the table yet (measured on embedded chDB: reading
 * right after an insert, one read in ~1,000 around each flush saw the total without the newest insert). So reads
 * share the gate and a flush takes it alone.
 *
 * A flush waits for the reads already running, while new reads wait for it; when the running reads outlast
 * `patienceMs`, the flush gives up (the reads go on) and is tried again later, so a long report query never holds
 * the dashboards' quick reads behind it.
 */
export class FlushGate {
  private running = 0;
  private closed: Promise<void> | null = null;
  private drained: (() => void) | null = null;
  private readonly patienceMs: number;

  constructor(patienceMs: number) {
    this.patienceMs = patienceMs;
  }

  /** Runs a read; it waits while a flush holds the gate. */
  async shared<T>(read: () => Promise<T>): Promise<T> {
    while (this.closed) await this.closed;
    this.running++;
    try {
      return await read();
    } finally {
      this.running--;
      if (this.running === 0) this.drained?.();
    }
  }

  /** Runs `flush` with no read running; false when the running reads did not end within the patience. */
  async exclusive(flush: () => Promise<void>): Promise<boolean> {
    while (this.closed) await this.closed;
    let open = (): void => undefined;
    this.closed = new Promise<void>((resolve) => (open = resolve));
    try {
      if (this.running > 0 && !(await this.drain())) return false;
      await flush();
      return true;
    } finally {
      this.closed = null;
      open();
    }
  }

  private drain(): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.drained = null;
        resolve(false);
      }, this.patienceMs);
      this.drained = () => {
        clearTimeout(timer);
        this.drained = null;
        resolve(true);
      };
    });
  }
}
