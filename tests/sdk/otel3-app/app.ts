/**
 * An application on OpenTelemetry JS SDK 3.x — `@opentelemetry/sdk-node` 0.30x, `@opentelemetry/api` 1.10 and
 * `@opentelemetry/instrumentation-http`/`-undici` of the 3.x line from this directory's own node_modules, apart
 * from the repository's SDK 2.x — set up with @faultline/sdk-bridge/node. Run by tests/sdk/otel3.test.ts.
 *
 * GET /checkout records a breadcrumb, a manual span through the 3.x API with a captured exception inside it, an
 * outgoing call with node:http and one with fetch, and a log record, then answers 500 with the ids of the span
 * holding the exception.
 */
import { createServer, request } from 'node:http';
import { logs, SeverityNumber, trace } from '@opentelemetry/api';
import { addBreadcrumb, captureException, init, setUser, shutdown } from '@faultline/sdk-bridge/node';

init({
  endpoint: process.env.FAULTLINE_ENDPOINT ?? '',
  key: process.env.FAULTLINE_KEY ?? '',
  serviceName: 'otel3-app',
  release: 'otel3-app@3.0.0',
  environment: 'sdk3',
  // This file's node_modules hold the 3.x SDK; the bridge itself (linked from the workspace) would see 2.x.
  resolveFrom: import.meta.url,
  exportIntervalMs: 100,
});
addBreadcrumb({ category: 'app', message: 'started' });

class PaymentDeclinedError extends Error {}

function callOut(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
}

const server = createServer((req, res) => {
  if (req.url !== '/checkout') {
    res.writeHead(req.url === '/inventory' ? 409 : 404).end();
    return;
  }
  setUser({ id: 'u-3000', email: 'three@example.com' });
  addBreadcrumb({ category: 'checkout', message: 'cart validated', data: { items: 2 } });
  const { port } = server.address() as { port: number };
  const inventory = `http://127.0.0.1:${port}/inventory`;
  void callOut(inventory).then(async () => {
    await (await fetch(inventory)).arrayBuffer();
    const ids = trace.getTracer('otel3-app').startActiveSpan('charge card', (span) => {
      try {
        throw new PaymentDeclinedError('card declined by issuer');
      } catch (err) {
        return captureException(err, { tags: { 'http.route': '/checkout' } });
      } finally {
        span.end();
      }
    });
    logs.getLogger('otel3-app').emit({ body: 'checkout failed', severityNumber: SeverityNumber.ERROR, severityText: 'ERROR' });
    res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify(ids));
  });
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  console.log(`otel3-app listening on http://127.0.0.1:${port}`);
});

process.once('SIGTERM', () => {
  server.close();
  void shutdown().then(() => process.exit(0));
});
