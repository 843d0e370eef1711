import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);

export type BodyResult =
  | { ok: true; body: Buffer }
  | { ok: false; status: 413 | 415 | 400; message: string };

/**
 * Reads a request body, enforcing the limit on the bytes received AND on the bytes after decompression
 * (a small gzip bomb must not expand into memory: CVE-2024-36129).
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  if (!['gzip', 'x-gzip', 'deflate', 'identity', 'none', ''].includes(encoding)) {
    req.resume();
    return { ok: false, status: 415, message: `unsupported Content-Encoding "${encoding}": use gzip, deflate or none` };
  }
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > maxBytes) {
    req.resume();
    return { ok: false, status: 413, message: `request body of ${declared} bytes exceeds the limit of ${maxBytes} bytes` };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      req.resume();
      return { ok: false, status: 413, message: `request body exceeds the limit of ${maxBytes} bytes` };
    }
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks, size);
  if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate') {
    try {
      const body = await (encoding === 'deflate' ? inflate : gunzip)(raw, { maxOutputLength: maxBytes });
      return { ok: true, body };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
        return { ok: false, status: 413, message: `decompressed body exceeds the limit of ${maxBytes} bytes` };
      }
      return { ok: false, status: 400, message: `body is not valid ${encoding} data: ${(err as Error).message}` };
    }
  }
  return { ok: true, body: raw };
}
