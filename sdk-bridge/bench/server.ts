/**
 * Target of bench/sdk.ts: a small node:http JSON server, with the Node bridge when BENCH_BRIDGE=1.
 * Prints `listening <port>` once ready. Each variant runs in its own process, since the bridge patches
 * node:http for the whole process.
 */
const withBridge = process.env.BENCH_BRIDGE === '1';
if (withBridge) {
  const { init } = await import('@faultline/sdk-bridge/node');
  init({ endpoint: process.env.BENCH_ENDPOINT ?? 'http://127.0.0.1:4318', key: 'bench', serviceName: 'bench-server', release: 'bench' });
}
const { createServer } = await import('node:http');

const body = JSON.stringify({ ok: true, items: [1, 2, 3] });
const server = createServer((req, res) => {
  // CPU time of this process, read by the benchmark around its measured window: under a noisy machine,
  // CPU per request is steadier than requests per second.
  if (req.url === '/__cpu') {
    const { user, system } = process.cpuUsage();
    res.end(String(user + system));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as { port: number }).port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
