/**
 * The two OTLP senders the load generator uses: grpc-js unary calls with raw Buffer (de)serializers, as
 * the collector's own service definition does, and HTTP/protobuf over a keep-alive node:http agent.
 * Each sender owns its connection, like one SDK exporter.
 */
import { Agent, request } from 'node:http';
import * as grpc from '@grpc/grpc-js';
import { otlpSchema } from '@faultline/proto';

export type Transport = 'grpc' | 'http';
export type Outcome = 'ok' | 'refused' | 'failed';

export interface SendResult {
  outcome: Outcome;
  /** Spans the server accepted (the request's spans minus partial-success rejections). */
  accepted: number;
  /** Failure text for 'failed' (and the refusal reason for 'refused'). */
  detail: string;
}

export interface Sender {
  transport: Transport;
  send(payload: Buffer, spans: number): Promise<SendResult>;
  close(): void;
}

const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const identity = (b: Buffer): Buffer => b;

function acceptedOf(response: Uint8Array, spans: number): number {
  if (response.length === 0) return spans;
  const decoded = otlpSchema().traceResponse.decode(response) as { partialSuccess?: { rejectedSpans?: number | { toNumber(): number } } };
  const rejected = decoded.partialSuccess?.rejectedSpans ?? 0;
  return spans - (typeof rejected === 'number' ? rejected : rejected.toNumber());
}

export function grpcSender(target: string, key: string): Sender {
  const client = new grpc.Client(target, grpc.credentials.createInsecure(), {
    // One HTTP/2 connection per sender instead of grpc-js's process-wide shared subchannel.
    'grpc.use_local_subchannel_pool': 1,
    'grpc.max_send_message_length': -1,
    'grpc.max_receive_message_length': -1,
  });
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${key}`);
  return {
    transport: 'grpc',
    send(payload, spans) {
      return new Promise((resolve) => {
        client.makeUnaryRequest(EXPORT_PATH, identity, identity, payload, metadata, {}, (err, response) => {
          if (!err) return resolve({ outcome: 'ok', accepted: acceptedOf(response ?? Buffer.alloc(0), spans), detail: '' });
          const refused = err.code === grpc.status.UNAVAILABLE || err.code === grpc.status.RESOURCE_EXHAUSTED;
          resolve({ outcome: refused ? 'refused' : 'failed', accepted: 0, detail: `grpc ${err.code}: ${err.details}` });
        });
      });
    },
    close: () => client.close(),
  };
}

/** `maxSockets`: requests this sender may have in flight (HTTP/1.1 has one per connection). */
export function httpSender(baseUrl: string, key: string, maxSockets: number): Sender {
  const url = new URL('/v1/traces', baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets });
  return {
    transport: 'http',
    send(payload, spans) {
      return new Promise((resolve) => {
        const req = request(
          url,
          {
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/x-protobuf', authorization: `Bearer ${key}`, 'content-length': payload.length },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const body = Buffer.concat(chunks);
              const status = res.statusCode ?? 0;
              if (status === 200) return resolve({ outcome: 'ok', accepted: acceptedOf(body, spans), detail: '' });
              const refused = status === 503 || status === 429;
              resolve({ outcome: refused ? 'refused' : 'failed', accepted: 0, detail: `http ${status}` });
            });
            res.on('error', (err) => resolve({ outcome: 'failed', accepted: 0, detail: `http response: ${err.message}` }));
          },
        );
        req.on('error', (err) => resolve({ outcome: 'failed', accepted: 0, detail: `http: ${err.message}` }));
        req.end(payload);
      });
    },
    close: () => agent.destroy(),
  };
}
