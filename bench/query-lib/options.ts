/** Command line of bench/query.ts. */
import { parseArgs } from 'node:util';

export const USAGE = `npm run bench:query -- [options]
  --spans <n>        spans to seed (default 10000000; traces = spans / 10)
  --quick            1,000,000 spans and 30 rounds: for development
  --errors <n>       error events (default 100000)
  --issues <n>       issues they group into (default 300, Zipf-like)
  --rounds <n>       timed calls per variant and endpoint (default 100, --quick 30)
  --warmup <n>       untimed rounds first (default 3)
  --max-seconds <s>  per endpoint: stop after this long once 20 rounds are timed (default 60)
  --only <ids>       comma-separated case ids (trace_by_id, attr_search_1h, op_search_1h, red_24h, issues_list,
                     service_map_1h, attr_search_24h, attr_search_common_1h, attr_search_any_1h, op_search_24h,
                     operations_red_24h, red_24h_raw_spans, issues_list_sparklines, issues_list_24h, traces_24h,
                     traces_24h_duration, traces_24h_service_duration, releases_list)
  --data-dir <dir>   keep the data here; a later run with the same --spans/--errors reuses it (no seeding)
  --keep             keep the temporary data directory
  --no-otel          skip the otel_traces comparison
  --no-optimize      skip OPTIMIZE … FINAL after seeding (measure the parts as inserted)`;

export interface Options {
  spans: number;
  errors: number;
  issues: number;
  rounds: number;
  warmup: number;
  maxSeconds: number;
  only: string[] | null;
  dataDir: string | null;
  keep: boolean;
  otel: boolean;
  optimize: boolean;
  quick: boolean;
}

export function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      spans: { type: 'string' },
      quick: { type: 'boolean', default: false },
      errors: { type: 'string' },
      issues: { type: 'string' },
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      'max-seconds': { type: 'string' },
      only: { type: 'string' },
      'data-dir': { type: 'string' },
      keep: { type: 'boolean', default: false },
      'no-otel': { type: 'boolean', default: false },
      'no-optimize': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (raw: string | undefined, fallback: number, name: string, min = 1) => {
    if (raw === undefined) return fallback;
    const n = Number(raw.replaceAll('_', ''));
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got "${raw}"`);
    return n;
  };
  const quick = values.quick;
  let spans = int(values.spans, quick ? 1_000_000 : 10_000_000, 'spans', 20);
  spans = Math.ceil(spans / 20) * 20; // whole pairs of traces (every two traces hold 20 spans)
  return {
    spans,
    errors: int(values.errors, 100_000, 'errors'),
    issues: int(values.issues, 300, 'issues', 2),
    rounds: int(values.rounds, quick ? 30 : 100, 'rounds'),
    warmup: int(values.warmup, 3, 'warmup', 0),
    maxSeconds: int(values['max-seconds'], 60, 'max-seconds'),
    only: values.only ? values.only.split(',').map((s) => s.trim()) : null,
    dataDir: values['data-dir'] ?? null,
    keep: values.keep,
    otel: !values['no-otel'],
    optimize: !values['no-optimize'],
    quick,
  };
}
