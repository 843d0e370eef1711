/**
 * Decode throughput of @faultline/proto for a 512-span OTLP trace request, protobuf and JSON.
 * Run: npm exec -- node bench/decode.ts [seconds-per-format]
 */
import { decodeTraces, otlpSchema, type WireFormat } from '@faultline/proto';

const SPANS = 512;
const seconds = Number(process.argv[2] ?? 2);

function hex(n: number, bytes: number): string {
  return n.toString(16).padStart(bytes * 2, '0');
}

function kv(key: string, value: Record<string, unknown>): Record<string, unknown> {
  return { key, value };
}

function exception(time: bigint): Record<string, unknown> {
  return { timeUnixNano: String(time), name: 'exception', attributes: [kv('exception.type', { stringValue: 'Error' })] };
}

/** A request shaped like an instrumented HTTP service: server spans with client children. */
function buildRequest(): Record<string, unknown> {
  const start = 1_700_000_000_000_000_000n;
  const spans = Array.from({ length: SPANS }, (_, i) => ({
    traceId: Buffer.from(hex(Math.floor(i / 8) + 1, 16), 'hex'),
    spanId: Buffer.from(hex(i + 1, 8), 'hex'),
    parentSpanId: i % 8 === 0 ? undefined : Buffer.from(hex(i - (i % 8) + 1, 8), 'hex'),
    name: i % 8 === 0 ? 'GET /api/orders/:id' : 'SELECT orders',
    kind: i % 8 === 0 ? 2 : 3,
    startTimeUnixNano: String(start + BigInt(i) * 1000n),
    endTimeUnixNano: String(start + BigInt(i) * 1000n + 250_000n),
    attributes: [
      kv('http.request.method', { stringValue: 'GET' }),
      kv('url.path', { stringValue: `/api/orders/${i}` }),
      kv('http.response.status_code', { intValue: 200 }),
      kv('server.address', { stringValue: 'orders.internal' }),
      kv('server.port', { intValue: 8080 }),
      kv('db.system', { stringValue: 'postgresql' }),
      kv('db.statement', { stringValue: 'SELECT * FROM orders WHERE id = $1' }),
      kv('thread.id', { intValue: 17 }),
      kv('sampled', { boolValue: true }),
      kv('ratio', { doubleValue: 0.5 }),
    ],
    events: i % 16 === 0 ? [exception(start)] : [],
    status: { code: i % 16 === 0 ? 2 : 0 },
  }));
  const resource = { attributes: [kv('service.name', { stringValue: 'orders' }), kv('host.name', { stringValue: 'web-1' })] };
  return { resourceSpans: [{ resource, scopeSpans: [{ scope: { name: '@opentelemetry/instrumentation-http' }, spans }] }] };
}

/** OTLP/JSON as SDKs send it: hex ids, int64 as strings. */
function toJson(request: Record<string, unknown>): Uint8Array {
  const type = otlpSchema().traceRequest;
  const object = type.toObject(type.fromObject(request), { longs: String, bytes: String });
  const text = JSON.stringify(object, (key: string, value: unknown) =>
    (key === 'traceId' || key === 'spanId' || key === 'parentSpanId') && typeof value === 'string'
      ? Buffer.from(value, 'base64').toString('hex')
      : value,
  );
  return new TextEncoder().encode(text);
}

function measure(format: WireFormat, body: Uint8Array): void {
  const check = decodeTraces(body, format);
  if (check.items.length !== SPANS) throw new Error(`${format}: decoded ${check.items.length} spans, expected ${SPANS}`);
  for (let i = 0; i < 50; i++) decodeTraces(body, format);
  let runs = 0;
  const began = process.hrtime.bigint();
  const until = began + BigInt(Math.round(seconds * 1e9));
  let now = began;
  while (now < until) {
    decodeTraces(body, format);
    runs++;
    now = process.hrtime.bigint();
  }
  const elapsed = Number(now - began) / 1e9;
  const spansPerSecond = Math.round((runs * SPANS) / elapsed);
  const mbPerSecond = ((runs * body.length) / elapsed / 1e6).toFixed(1);
  const perRequest = ((elapsed / runs) * 1e3).toFixed(3);
  console.log(
    `${format.padEnd(8)} ${String(body.length).padStart(7)} B/request  ${perRequest} ms/request  ` +
      `${spansPerSecond.toLocaleString('en-US')} spans/s  ${mbPerSecond} MB/s`,
  );
}

const request = buildRequest();
const type = otlpSchema().traceRequest;
measure('protobuf', type.encode(type.fromObject(request)).finish());
measure('json', toJson(request));
