import type { Http2Server } from 'node:http2';
import { format } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import { authenticate, ingest, type IngestDeps, type IngestResult, type Signal } from './ingest.ts';
import { ListenError } from './listen-error.ts';
import { toGrpc } from './results.ts';

export interface GrpcIngestOptions {
  /** Largest message after decompression, in bytes. Default 4 MiB. */
  maxMessageBytes: number;
}

const SERVICES: Record<Signal, string> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
};

const identity = (b: Buffer): Buffer => b;

/** Raw-bytes service definition: grpc-js hands us the message Buffer and our decoder does the rest. */
function definition(path: string): grpc.ServiceDefinition {
  return {
    Export: {
      path,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  };
}

function reply(callback: grpc.sendUnaryData<Buffer>, result: IngestResult, signal: Signal): void {
  const answer = toGrpc(result, signal);
  if (answer.code === grpc.status.OK) {
    callback(null, Buffer.from(answer.response ?? new Uint8Array()));
    return;
  }
  const metadata = new grpc.Metadata();
  if (answer.details) metadata.set('grpc-status-details-bin', Buffer.from(answer.details));
  callback({ code: answer.code, details: answer.message, metadata });
}

function handler(deps: IngestDeps, signal: Signal): grpc.handleUnaryCall<Buffer, Buffer> {
  return (call, callback) => {
    const presented = call.metadata.get('authorization')[0] ?? call.metadata.get('x-faultline-key')[0];
    const work = async (): Promise<IngestResult> => {
      const auth = await authenticate(deps, typeof presented === 'string' ? presented : presented?.toString(), signal, 'grpc');
      if (!auth.ok) return auth.result;
      return ingest(deps, signal, auth.projectId, call.request, 'protobuf', 'grpc');
    };
    work().then(
      (result) => reply(callback, result, signal),
      (err: unknown) => callback({ code: grpc.status.INTERNAL, details: `internal error: ${(err as Error).message}` }),
    );
  };
}

/** HTTP/2 receive windows of the gRPC server: per stream, and per connection (streams of one client share it). */
export const GRPC_STREAM_WINDOW_BYTES = 1024 * 1024;
export const GRPC_CONNECTION_WINDOW_BYTES = 16 * 1024 * 1024;

interface GrpcServerInternals {
  commonServerOptions?: { settings?: Record<string, unknown> };
  createHttp2Server?: (credentials: unknown) => Http2Server;
}

/**
 * HTTP/2's default 64 KiB windows make a client stop every 64 KiB of an export until the server's event loop
 * answers with a WINDOW_UPDATE; with the loop busy encoding a batch, a 224 KB request took 40 ms to arrive
 * (1.3 ms with these windows), so gRPC exporters joined later batches than HTTP ones: under bench:ingest's load
 * their p50 was ~460 ms against HTTP's ~290, and is now equal to it (~310–360 ms); total throughput within noise.
 * grpc-js has no server option for this, so the window is set on the HTTP/2 server it creates (its internals,
 * checked by grpc-server.test.ts; if a grpc-js upgrade moves them, ingest still works with the default windows).
 */
function widenFlowControl(server: grpc.Server): void {
  const internals = server as unknown as GrpcServerInternals;
  const common = internals.commonServerOptions;
  const create = internals.createHttp2Server;
  if (!common || typeof create !== 'function') return;
  common.settings = { ...common.settings, initialWindowSize: GRPC_STREAM_WINDOW_BYTES };
  internals.createHttp2Server = (credentials) => {
    const http2Server = create.call(server, credentials);
    http2Server.on('session', (session) => {
      const widen = (): void => session.setLocalWindowSize(GRPC_CONNECTION_WINDOW_BYTES);
      if (session.connecting) session.once('connect', widen);
      else widen();
    });
    return http2Server;
  };
}

/** OTLP/gRPC on 4317: Trace, Logs and Metrics services, gzip accepted. */
export function createIngestGrpcServer(deps: IngestDeps, options: GrpcIngestOptions): grpc.Server {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': options.maxMessageBytes,
    'grpc.max_send_message_length': 4 * 1024 * 1024,
  });
  widenFlowControl(server);
  for (const signal of Object.keys(SERVICES) as Signal[]) {
    server.addService(definition(SERVICES[signal]), { Export: handler(deps, signal) });
  }
  return server;
}

/** gRPC's own log lines (it prints failed binds to stderr itself), as lines for the caller's logger. */
export function routeGrpcLogs(write: (line: string) => void): void {
  const line = (...args: unknown[]): void => write(format(...args));
  grpc.setLogger({ error: line, info: line, debug: line });
}

export async function listenGrpc(server: grpc.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    server.bindAsync(target, grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(new ListenError('otlp-grpc', host, port, err)) : resolve(bound)));
  });
}
