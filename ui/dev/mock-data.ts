// Deterministic fake traces for the throwaway mock server (dev only, never part of the build).

type Attrs = Record<string, unknown>;
export interface MockSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: string;
  serviceName: string;
  startTimeUnixNano: string;
  durationNano: string;
  statusCode: string;
  statusMessage: string;
  attributes: Attrs;
  resource: Attrs;
  scope: { name: string; version: string };
  events: { timeUnixNano: string; name: string; attributes: Attrs }[];
  links: { traceId: string; spanId: string; traceState: string; attributes: Attrs }[];
}

export const SERVICES = ['frontend', 'checkout', 'payments', 'inventory', 'postgres'];
const OPS: Record<string, string[]> = {
  frontend: ['GET /cart', 'POST /checkout', 'GET /product/:id'],
  checkout: ['PlaceOrder', 'ValidateCart'],
  payments: ['Charge', 'Refund'],
  inventory: ['Reserve', 'Release'],
  postgres: ['SELECT orders', 'INSERT orders'],
};
export const operationsOf = (service: string): string[] => OPS[service] ?? [];

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const hex = (n: number, len: number): string => n.toString(16).padStart(len, '0').slice(-len);
export const traceIdOf = (i: number): string => `${hex(0xfa017 + i, 8)}${hex(i * 2654435761, 8)}`.padEnd(32, '0');

// 2^53 is ~9e15; real unix-nano timestamps are ~1.7e18, so BigInt is required end to end.
const NOW_NS = BigInt(Date.now()) * 1_000_000n;

function makeSpan(traceId: string, i: number, parent: string, service: string, name: string, startNs: bigint, durNs: bigint, error = false): MockSpan {
  return {
    traceId,
    spanId: hex(0x1000 + i, 16),
    parentSpanId: parent,
    name,
    kind: i === 0 ? 'SERVER' : service === 'postgres' ? 'CLIENT' : 'INTERNAL',
    serviceName: service,
    startTimeUnixNano: startNs.toString(),
    durationNano: durNs.toString(),
    statusCode: error ? 'ERROR' : i % 3 === 0 ? 'OK' : 'UNSET',
    statusMessage: error ? 'card declined: <b>insufficient funds</b>' : '',
    attributes: { 'span.index': i, 'http.method': 'POST', 'feature.flags': ['a', 'b'], 'retry': false, 'nested': { k: 1 }, 'empty': null },
    resource: { 'service.name': service, 'host.name': `host-${i % 3}`, 'telemetry.sdk.language': 'nodejs' },
    scope: { name: '@opentelemetry/instrumentation-http', version: '0.52.0' },
    events: error
      ? [{ timeUnixNano: (startNs + durNs / 2n).toString(), name: 'exception', attributes: { 'exception.type': 'PaymentError', 'exception.message': '<script>alert(1)</script>' } }]
      : [],
    links: i === 2 ? [{ traceId: traceIdOf(1), spanId: hex(0x1001, 16), traceState: 'vendor=1', attributes: { reason: 'retry-of' } }] : [],
  };
}

/** A random-ish tree of `count` spans; index `errorAt` fails. */
export function generateTrace(seed: number, count: number, errorAt = -1): MockSpan[] {
  const traceId = traceIdOf(seed);
  const r = rng(seed + 7);
  const start = NOW_NS - BigInt(seed) * 60_000_000_000n;
  const total = BigInt(Math.floor(5_000_000 + r() * 900_000_000));
  const spans: MockSpan[] = [makeSpan(traceId, 0, '', 'frontend', 'POST /checkout', start, total, errorAt === 0)];
  for (let i = 1; i < count; i++) {
    const parent = spans[Math.floor(r() * Math.min(i, 40))]!;
    const pStart = BigInt(parent.startTimeUnixNano);
    const pDur = BigInt(parent.durationNano);
    const offset = BigInt(Math.floor(Number(pDur) * r() * 0.6));
    const dur = BigInt(Math.max(800, Math.floor(Number(pDur - offset) * (0.1 + r() * 0.85))));
    const service = SERVICES[Math.floor(r() * SERVICES.length)]!;
    const ops = operationsOf(service);
    spans.push(makeSpan(traceId, i, parent.spanId, service, ops[i % ops.length]!, pStart + offset, dur, i === errorAt));
  }
  return spans;
}

/** Malformed on purpose: orphan, parent cycle, duplicate id, hostile strings. */
export function weirdTrace(): MockSpan[] {
  const spans = generateTrace(99, 8, 3).map((s) => ({ ...s, traceId: 'weird' }));
  const base = BigInt(spans[0]!.startTimeUnixNano);
  const t = (ms: number): bigint => base + BigInt(ms) * 1_000_000n;
  spans.push(makeSpan('weird', 50, 'deadbeefdeadbeef', 'checkout', 'orphan: parent missing', t(3), 2_000_000n));
  const a = makeSpan('weird', 51, hex(0x1000 + 52, 16), 'inventory', 'cycle A', t(4), 1_000_000n);
  const b = makeSpan('weird', 52, hex(0x1000 + 51, 16), 'inventory', 'cycle B', t(5), 1_000_000n);
  const dup = { ...makeSpan('weird', 1, spans[0]!.spanId, 'payments', 'duplicate of span 1', t(6), 500_000n) };
  const xss = makeSpan('weird', 53, spans[0]!.spanId, 'frontend', '<img src=x onerror="alert(1)">', t(1), 300_000n);
  xss.attributes = { '<b>key</b>': '<script>alert("x")</script>', 'javascript:': 'javascript:alert(1)' };
  return [...spans, a, b, dup, xss];
}

export interface Summary {
  traceId: string;
  rootServiceName: string;
  rootName: string;
  startTimeUnixNano: string;
  durationNano: string;
  spanCount: number;
  errorCount: number;
  services: string[];
}

export function summarize(traceId: string, spans: MockSpan[]): Summary {
  const root = spans.find((s) => s.parentSpanId === '') ?? spans[0]!;
  return {
    traceId,
    rootServiceName: root.serviceName,
    rootName: root.name,
    startTimeUnixNano: root.startTimeUnixNano,
    durationNano: root.durationNano,
    spanCount: spans.length,
    errorCount: spans.filter((s) => s.statusCode === 'ERROR').length,
    services: [...new Set(spans.map((s) => s.serviceName))].sort(),
  };
}
