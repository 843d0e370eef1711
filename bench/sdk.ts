/**
 * Overhead of the Node bridge: requests/s of a small node:http server without and with
 * @faultline/sdk-bridge/node (HTTP instrumentation, a span per request, batched OTLP export to a sink).
 * Short by default; both variants run in their own process, alternating for --rounds rounds.
 *
 * Run: npm run bench:sdk -- [--duration 3] [--warmup 1] [--concurrency 16] [--rounds 1]
 * (each also as env BENCH_<NAME>, e.g. BENCH_DURATION=10)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { duration: { type: 'string' }, warmup: { type: 'string' }, concurrency: { type: 'string' }, rounds: { type: 'string' } },
});
const num = (flag: string | undefined, env: string, fallback: number): number => Number(flag ?? process.env[env] ?? fallback);
const opts = {
  durationSeconds: num(values.duration, 'BENCH_DURATION', 3),
  warmupSeconds: num(values.warmup, 'BENCH_WARMUP', 1),
  concurrency: num(values.concurrency, 'BENCH_CONCURRENCY', 16),
  rounds: num(values.rounds, 'BENCH_ROUNDS', 1),
};
const SERVER = join(import.meta.dirname, '..', 'sdk-bridge', 'bench', 'server.ts');

/** Accepts the bridge's OTLP exports and throws them away, counting requests. */
async function startSink(): Promise<{ url: string; exports: () => number; close: () => void }> {
  let exports = 0;
  const sink = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      exports++;
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(sink.address() as { port: number }).port}`, exports: () => exports, close: () => sink.close() };
}

async function startTarget(bridge: boolean, endpoint: string): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, [SERVER], {
    env: { ...process.env, BENCH_BRIDGE: bridge ? '1' : '0', BENCH_ENDPOINT: endpoint },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { port, child };
}

/** Closed-loop load: `concurrency` keep-alive clients, each sending its next request when the last returns. */
async function load(port: number, seconds: number): Promise<{ requests: number; latenciesMs: number[] }> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const deadline = performance.now() + seconds * 1000;
  const latenciesMs: number[] = [];
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const started = performance.now();
      request({ host: '127.0.0.1', port, path: '/api/items', agent }, (res) => {
        res.resume();
        res.on('end', () => {
          latenciesMs.push(performance.now() - started);
          resolve();
        });
      })
        .on('error', reject)
        .end();
    });
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (performance.now() < deadline) await one();
    }),
  );
  agent.destroy();
  return { requests: latenciesMs.length, latenciesMs };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function cpuMicros(port: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/__cpu`);
  return Number(await res.text());
}

async function measure(bridge: boolean, endpoint: string): Promise<{ rps: number; cpuUsPerRequest: number; p50: number; p99: number }> {
  const { port, child } = await startTarget(bridge, endpoint);
  try {
    await load(port, opts.warmupSeconds);
    const cpuBefore = await cpuMicros(port);
    const { requests, latenciesMs } = await load(port, opts.durationSeconds);
    const cpu = (await cpuMicros(port)) - cpuBefore;
    const sorted = latenciesMs.sort((a, b) => a - b);
    return {
      rps: requests / opts.durationSeconds,
      cpuUsPerRequest: cpu / requests,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
    };
  } finally {
    child.kill('SIGTERM');
  }
}

const sink = await startSink();
const results: Array<{ round: number; variant: string; rps: number; cpuUsPerRequest: number; p50: number; p99: number }> = [];
for (let round = 1; round <= opts.rounds; round++) {
  for (const bridge of [false, true]) {
    const r = await measure(bridge, sink.url);
    results.push({ round, variant: bridge ? 'bridge' : 'baseline', ...r });
    console.log(
      `round ${round} ${bridge ? 'with bridge' : 'baseline   '}  ${r.rps.toFixed(0).padStart(7)} req/s   ${r.cpuUsPerRequest.toFixed(0).padStart(4)} µs CPU/request   p50 ${r.p50.toFixed(2)} ms   p99 ${r.p99.toFixed(2)} ms`,
    );
  }
}
sink.close();
const mean = (variant: string, field: 'rps' | 'cpuUsPerRequest') => {
  const rows = results.filter((r) => r.variant === variant);
  return rows.reduce((n, r) => n + r[field], 0) / rows.length;
};
const ratio = mean('bridge', 'rps') / mean('baseline', 'rps');
const cpuRatio = mean('bridge', 'cpuUsPerRequest') / mean('baseline', 'cpuUsPerRequest');
console.log(`\nthroughput with bridge / without: ${ratio.toFixed(3)} (${((1 - ratio) * 100).toFixed(1)}% fewer requests/s)`);
console.log(`server CPU per request with bridge / without: ${cpuRatio.toFixed(2)}x; ${sink.exports()} OTLP exports received`);
console.log(
  `settings: ${opts.durationSeconds}s measured after ${opts.warmupSeconds}s warm-up, ${opts.concurrency} clients, ${opts.rounds} round(s), ${process.version}`,
);
const dir = join(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(
  join(dir, `sdk-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
  JSON.stringify({ opts, results, ratio, cpuRatio }, null, 2),
);
