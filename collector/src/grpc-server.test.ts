import { connect, type ClientHttp2Session } from 'node:http2';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type * as grpc from '@grpc/grpc-js';
import { createIngestGrpcServer, GRPC_CONNECTION_WINDOW_BYTES, GRPC_STREAM_WINDOW_BYTES, listenGrpc } from './grpc-server.ts';
import type { IngestDeps } from './ingest.ts';

let server: grpc.Server;
let port = 0;

beforeAll(async () => {
  // No request is sent: the deps are never touched, only the HTTP/2 settings the server announces.
  server = createIngestGrpcServer({} as IngestDeps, { maxMessageBytes: 4 * 1024 * 1024 });
  port = await listenGrpc(server, '127.0.0.1', 0);
});

afterAll(async () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())));

test('the gRPC server opens wide HTTP/2 windows, so an export is not paced by 64 KiB window updates', async () => {
  const session: ClientHttp2Session = connect(`http://127.0.0.1:${port}`);
  try {
    const settings = await new Promise<{ initialWindowSize?: number }>((resolve) => session.once('remoteSettings', resolve));
    expect(settings.initialWindowSize).toBe(GRPC_STREAM_WINDOW_BYTES);
    // The connection window grows by a WINDOW_UPDATE right after the handshake.
    const deadline = Date.now() + 2_000;
    while ((session.state.remoteWindowSize ?? 0) < GRPC_CONNECTION_WINDOW_BYTES && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(session.state.remoteWindowSize).toBe(GRPC_CONNECTION_WINDOW_BYTES);
  } finally {
    session.close();
  }
});
