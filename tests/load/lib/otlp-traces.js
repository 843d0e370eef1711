// Realistic OTLP trace export requests for the k6 scripts (same shape as bench/lib/span-payloads.ts):
// one service per request, 5 resource attributes, traces of 8–20 spans (HTTP server span, middleware,
// handler, database and outgoing HTTP calls), 10 attributes of mixed types per span, and an `exception`
// event on ~2 % of spans. Ids are produced by `idOf` so the JSON (hex) and gRPC (base64) forms share code.

const SERVICES = ['orders', 'checkout', 'users', 'catalog', 'payments', 'search', 'inventory', 'gateway'];
const ROUTES = ['/api/orders/:id', '/api/orders', '/api/users/:id', '/api/cart', '/api/products/:sku', '/api/search'];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];
const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'okhttp/4.12.0',
];
const STATEMENTS = [
  'SELECT id, status, total_cents, currency, created_at FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 50',
  'UPDATE inventory SET reserved = reserved + $1, updated_at = now() WHERE sku = $2 AND reserved + $1 <= stock',
  'INSERT INTO order_items (order_id, sku, quantity, unit_price_cents) VALUES ($1, $2, $3, $4)',
];
const EXCEPTIONS = [
  ['TypeError', "Cannot read properties of undefined (reading 'id')", 'OrderService.load (/app/src/services/orders.js:42:17)'],
  ['DatabaseError', 'deadlock detected', 'InventoryRepo.reserve (/app/src/repos/inventory.js:88:11)'],
  [
    'FetchError',
    'request to http://payments.internal/charge failed, reason: ECONNRESET',
    'PaymentsClient.charge (/app/src/clients/payments.js:31:9)',
  ],
];
const SCOPES = {
  server: '@opentelemetry/instrumentation-http',
  internal: '@opentelemetry/instrumentation-express',
  db: '@opentelemetry/instrumentation-pg',
  http: '@opentelemetry/instrumentation-undici',
};
const KINDS = { server: 2, internal: 1, db: 3, http: 3 };

const pick = (list) => list[Math.floor(Math.random() * list.length)];
const int = (min, max) => min + Math.floor(Math.random() * (max - min + 1));
const str = (key, stringValue) => ({ key, value: { stringValue } });
// OTLP/JSON and protojson both spell int64 as a decimal string.
const num = (key, n) => ({ key, value: { intValue: String(n) } });
const bool = (key, boolValue) => ({ key, value: { boolValue } });
const dbl = (key, doubleValue) => ({ key, value: { doubleValue } });

export function randomHex(bytes) {
  let out = '';
  for (let i = 0; i < bytes; i++)
    out += Math.floor(Math.random() * 256)
      .toString(16)
      .padStart(2, '0');
  return out;
}

function attributes(kind, route, method, status) {
  if (kind === 'server') {
    return [
      str('http.request.method', method),
      str('http.route', route),
      num('http.response.status_code', status),
      str('url.path', route.replace(':id', String(int(1, 99999))).replace(':sku', `SKU-${int(100, 999)}`)),
      str('url.scheme', 'https'),
      str('user_agent.original', pick(USER_AGENTS)),
      str('client.address', `10.0.${int(0, 255)}.${int(1, 254)}`),
      num('server.port', 8080),
      str('network.protocol.version', '1.1'),
      num('http.request.body.size', method === 'GET' ? 0 : int(40, 4000)),
    ];
  }
  if (kind === 'db') {
    const statement = pick(STATEMENTS);
    return [
      str('db.system.name', 'postgresql'),
      str('db.namespace', 'shop'),
      str('db.query.text', statement),
      str('db.operation.name', statement.split(' ')[0]),
      str('db.collection.name', 'orders'),
      str('server.address', 'pg-primary.internal'),
      num('server.port', 5432),
      num('db.response.returned_rows', int(0, 50)),
      str('db.client.connection.pool.name', 'main'),
      bool('db.cached_plan', Math.random() < 0.8),
    ];
  }
  if (kind === 'http') {
    return [
      str('http.request.method', 'POST'),
      str('url.full', 'http://payments.internal:9000/charge'),
      str('server.address', 'payments.internal'),
      num('server.port', 9000),
      num('http.response.status_code', status),
      str('network.peer.address', `10.1.0.${int(2, 40)}`),
      num('http.request.resend_count', 0),
      bool('http.retried', false),
      str('user_agent.original', 'undici'),
      dbl('timeout.ratio', Math.round(Math.random() * 1000) / 1000),
    ];
  }
  return [
    str('code.function.name', 'handler'),
    str('code.file.path', '/app/src/routes/index.js'),
    num('code.line.number', int(10, 400)),
    str('express.type', 'middleware'),
    str('express.name', 'router'),
    str('http.route', route),
    num('thread.id', 1),
    bool('async', true),
    num('queue.depth', int(0, 12)),
    dbl('sample.ratio', 0.25),
  ];
}

function exception(timeNs) {
  const [type, message, frame] = pick(EXCEPTIONS);
  const stack = `${type}: ${message}\n    at ${frame}\n    at async handler (/app/src/routes/orders.js:18:5)`;
  return {
    timeUnixNano: String(timeNs),
    name: 'exception',
    attributes: [str('exception.type', type), str('exception.message', message), str('exception.stacktrace', stack)],
  };
}

function kindFor(i) {
  if (i === 0) return 'server';
  if (i <= 3) return 'internal';
  const r = Math.random();
  return r < 0.6 ? 'db' : r < 0.85 ? 'http' : 'internal';
}

// Times are nanoseconds held in doubles: exact only to ~256 ns at today's epoch, plenty for spans of ms.
function trace(startNs, errorRate, idOf) {
  const size = int(8, 20);
  const traceId = idOf(randomHex(16));
  const route = pick(ROUTES);
  const method = pick(METHODS);
  const spans = [];
  for (let i = 0; i < size; i++) {
    const kind = kindFor(i);
    const parent = i === 0 ? null : i <= 3 ? spans[0] : spans[Math.random() < 0.8 ? 3 : int(1, 2)];
    const pStart = parent ? parent.start : startNs;
    const pEnd = parent ? parent.end : startNs + int(5, 400) * 1e6;
    const start = parent ? pStart + Math.floor(((pEnd - pStart) * int(0, 50)) / 100) : pStart;
    const end = parent ? start + Math.floor(((pEnd - start) * int(5, 95)) / 100) : pEnd;
    const failed = Math.random() < errorRate;
    const status = failed ? 500 : 200;
    spans.push({
      kind,
      start,
      end,
      parent,
      failed,
      span: {
        traceId,
        spanId: idOf(randomHex(8)),
        parentSpanId: parent ? parent.span.spanId : undefined,
        name:
          kind === 'server'
            ? `${method} ${route}`
            : kind === 'db'
              ? 'pg.query:SELECT shop'
              : kind === 'http'
                ? 'POST'
                : 'middleware - router',
        kind: KINDS[kind],
        startTimeUnixNano: String(start),
        endTimeUnixNano: String(end),
        attributes: attributes(kind, route, method, status),
        events: failed ? [exception(end)] : [],
        status: failed ? { code: 2, message: 'unhandled exception' } : {},
      },
    });
  }
  return spans;
}

/** One ExportTraceServiceRequest as a plain object (OTLP/JSON when idOf is identity on hex). */
export function buildRequest(index, spansPerRequest, errorRate, idOf) {
  const service = SERVICES[index % SERVICES.length];
  const all = [];
  let t = (Date.now() - 60000) * 1e6;
  while (all.length < spansPerRequest) {
    all.push(...trace(t, errorRate, idOf).slice(0, spansPerRequest - all.length));
    t += int(1, 50) * 1e6;
  }
  const byScope = {};
  for (const s of all) (byScope[SCOPES[s.kind]] = byScope[SCOPES[s.kind]] || []).push(s.span);
  const resource = {
    attributes: [
      str('service.name', service),
      str('service.version', `1.${index % 4}.0`),
      str('deployment.environment.name', 'production'),
      str('host.name', `${service}-${index % 3}.prod.internal`),
      str('telemetry.sdk.language', 'nodejs'),
    ],
  };
  const scopeSpans = Object.keys(byScope).map((name) => ({ scope: { name, version: '0.57.0' }, spans: byScope[name] }));
  return { resourceSpans: [{ resource, scopeSpans }] };
}

/** Accepted spans of an answered request: all of them minus partialSuccess.rejectedSpans. */
export function acceptedSpans(spans, partialSuccess) {
  const rejected = partialSuccess && partialSuccess.rejectedSpans ? Number(partialSuccess.rejectedSpans) : 0;
  return spans - rejected;
}
