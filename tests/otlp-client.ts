import { randomBytes } from 'node:crypto';
import type { Faultline } from './harness.ts';

/** POSTs an OTLP/JSON export (`/v1/traces`, `/v1/logs`) with the instance's ingest key; throws unless it is stored. */
export async function postOtlpJson(fl: Faultline, path: '/v1/traces' | '/v1/logs' | '/v1/metrics', body: unknown): Promise<void> {
  const res = await fetch(`${fl.otlpHttp}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${fl.key}` },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`ingest failed: ${res.status} ${await res.text()}`);
}

export interface SyntheticTrace {
  spans: number;
  /** Index of a span marked as an error. */
  errorAt?: number;
  service: string;
}

/** Sends one synthetic trace as OTLP/JSON (a chain of nested spans named span-0, span-1, …). */
export async function sendTrace(fl: Faultline, spec: SyntheticTrace): Promise<{ traceId: string; spanIds: string[] }> {
  const traceId = randomBytes(16).toString('hex');
  const spanIds = Array.from({ length: spec.spans }, () => randomBytes(8).toString('hex'));
  const start = BigInt(Date.now()) * 1_000_000n - 1_000_000_000n;
  const spans = spanIds.map((spanId, i) => ({
    traceId,
    spanId,
    parentSpanId: i === 0 ? '' : spanIds[Math.floor((i - 1) / 2)],
    name: `span-${i}`,
    kind: i === 0 ? 2 : 1,
    startTimeUnixNano: String(start + BigInt(i) * 1_000_000n),
    endTimeUnixNano: String(start + BigInt(i) * 1_000_000n + 50_000_000n - BigInt(i) * 2_000_000n),
    attributes: [{ key: 'index', value: { intValue: String(i) } }],
    status: i === spec.errorAt ? { code: 2, message: 'failed' } : {},
  }));
  const body = {
    resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: spec.service } }] }, scopeSpans: [{ scope: { name: 'test' }, spans }] }],
  };
  await postOtlpJson(fl, '/v1/traces', body);
  return { traceId, spanIds };
}

export interface ExceptionSpec {
  service: string;
  release?: string;
  /** `deployment.environment.name` of the resource. */
  environment?: string;
  type: string;
  message: string;
  stack: string;
  userId?: string;
  /** Send as an OTLP log record instead of a span event. */
  asLog?: boolean;
  /** Send the same request this many times, as an exporter retrying after a lost answer does. Default 1. */
  sends?: number;
  /** Name and string attributes of the server span that carries the exception. Default `POST /pay`, none. */
  span?: { name: string; attributes: Record<string, string> };
  /** When it happened, Unix ms. Default now. */
  timeMs?: number;
}

function resourceOf(spec: ExceptionSpec) {
  const attributes = [
    { key: 'service.name', value: { stringValue: spec.service } },
    { key: 'telemetry.sdk.language', value: { stringValue: 'nodejs' } },
  ];
  if (spec.release) attributes.push({ key: 'service.version', value: { stringValue: spec.release } });
  if (spec.environment) attributes.push({ key: 'deployment.environment.name', value: { stringValue: spec.environment } });
  return { attributes };
}

/** Sends one exception through OTLP/JSON, as an `exception` span event or an exception log record. */
export async function sendException(fl: Faultline, spec: ExceptionSpec): Promise<{ traceId: string; spanId: string }> {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  const now = BigInt(spec.timeMs ?? Date.now()) * 1_000_000n;
  const exceptionAttrs = [
    { key: 'exception.type', value: { stringValue: spec.type } },
    { key: 'exception.message', value: { stringValue: spec.message } },
    { key: 'exception.stacktrace', value: { stringValue: spec.stack } },
  ];
  const userAttrs = spec.userId ? [{ key: 'user.id', value: { stringValue: spec.userId } }] : [];
  const path = spec.asLog ? '/v1/logs' : '/v1/traces';
  const body = spec.asLog
    ? {
        resourceLogs: [
          {
            resource: resourceOf(spec),
            scopeLogs: [{ logRecords: [{ timeUnixNano: String(now), severityNumber: 17, body: { stringValue: spec.message }, traceId, spanId, attributes: [...exceptionAttrs, ...userAttrs] }] }],
          },
        ],
      }
    : {
        resourceSpans: [
          {
            resource: resourceOf(spec),
            scopeSpans: [
              {
                spans: [
                  {
                    traceId,
                    spanId,
                    name: spec.span?.name ?? 'POST /pay',
                    kind: 2,
                    startTimeUnixNano: String(now - 5_000_000n),
                    endTimeUnixNano: String(now),
                    attributes: [...userAttrs, ...Object.entries(spec.span?.attributes ?? {}).map(([key, value]) => ({ key, value: { stringValue: value } }))],
                    status: { code: 2 },
                    events: [{ timeUnixNano: String(now - 1_000_000n), name: 'exception', attributes: exceptionAttrs }],
                  },
                ],
              },
            ],
          },
        ],
      };
  for (let i = 0; i < (spec.sends ?? 1); i++) await postOtlpJson(fl, path, body);
  return { traceId, spanId };
}

/** A Node-style stack whose top frame is `fn` in `file` at `line`. */
export function nodeStack(type: string, message: string, fn: string, file: string, line: number): string {
  return [
    `${type}: ${message}`,
    `    at ${fn} (/srv/app/${file}:${line}:13)`,
    `    at handle (/srv/app/src/router.js:88:5)`,
    `    at Layer.handle [as handle_request] (/srv/app/node_modules/express/lib/router/layer.js:95:5)`,
    `    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)`,
  ].join('\n');
}
