/** A fake OTLP/HTTP receiver for the bridge's own tests: records each request and decodes it. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { decodeLogs, decodeTraces, type LogRecord, type Span } from '@faultline/proto';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  spans: Span[];
  logs: LogRecord[];
}

export interface Receiver {
  url: string;
  requests: Received[];
  spans(): Span[];
  logs(): LogRecord[];
  /** Resolves with the first span `match` accepts, polling until the timeout. */
  waitForSpan(match: (span: Span) => boolean, timeoutMs?: number): Promise<Span>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const format = String(req.headers['content-type']).includes('json') ? 'json' : 'protobuf';
      const path = req.url ?? '';
      requests.push({
        path,
        headers: req.headers,
        spans: path === '/v1/traces' ? decodeTraces(body, format).items : [],
        logs: path === '/v1/logs' ? decodeLogs(body, format).items : [],
      });
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/x-protobuf' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const spans = () => requests.flatMap((r) => r.spans);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    spans,
    logs: () => requests.flatMap((r) => r.logs),
    async waitForSpan(match, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = spans().find(match);
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(
            `no matching span among ${spans()
              .map((s) => s.name)
              .join(', ')}`,
          );
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
