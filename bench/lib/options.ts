/** Command line (`--duration 30`) and environment (`BENCH_DURATION=30`) options of bench/ingest.ts. */
import { parseArgs } from 'node:util';

export interface BenchOptions {
  warmupSeconds: number;
  durationSeconds: number;
  clients: number;
  grpcClients: number;
  poolRequests: number;
  spansPerRequest: number;
  errorRate: number;
  rawRows: number;
  overload: boolean;
  overloadSeconds: number;
  overloadFactor: number;
  overloadQueueRows: number;
  keep: boolean;
  /** Run the server with --cpu-prof and summarize where its main thread spent the time. */
  cpuProf: boolean;
  /** Server settings: the benchmark's defaults, each overridable by the same FAULTLINE_* variable. */
  serverEnv: Record<string, string>;
}

export const USAGE = `npm run bench:ingest -- [options]      (each also as env BENCH_<NAME>, e.g. BENCH_DURATION=30)
  --duration <s>          measured window per phase (default 60)
  --warmup <s>            warm-up before the window (default 10)
  --clients <n>           concurrent clients (default 32: enough rows in flight to keep the server busy;
                          with 8, each insert holds at most 4,096 rows and the figure is a round-trip bound), half gRPC, half HTTP/protobuf
  --grpc-clients <n>      how many of them use gRPC (default clients/2)
  --pool <n>              distinct prebuilt requests (default 32)
  --spans <n>             spans per request (default 512)
  --error-rate <x>        share of spans with an exception event (default 0.02)
  --raw-rows <n>          rows per raw insert path (default 300000; each path stops after 20 s)
  --overload              add the overload phase (~2x the sustained rate, small queue)
  --overload-duration <s> its window (default 30)
  --overload-factor <x>   offered load / sustained rate (default 2)
  --overload-queue <rows> FAULTLINE_QUEUE_MAX_ROWS in that phase (default 20000)
  --cpu-prof              profile the server's main thread (V8 --cpu-prof) and print a summary
  --keep                  keep the temporary data directories and server logs
Server settings come from FAULTLINE_* variables (e.g. FAULTLINE_BATCH_MAX_DELAY_MS=50).`;

const SPEC = {
  duration: 60,
  warmup: 10,
  clients: 32,
  'grpc-clients': -1,
  pool: 32,
  spans: 512,
  'error-rate': 0.02,
  'raw-rows': 300_000,
  'overload-duration': 30,
  'overload-factor': 2,
  'overload-queue': 20_000,
} as const;

function numberOption(values: Record<string, unknown>, name: keyof typeof SPEC): number {
  const raw = values[name] ?? process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`];
  if (raw === undefined || raw === '') return SPEC[name];
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got "${String(raw)}"`);
  return n;
}

function flag(values: Record<string, unknown>, name: string): boolean {
  const env = process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`];
  return values[name] === true || env === '1' || env === 'true';
}

/** Set by the benchmark (data dir, ports, credentials) or CLI-only (URL, TOKEN, KEY): not passed on from the environment. */
const OWNED = /^FAULTLINE_(DATA_DIR|HOST|OTLP_GRPC_PORT|OTLP_HTTP_PORT|HTTP_PORT|BOOTSTRAP_.*|CLICKHOUSE_URL|URL|TOKEN|KEY)$/;

function serverEnv(): Record<string, string> {
  const env: Record<string, string> = {
    FAULTLINE_LOG_LEVEL: 'warn',
    // Room for every client's request in flight: refusals would measure the queue bound, not throughput.
    FAULTLINE_QUEUE_MAX_ROWS: '1000000',
  };
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('FAULTLINE_') && !OWNED.test(key) && value !== undefined) env[key] = value;
  }
  return env;
}

export function parseOptions(argv: string[]): BenchOptions | null {
  const options = Object.fromEntries(Object.keys(SPEC).map((k) => [k, { type: 'string' as const }]));
  const { values } = parseArgs({
    args: argv,
    options: {
      ...options,
      overload: { type: 'boolean' },
      keep: { type: 'boolean' },
      'cpu-prof': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return null;
  const clients = Math.max(1, Math.round(numberOption(values, 'clients')));
  const grpc = numberOption(values, 'grpc-clients');
  return {
    warmupSeconds: numberOption(values, 'warmup'),
    durationSeconds: Math.max(1, numberOption(values, 'duration')),
    clients,
    grpcClients: grpc < 0 ? Math.ceil(clients / 2) : Math.min(clients, Math.round(grpc)),
    poolRequests: Math.max(1, Math.round(numberOption(values, 'pool'))),
    spansPerRequest: Math.max(1, Math.round(numberOption(values, 'spans'))),
    errorRate: numberOption(values, 'error-rate'),
    rawRows: Math.round(numberOption(values, 'raw-rows')),
    overload: flag(values, 'overload'),
    overloadSeconds: Math.max(1, numberOption(values, 'overload-duration')),
    overloadFactor: numberOption(values, 'overload-factor'),
    overloadQueueRows: Math.round(numberOption(values, 'overload-queue')),
    keep: flag(values, 'keep'),
    cpuProf: flag(values, 'cpu-prof'),
    serverEnv: serverEnv(),
  };
}
