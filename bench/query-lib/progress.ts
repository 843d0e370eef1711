/** Console output of bench/query.ts: plain lines, and progress lines stamped with the seconds since start. */
import { performance } from 'node:perf_hooks';

const t0 = performance.now();
const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s`;
export const log = (s: string) => console.log(s);
export const progress = (s: string) => console.log(`[${elapsed()}] ${s}`);
export const fmtN = (n: number) => n.toLocaleString('en-US');
/** Whole seconds since the benchmark started. */
export const totalSeconds = () => Math.round((performance.now() - t0) / 1000);
/** Seconds since `start` (a performance.now() value), to 0.1 s. */
export const secondsSince = (start: number) => Math.round((performance.now() - start) / 100) / 10;

export async function timed<T>(what: string, f: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = performance.now();
  const value = await f();
  const seconds = secondsSince(start);
  progress(`${what}: ${seconds} s`);
  return { value, seconds };
}
