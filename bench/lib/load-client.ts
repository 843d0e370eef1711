/**
 * The load generator: ONE child process (forked by bench/ingest.ts) running every client with async
 * concurrency, so it shares the 2 cores with the server without multiplying event loops. Payloads are
 * encoded before the clock starts. Talks to its parent over IPC: config → ready → start → window-start →
 * window-end → done.
 */
import { buildPayloadPool } from './span-payloads.ts';
import { Tally, type LoadReport } from './tally.ts';
import { grpcSender, httpSender, type Sender } from './transports.ts';

export interface LoadConfig {
  grpcTarget: string;
  httpUrl: string;
  key: string;
  grpcClients: number;
  httpClients: number;
  warmupMs: number;
  durationMs: number;
  poolRequests: number;
  spansPerRequest: number;
  errorRate: number;
  seed: number;
  /** closed: each client sends its next request when the previous one was answered. open: fixed rate. */
  mode: 'closed' | 'open';
  /** Open mode: offered spans/s over all clients. */
  targetSpansPerSecond: number;
  /** Open mode: requests one client may have outstanding before it skips a send. */
  maxInFlightPerClient: number;
}

export type ParentMessage = { type: 'config'; config: LoadConfig } | { type: 'start' };
export type ChildMessage =
  | { type: 'ready'; poolBytes: number; requestBytes: number }
  | { type: 'window-start' }
  | { type: 'window-end' }
  | { type: 'done'; report: LoadReport; cpuMs: number; windowMs: number };

function post(message: ChildMessage): void {
  process.send?.(message);
}

function pool(config: LoadConfig): { next(): Buffer; bytes: number } {
  const payloads = buildPayloadPool({
    requests: config.poolRequests,
    spansPerRequest: config.spansPerRequest,
    errorRate: config.errorRate,
    seed: config.seed,
  });
  let i = 0;
  return { next: () => payloads[i++ % payloads.length] as Buffer, bytes: payloads.reduce((n, p) => n + p.length, 0) };
}

async function closedLoop(sender: Sender, next: () => Buffer, tally: Tally, endAt: number, spans: number): Promise<void> {
  while (performance.now() < endAt) {
    const began = performance.now();
    const result = await sender.send(next(), spans);
    const now = performance.now();
    tally.record(sender.transport, spans, result, now - began, now);
  }
}

/** Sends on a fixed schedule (absolute times, no drift); skips a tick when too many requests are outstanding. */
async function openLoop(
  sender: Sender,
  next: () => Buffer,
  tally: Tally,
  endAt: number,
  config: LoadConfig,
  offset: number,
): Promise<void> {
  const clients = config.grpcClients + config.httpClients;
  const intervalMs = (1000 * clients * config.spansPerRequest) / config.targetSpansPerSecond;
  const pending = new Set<Promise<void>>();
  const start = performance.now() + offset * (intervalMs / clients);
  for (let n = 0; ; n++) {
    const at = start + n * intervalMs;
    if (at >= endAt) break;
    const wait = at - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (pending.size >= config.maxInFlightPerClient) {
      tally.skip(sender.transport, performance.now());
      continue;
    }
    const began = performance.now();
    const p: Promise<void> = sender.send(next(), config.spansPerRequest).then((result) => {
      const now = performance.now();
      tally.record(sender.transport, config.spansPerRequest, result, now - began, now);
      pending.delete(p);
    });
    pending.add(p);
  }
  await Promise.all(pending);
}

async function run(config: LoadConfig, payloads: { next(): Buffer }): Promise<void> {
  const tally = new Tally();
  const senders: Sender[] = [];
  // Interleaved, so both transports start together and see the same server state.
  for (let i = 0; i < Math.max(config.grpcClients, config.httpClients); i++) {
    if (i < config.grpcClients) senders.push(grpcSender(config.grpcTarget, config.key));
    if (i < config.httpClients) senders.push(httpSender(config.httpUrl, config.key, config.maxInFlightPerClient));
  }
  for (const s of senders) tally.addClient(s.transport);
  const t0 = performance.now();
  tally.windowStart = t0 + config.warmupMs;
  tally.windowEnd = tally.windowStart + config.durationMs;
  let cpuAtStart = process.cpuUsage();
  const marks = [
    setTimeout(() => {
      cpuAtStart = process.cpuUsage();
      post({ type: 'window-start' });
    }, config.warmupMs),
  ];
  let cpuMs = 0;
  marks.push(
    setTimeout(() => {
      const used = process.cpuUsage(cpuAtStart);
      cpuMs = (used.user + used.system) / 1000;
      post({ type: 'window-end' });
    }, config.warmupMs + config.durationMs),
  );
  const loops = senders.map((s, i) =>
    config.mode === 'closed'
      ? closedLoop(s, payloads.next, tally, tally.windowEnd, config.spansPerRequest)
      : openLoop(s, payloads.next, tally, tally.windowEnd, config, i),
  );
  await Promise.all(loops);
  for (const m of marks) clearTimeout(m);
  for (const s of senders) s.close();
  post({ type: 'done', report: tally.report(), cpuMs, windowMs: config.durationMs });
}

let config: LoadConfig | null = null;
let payloads: { next(): Buffer } | null = null;
process.on('message', (message: ParentMessage) => {
  if (message.type === 'config') {
    config = message.config;
    const built = pool(config);
    payloads = built;
    post({ type: 'ready', poolBytes: built.bytes, requestBytes: Math.round(built.bytes / config.poolRequests) });
  } else if (message.type === 'start' && config && payloads) {
    run(config, payloads).then(
      () => process.disconnect(),
      (err: unknown) => {
        process.stderr.write(`load client failed: ${(err as Error).stack ?? String(err)}\n`);
        process.exit(1);
      },
    );
  }
});
