// k6 load test: OTLP/gRPC trace exports to Faultline (TraceService/Export), using the .proto files of
// proto/proto.
//   k6 run -e FAULTLINE_URL=127.0.0.1:4317 -e FAULTLINE_KEY=<ingest key> -e VUS=8 -e DURATION=60s tests/load/otlp-grpc.js
// Optional: SPANS (per request, default 512), POOL (prebuilt requests per VU, default 8), ERROR_RATE (default 0.02).
import grpc from 'k6/net/grpc';
import encoding from 'k6/encoding';
import { check } from 'k6';
import { Counter } from 'k6/metrics';
import { acceptedSpans, buildRequest } from './lib/otlp-traces.js';

// host:port; an http:// prefix (as in FAULTLINE_URL of the HTTP script) is tolerated.
const TARGET = (__ENV.FAULTLINE_URL || '127.0.0.1:4317').replace(/^https?:\/\//, '').replace(/\/+$/, '');
const KEY = __ENV.FAULTLINE_KEY || '';
const SPANS = Number(__ENV.SPANS || 512);
const POOL = Number(__ENV.POOL || 8);
const ERROR_RATE = Number(__ENV.ERROR_RATE || 0.02);
const METHOD = 'opentelemetry.proto.collector.trace.v1.TraceService/Export';

export const options = {
  vus: Number(__ENV.VUS || 8),
  duration: __ENV.DURATION || '60s',
  summaryTrendStats: ['avg', 'med', 'p(90)', 'p(99)', 'max'],
  thresholds: { checks: ['rate>0.99'] },
};

const client = new grpc.Client();
// Import paths are resolved relative to this script; the OTLP files import each other from that root.
client.load(['../../proto/proto'], 'opentelemetry/proto/collector/trace/v1/trace_service.proto');

const spansAccepted = new Counter('spans_accepted');
const spansRefused = new Counter('spans_refused');

function base64Of(hex) {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
  return encoding.b64encode(bytes.buffer, 'std');
}

// k6 maps messages with protojson: bytes fields (trace and span ids) are base64, int64 are strings.
const requests = [];
for (let i = 0; i < POOL; i++) requests.push(buildRequest(i, SPANS, ERROR_RATE, base64Of));

export function setup() {
  if (!KEY) throw new Error('set FAULTLINE_KEY to an ingest key (faultline keys create …, or FAULTLINE_BOOTSTRAP_INGEST_KEY)');
}

export default function () {
  // One connection per VU, kept for the whole test, like an SDK exporter.
  if (__ITER === 0) client.connect(TARGET, { plaintext: true, timeout: '10s' });
  const request = requests[(__VU + __ITER) % requests.length];
  const res = client.invoke(METHOD, request, { metadata: { authorization: `Bearer ${KEY}` }, timeout: '30s' });
  const ok = check(res, { 'status is OK': (r) => r && r.status === grpc.StatusOK });
  if (ok) {
    spansAccepted.add(acceptedSpans(SPANS, res.message && res.message.partialSuccess));
  } else if (res && (res.status === grpc.StatusUnavailable || res.status === grpc.StatusResourceExhausted)) {
    // Retryable refusals (queue full, rate limit): an SDK would retry with backoff.
    spansRefused.add(SPANS);
  }
}

export function teardown() {
  client.close();
}
