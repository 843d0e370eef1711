/** Ways to hand bytes to a running collector: fetch, a raw-bytes gRPC client, raw HTTP/2 frames, streamed uploads. */
import { request } from 'node:http';
import { connect } from 'node:http2';
import * as grpc from '@grpc/grpc-js';
import type { Signal } from './otlp-requests.ts';

export interface HttpAnswer {
  status: number;
  text: string;
  retryAfter: string | null;
}

export async function postHttp(
  base: string,
  path: string,
  body: Uint8Array | string,
  headers: Record<string, string>,
): Promise<HttpAnswer> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : Buffer.from(body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, text: await res.text(), retryAfter: res.headers.get('retry-after') };
}

export const GRPC_PATHS: Record<Signal, string> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
};

export interface GrpcAnswer {
  code: number;
  details: string;
  /** Whether google.rpc.Status details (RetryInfo) came along. */
  hasStatusDetails: boolean;
}

const identity = (b: Buffer): Buffer => b;

/** One channel, many unary calls with raw bytes: our bytes reach the server exactly as given. */
export class RawGrpcClient {
  private readonly client: grpc.Client;
  private readonly key: string;

  constructor(address: string, key: string, options: grpc.ChannelOptions = {}) {
    this.client = new grpc.Client(address, grpc.credentials.createInsecure(), options);
    this.key = key;
  }

  export(signal: Signal, body: Uint8Array, timeoutMs = 30_000): Promise<GrpcAnswer> {
    const metadata = new grpc.Metadata();
    metadata.set('authorization', `Bearer ${this.key}`);
    return new Promise((resolve) => {
      this.client.makeUnaryRequest(
        GRPC_PATHS[signal],
        identity,
        identity,
        Buffer.from(body),
        metadata,
        { deadline: Date.now() + timeoutMs },
        (err) => {
          if (!err) return resolve({ code: 0, details: '', hasStatusDetails: false });
          resolve({ code: err.code, details: err.details, hasStatusDetails: err.metadata?.get('grpc-status-details-bin').length > 0 });
        },
      );
    });
  }

  close(): void {
    this.client.close();
  }
}

/** A gRPC message frame: compressed flag, 4-byte big-endian length, payload (the length may lie). */
export function grpcFrame(payload: Buffer, compressed: boolean, declaredLength = payload.length): Buffer {
  const head = Buffer.alloc(5);
  head[0] = compressed ? 1 : 0;
  head.writeUInt32BE(declaredLength, 1);
  return Buffer.concat([head, payload]);
}

/** Sends hand-made gRPC frames over plain HTTP/2 and reads grpc-status from headers or trailers. */
export function rawHttp2Grpc(
  address: string,
  key: string,
  path: string,
  frames: Buffer,
  extra: Record<string, string> = {},
): Promise<{ status: number; message: string }> {
  return new Promise((resolve, reject) => {
    const session = connect(`http://${address}`);
    session.on('error', reject);
    const stream = session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/grpc',
      te: 'trailers',
      authorization: `Bearer ${key}`,
      ...extra,
    });
    let status: number | null = null;
    let message = '';
    const take = (h: Record<string, unknown>) => {
      if (h['grpc-status'] !== undefined) status = Number(h['grpc-status']);
      if (h['grpc-message'] !== undefined) message = decodeURIComponent(String(h['grpc-message']));
    };
    stream.on('response', take);
    stream.on('trailers', take);
    stream.on('data', () => undefined);
    stream.on('error', reject);
    stream.setTimeout(60_000, () => stream.close());
    stream.on('close', () => {
      session.close();
      if (status === null) reject(new Error('gRPC stream closed without grpc-status'));
      else resolve({ status, message });
    });
    stream.end(frames);
  });
}

/**
 * Uploads `total` bytes from `chunks()` with chunked encoding (or a declared Content-Length), stopping as soon
 * as the server answers, like a well-behaved client. Never holds more than one chunk.
 */
export function streamUpload(
  url: string,
  headers: Record<string, string>,
  chunks: () => Iterable<Buffer>,
): Promise<{ status: number; sent: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers });
    let sent = 0;
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, sent, text });
      });
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const pump = async () => {
      for (const chunk of chunks()) {
        if (answered || req.destroyed) return;
        sent += chunk.length;
        // 'close' too: a server that hung up never drains.
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r).once('close', r));
      }
      if (!answered && !req.destroyed) req.end();
    };
    pump().catch(reject);
  });
}
