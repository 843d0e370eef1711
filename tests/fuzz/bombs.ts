/** Oversized inputs built without ever holding them: streamed zeros and a gzip bomb. */
import { constants, createGzip } from 'node:zlib';

const MiB = 1024 * 1024;

/** `total` bytes of zeros as 1 MiB chunks of one shared buffer. */
export function* zeroChunks(total: number, chunkSize = MiB): Generator<Buffer> {
  const zero = Buffer.alloc(chunkSize);
  for (let left = total; left > 0; left -= chunkSize) yield left >= chunkSize ? zero : zero.subarray(0, left);
}

/** gzip of `inflated` zero bytes, compressed as a stream (1 GiB of zeros → about 1 MiB). */
export async function gzipBomb(inflated: number): Promise<Buffer> {
  // Run-length strategy: same ~1000:1 ratio on zeros as level 9, about five times faster.
  const gzip = createGzip({ level: 9, strategy: constants.Z_RLE });
  const out: Buffer[] = [];
  gzip.on('data', (c: Buffer) => out.push(c));
  const done = new Promise<void>((resolve, reject) => gzip.on('end', resolve).on('error', reject));
  for (const chunk of zeroChunks(inflated)) {
    if (!gzip.write(chunk)) await new Promise((r) => gzip.once('drain', r));
  }
  gzip.end();
  await done;
  return Buffer.concat(out);
}

/** Samples this process's RSS every 20 ms while `work` runs; returns its result and the peak growth in MB. */
export async function peakRssGrowth<T>(work: () => Promise<T>): Promise<{ result: T; baseMb: number; peakGrowthMb: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, baseMb: Math.round(base / MiB), peakGrowthMb: Math.round((peak - base) / MiB) };
  } finally {
    clearInterval(timer);
  }
}
