import * as grpc from '@grpc/grpc-js';
import { authenticate, ingest, type IngestDeps, type IngestResult, type Signal } from './ingest.ts';
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
      const auth = await authenticate(deps, typeof presented === 'string' ? presented : presented?.toString());
      if (!auth.ok) return auth.result;
      return ingest(deps, signal, auth.projectId, call.request, 'protobuf', 'grpc');
    };
    work().then(
      (result) => reply(callback, result, signal),
      (err: unknown) => callback({ code: grpc.status.INTERNAL, details: `internal error: ${(err as Error).message}` }),
    );
  };
}

/** OTLP/gRPC on 4317: Trace, Logs and Metrics services, gzip accepted. */
export function createIngestGrpcServer(deps: IngestDeps, options: GrpcIngestOptions): grpc.Server {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': options.maxMessageBytes,
    'grpc.max_send_message_length': 4 * 1024 * 1024,
  });
  for (const signal of Object.keys(SERVICES) as Signal[]) {
    server.addService(definition(SERVICES[signal]), { Export: handler(deps, signal) });
  }
  return server;
}

export async function listenGrpc(server: grpc.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound)));
  });
}
