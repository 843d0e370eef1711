// k6 load test: OTLP/HTTP JSON trace exports to Faultline (POST /v1/traces).
//   k6 run -e FAULTLINE_URL=http://127.0.0.1:4318 -e FAULTLINE_KEY=<ingest key> -e VUS=8 -e DURATION=60s tests/load/otlp-http.js
// Optional: SPANS (per request, default 512), POOL (prebuilt requests per VU, default 8), ERROR_RATE (default 0.02).
import http from 'k6/http';
import { check } from 'k6';
import { Counter } from 'k6/metrics';
import { acceptedSpans, buildRequest } from './lib/otlp-traces.js';

const BASE = (__ENV.FAULTLINE_URL || 'http://127.0.0.1:4318').replace(/\/+$/, '');
const KEY = __ENV.FAULTLINE_KEY || '';
const SPANS = Number(__ENV.SPANS || 512);
const POOL = Number(__ENV.POOL || 8);
const ERROR_RATE = Number(__ENV.ERROR_RATE || 0.02);

export const options = {
  vus: Number(__ENV.VUS || 8),
  duration: __ENV.DURATION || '60s',
  // k6 prints counters with their rate: spans_accepted …/s is the ingest throughput.
  summaryTrendStats: ['avg', 'med', 'p(90)', 'p(99)', 'max'],
  thresholds: { checks: ['rate>0.99'] },
};

const spansAccepted = new Counter('spans_accepted');
const spansRefused = new Counter('spans_refused');

// Built once per VU in the init context, so JSON encoding is not part of the measured loop.
// OTLP/JSON: ids as lower-case hex, int64 as strings.
const bodies = [];
for (let i = 0; i < POOL; i++) bodies.push(JSON.stringify(buildRequest(i, SPANS, ERROR_RATE, (hex) => hex)));

export function setup() {
  if (!KEY) throw new Error('set FAULTLINE_KEY to an ingest key (faultline keys create …, or FAULTLINE_BOOTSTRAP_INGEST_KEY)');
}

export default function () {
  const body = bodies[(__VU + __ITER) % bodies.length];
  const res = http.post(`${BASE}/v1/traces`, body, {
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    tags: { name: 'otlp-http-traces' },
  });
  const ok = check(res, { 'status is 200': (r) => r.status === 200 });
  if (ok) {
    const answer = res.body ? JSON.parse(res.body) : {};
    spansAccepted.add(acceptedSpans(SPANS, answer.partialSuccess));
  } else if (res.status === 503 || res.status === 429) {
    // Retryable refusals (queue full, rate limit): an SDK would retry after Retry-After.
    spansRefused.add(SPANS);
  }
}
