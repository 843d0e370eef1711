/**
 * A Node service set up with `instrumentations: 'auto'` (@opentelemetry/auto-instrumentations-node, 2.x line,
 * from the root devDependencies). Run by tests/sdk/auto-instrumentations.test.ts.
 *
 * GET /order calls GET /stock on itself with the global `fetch` (undici), which node:http's instrumentation
 * does not see: with 'auto' it is the undici instrumentation of the auto bundle, configured by the bridge,
 * that traces the call and injects its traceparent.
 */
import { createServer } from 'node:http';
import { captureException, init, shutdown } from '@faultline/sdk-bridge/node';

init({
  endpoint: process.env.FAULTLINE_ENDPOINT ?? '',
  key: process.env.FAULTLINE_KEY ?? '',
  serviceName: 'auto-app',
  release: 'auto-app@1.0.0',
  instrumentations: 'auto',
  exportIntervalMs: 100,
});

const server = createServer((req, res) => {
  if (req.url === '/stock') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"espresso":0}');
    return;
  }
  const { port } = server.address() as { port: number };
  void fetch(`http://127.0.0.1:${port}/stock`)
    .then((r) => r.json())
    .then((stock) => {
      const ids = captureException(new RangeError(`out of stock: ${JSON.stringify(stock)}`));
      res.writeHead(409, { 'content-type': 'application/json' }).end(JSON.stringify(ids));
    });
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  console.log(`auto-app listening on http://127.0.0.1:${port}`);
});

process.once('SIGTERM', () => {
  server.close();
  void shutdown().then(() => process.exit(0));
});
