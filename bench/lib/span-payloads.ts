/**
 * Realistic OTLP trace export requests for the ingest benchmark: one service per request (as one SDK
 * exporter sends), 5 resource attributes, spans grouped by instrumentation scope, traces of 8–20 spans
 * (an HTTP server span, middleware, a handler, database and outgoing HTTP calls), 10 attributes of mixed
 * types on every span, and an `exception` event on ~2 % of spans. Deterministic for a given seed.
 */
import { otlpSchema } from '@faultline/proto';

export interface PoolOptions {
  requests: number;
  spansPerRequest: number;
  /** Share of spans carrying one exception event (status ERROR). */
  errorRate: number;
  seed: number;
}

type Value = { stringValue: string } | { intValue: number } | { boolValue: boolean } | { doubleValue: number };
type KeyValue = { key: string; value: Value };
type Kind = 'server' | 'internal' | 'db' | 'http';

interface SpanObject {
  traceId: Buffer;
  spanId: Buffer;
  parentSpanId?: Buffer;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  events: Array<{ timeUnixNano: string; name: string; attributes: KeyValue[] }>;
  status: { code: number; message?: string };
  scope: string;
}

const SERVICES = ['orders', 'checkout', 'users', 'catalog', 'payments', 'search', 'inventory', 'gateway'];
const ROUTES = ['/api/orders/:id', '/api/orders', '/api/users/:id', '/api/cart', '/api/products/:sku', '/api/search', '/api/checkout'];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];
const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'okhttp/4.12.0',
];
const STATEMENTS = [
  'SELECT id, status, total_cents, currency, created_at FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 50',
  'UPDATE inventory SET reserved = reserved + $1, updated_at = now() WHERE sku = $2 AND reserved + $1 <= stock',
  'INSERT INTO order_items (order_id, sku, quantity, unit_price_cents) VALUES ($1, $2, $3, $4)',
  'SELECT u.id, u.email, p.plan FROM users u JOIN plans p ON p.id = u.plan_id WHERE u.id = $1',
];
const MIDDLEWARE = ['middleware - query', 'middleware - expressInit', 'middleware - jsonParser', 'middleware - authenticate'];
const EXCEPTIONS = [
  ['TypeError', "Cannot read properties of undefined (reading 'id')", 'OrderService.load', 'src/services/orders.js'],
  ['DatabaseError', 'deadlock detected', 'InventoryRepo.reserve', 'src/repos/inventory.js'],
  [
    'FetchError',
    'request to http://payments.internal/charge failed, reason: ECONNRESET',
    'PaymentsClient.charge',
    'src/clients/payments.js',
  ],
  ['ValidationError', 'quantity must be a positive integer', 'validateCart', 'src/validation/cart.js'],
] as const;
const SCOPES: Record<Kind, string> = {
  server: '@opentelemetry/instrumentation-http',
  internal: '@opentelemetry/instrumentation-express',
  db: '@opentelemetry/instrumentation-pg',
  http: '@opentelemetry/instrumentation-undici',
};
const KIND_NUMBERS: Record<Kind, number> = { server: 2, internal: 1, db: 3, http: 3 };

/** mulberry32: small, fast, deterministic. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)] as T;
const int = (rng: Rng, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));
const str = (key: string, stringValue: string): KeyValue => ({ key, value: { stringValue } });
const num = (key: string, intValue: number): KeyValue => ({ key, value: { intValue } });

function randomBytes(rng: Rng, n: number): Buffer {
  const out = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(rng() * 256);
  return out;
}

/** Exactly 10 attributes per span, strings, ints, booleans and doubles, shaped by the span's kind. */
function attributesOf(rng: Rng, kind: Kind, route: string, method: string, status: number): KeyValue[] {
  if (kind === 'server') {
    return [
      str('http.request.method', method),
      str('http.route', route),
      num('http.response.status_code', status),
      str('url.path', route.replace(':id', String(int(rng, 1, 99_999))).replace(':sku', `SKU-${int(rng, 100, 999)}`)),
      str('url.scheme', 'https'),
      str('user_agent.original', pick(rng, USER_AGENTS)),
      str('client.address', `10.0.${int(rng, 0, 255)}.${int(rng, 1, 254)}`),
      num('server.port', 8080),
      str('network.protocol.version', '1.1'),
      num('http.request.body.size', method === 'GET' ? 0 : int(rng, 40, 4000)),
    ];
  }
  if (kind === 'db') {
    const statement = pick(rng, STATEMENTS);
    return [
      str('db.system.name', 'postgresql'),
      str('db.namespace', 'shop'),
      str('db.query.text', statement),
      str('db.operation.name', statement.split(' ')[0] ?? 'SELECT'),
      str('db.collection.name', 'orders'),
      str('server.address', 'pg-primary.internal'),
      num('server.port', 5432),
      num('db.response.returned_rows', int(rng, 0, 50)),
      str('db.client.connection.pool.name', 'main'),
      { key: 'db.cached_plan', value: { boolValue: rng() < 0.8 } },
    ];
  }
  if (kind === 'http') {
    return [
      str('http.request.method', 'POST'),
      str('url.full', 'http://payments.internal:9000/charge'),
      str('server.address', 'payments.internal'),
      num('server.port', 9000),
      num('http.response.status_code', status),
      str('network.peer.address', `10.1.0.${int(rng, 2, 40)}`),
      num('http.request.resend_count', rng() < 0.05 ? 1 : 0),
      { key: 'http.retried', value: { boolValue: false } },
      str('user_agent.original', 'undici'),
      { key: 'timeout.ratio', value: { doubleValue: Math.round(rng() * 1000) / 1000 } },
    ];
  }
  return [
    str('code.function.name', 'handler'),
    str('code.file.path', '/app/src/routes/index.js'),
    num('code.line.number', int(rng, 10, 400)),
    str('express.type', 'middleware'),
    str('express.name', 'router'),
    str('http.route', route),
    num('thread.id', 1),
    { key: 'async', value: { boolValue: true } },
    num('queue.depth', int(rng, 0, 12)),
    { key: 'sample.ratio', value: { doubleValue: 0.25 } },
  ];
}

function exceptionEvent(rng: Rng, timeNs: bigint): SpanObject['events'][number] {
  const [type, message, fn, file] = pick(rng, EXCEPTIONS);
  const stack =
    `${type}: ${message}\n    at ${fn} (/app/${file}:${int(rng, 10, 200)}:17)\n    at async handler (/app/src/routes/orders.js:18:5)\n` +
    '    at async Layer.handle (/app/node_modules/express/lib/router/layer.js:95:5)\n    at process.processTicksAndRejections (node:internal/process/task_queues:105:5)';
  return {
    timeUnixNano: String(timeNs),
    name: 'exception',
    attributes: [str('exception.type', type), str('exception.message', message), str('exception.stacktrace', stack)],
  };
}

function kindFor(rng: Rng, index: number): Kind {
  if (index === 0) return 'server';
  if (index <= 3) return 'internal';
  const r = rng();
  return r < 0.6 ? 'db' : r < 0.85 ? 'http' : 'internal';
}

/** One trace of 8–20 spans; children start inside their parent and end before it. */
function buildTrace(rng: Rng, startNs: bigint, errorRate: number): SpanObject[] {
  const size = int(rng, 8, 20);
  const traceId = randomBytes(rng, 16);
  const route = pick(rng, ROUTES);
  const method = pick(rng, METHODS);
  const spans: SpanObject[] = [];
  const windows: Array<[bigint, bigint]> = [];
  for (let i = 0; i < size; i++) {
    const kind = kindFor(rng, i);
    // Middleware and the handler hang off the root; calls hang off the handler (index 3) or a middleware.
    const parent = i === 0 ? -1 : i <= 3 ? 0 : rng() < 0.8 ? 3 : int(rng, 1, 2);
    const [pStart, pEnd] = parent < 0 ? [startNs, startNs + BigInt(int(rng, 5, 400)) * 1_000_000n] : (windows[parent] as [bigint, bigint]);
    const span = pEnd - pStart;
    const start = parent < 0 ? pStart : pStart + (span * BigInt(int(rng, 0, 50))) / 100n;
    const end = parent < 0 ? pEnd : start + ((pEnd - start) * BigInt(int(rng, 5, 95))) / 100n;
    windows.push([start, end]);
    const failed = rng() < errorRate;
    const status = failed ? 500 : kind === 'server' && rng() < 0.05 ? 404 : 200;
    spans.push({
      traceId,
      spanId: randomBytes(rng, 8),
      parentSpanId: parent < 0 ? undefined : (spans[parent] as SpanObject).spanId,
      name:
        kind === 'server'
          ? `${method} ${route}`
          : kind === 'db'
            ? 'pg.query:SELECT shop'
            : kind === 'http'
              ? 'POST'
              : i === 3
                ? `request handler - ${route}`
                : pick(rng, MIDDLEWARE),
      kind: KIND_NUMBERS[kind],
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(end),
      attributes: attributesOf(rng, kind, route, method, status),
      events: failed ? [exceptionEvent(rng, end)] : [],
      status: failed ? { code: 2, message: 'unhandled exception' } : { code: 0 },
      scope: SCOPES[kind],
    });
  }
  return spans;
}

function resourceOf(service: string, index: number): { attributes: KeyValue[] } {
  return {
    attributes: [
      str('service.name', service),
      str('service.version', `1.${index % 4}.0`),
      str('deployment.environment.name', 'production'),
      str('host.name', `${service}-${index % 3}.prod.internal`),
      str('telemetry.sdk.language', 'nodejs'),
    ],
  };
}

/** The request as a protobufjs-ready object: one resource, one scopeSpans per instrumentation scope. */
export function buildRequestObject(rng: Rng, index: number, options: PoolOptions, baseNs: bigint): Record<string, unknown> {
  const spans: SpanObject[] = [];
  let t = baseNs;
  while (spans.length < options.spansPerRequest) {
    // A batch cuts traces at its edge, as a BatchSpanProcessor does.
    spans.push(...buildTrace(rng, t, options.errorRate).slice(0, options.spansPerRequest - spans.length));
    t += BigInt(int(rng, 1, 50)) * 1_000_000n;
  }
  const byScope = new Map<string, Array<Omit<SpanObject, 'scope'>>>();
  for (const { scope, ...span } of spans) {
    const list = byScope.get(scope) ?? [];
    list.push(span);
    byScope.set(scope, list);
  }
  const scopeSpans = [...byScope].map(([name, list]) => ({ scope: { name, version: '0.57.0' }, spans: list }));
  const service = SERVICES[index % SERVICES.length] as string;
  return { resourceSpans: [{ resource: resourceOf(service, index), scopeSpans }] };
}

/** Encodes `options.requests` distinct ExportTraceServiceRequests up front (timestamps: the last minute). */
export function buildPayloadPool(options: PoolOptions): Buffer[] {
  const rng = random(options.seed);
  const type = otlpSchema().traceRequest;
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const pool: Buffer[] = [];
  for (let i = 0; i < options.requests; i++) {
    const baseNs = nowNs - 60_000_000_000n + BigInt(i) * 100_000_000n;
    const object = buildRequestObject(rng, i, options, baseNs);
    pool.push(Buffer.from(type.encode(type.fromObject(object)).finish()));
  }
  return pool;
}
