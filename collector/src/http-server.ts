import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readBody } from './http-body.ts';
import { authenticate, ingest, type IngestDeps, type Signal, type WireFormat } from './ingest.ts';
import { CONTENT_TYPES, sentryToHttp, toHttp } from './results.ts';
import { ingestSentry } from './sentry-ingest.ts';

export interface OpsEndpoints {
  /** Storage reachable and migrations applied. */
  ready(): Promise<boolean>;
  /** Prometheus text of the whole process. */
  metricsText(): string;
}

export interface HttpIngestOptions {
  /** Largest request body, checked before and after decompression. Default 20 MiB. */
  maxBodyBytes: number;
}

const ROUTES: Record<string, Signal> = { '/v1/traces': 'traces', '/v1/logs': 'logs', '/v1/metrics': 'metrics' };

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'content-type, content-encoding, authorization, x-faultline-key, x-sentry-auth',
  'access-control-max-age': '86400',
  'access-control-expose-headers': 'retry-after, x-sentry-error, x-sentry-rate-limits',
};

const SENTRY_PATH = /^\/api\/(\d{1,9})\/(envelope|store)\/?$/;

function formatOf(contentType: string | undefined): WireFormat | null {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return null;
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: Uint8Array | string, cors = true): void {
  res.writeHead(status, { ...(cors ? CORS_HEADERS : {}), ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  send(res, status, { 'content-type': 'text/plain; charset=utf-8' }, text);
}

/** Health and metrics are for probes and scrapers, not browsers: no CORS, so another site's page cannot read them. */
async function handleOps(path: string, res: ServerResponse, ops: OpsEndpoints): Promise<boolean> {
  if (path === '/healthz') {
    send(res, 200, { 'content-type': 'application/json' }, '{"status":"ok"}', false);
  } else if (path === '/readyz') {
    const ready = await ops.ready();
    send(res, ready ? 200 : 503, { 'content-type': 'application/json' }, JSON.stringify({ status: ready ? 'ready' : 'not ready' }), false);
  } else if (path === '/metrics') {
    send(res, 200, { 'content-type': 'text/plain; version=0.0.4' }, ops.metricsText(), false);
  } else {
    return false;
  }
  return true;
}

async function handleExport(req: IncomingMessage, res: ServerResponse, signal: Signal, deps: IngestDeps, options: HttpIngestOptions): Promise<void> {
  const format = formatOf(req.headers['content-type']);
  if (format === null) {
    req.resume();
    sendText(res, 415, `unsupported Content-Type "${req.headers['content-type'] ?? ''}": use application/x-protobuf or application/json`);
    return;
  }
  const presented = req.headers.authorization ?? (req.headers['x-faultline-key'] as string | undefined);
  const auth = await authenticate(deps, presented, signal, 'http');
  if (!auth.ok) {
    req.resume();
    const answer = toHttp(auth.result, signal, format);
    send(res, answer.status, answer.headers, answer.body);
    return;
  }
  const body = await readBody(req, options.maxBodyBytes);
  if (!body.ok) {
    const outcome = bodyOutcome(body.status);
    deps.metrics.requests.inc({ signal, transport: 'http', project: auth.projectId, outcome });
    const answer = outcome === 'unsupported' ? null : toHttp({ status: outcome, message: body.message }, signal, format);
    if (answer) send(res, answer.status, answer.headers, answer.body);
    else sendText(res, 415, body.message);
    return;
  }
  const result = await ingest(deps, signal, auth.projectId, body.body, format, 'http');
  const answer = toHttp(result, signal, format);
  send(res, answer.status, answer.headers, answer.body);
}

/** The outcome label of a body that could not be read (too large, an unsupported or broken encoding). */
function bodyOutcome(status: number): 'too_large' | 'unsupported' | 'invalid' {
  return status === 413 ? 'too_large' : status === 415 ? 'unsupported' : 'invalid';
}

async function handleSentry(req: IncomingMessage, res: ServerResponse, match: RegExpExecArray, query: URLSearchParams, deps: IngestDeps, options: HttpIngestOptions): Promise<void> {
  const body = await readBody(req, options.maxBodyBytes);
  if (!body.ok) {
    // Not yet authenticated (the key may be in the body): counted under project 0.
    deps.metrics.requests.inc({ signal: 'sentry', transport: 'http', project: 0, outcome: bodyOutcome(body.status) });
    return send(res, body.status, { 'content-type': 'application/json' }, JSON.stringify({ detail: body.message }));
  }
  const result = await ingestSentry(deps, {
    projectId: Number(match[1]),
    endpoint: match[2] === 'store' ? 'store' : 'envelope',
    headers: req.headers,
    query,
    body: body.body,
  });
  const answer = sentryToHttp(result);
  send(res, answer.status, answer.headers, answer.body);
}

/** OTLP/HTTP and Sentry ingest on 4318: POST /v1/{traces,logs,metrics}, POST /api/<project>/{envelope,store}/. */
export function createIngestHttpServer(deps: IngestDeps, ops: OpsEndpoints, options: HttpIngestOptions): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const signal = ROUTES[path];
    const sentry = SENTRY_PATH.exec(path);
    const work = async (): Promise<void> => {
      if (req.method === 'OPTIONS') return send(res, 204, {}, '');
      if (req.method === 'GET' && (await handleOps(path, res, ops))) return;
      if (sentry && req.method === 'POST') return handleSentry(req, res, sentry, url.searchParams, deps, options);
      if (signal === undefined) return sendText(res, 404, `no such endpoint: ${req.method ?? ''} ${path}`);
      if (req.method !== 'POST') return send(res, 405, { allow: 'POST, OPTIONS', 'content-type': 'text/plain' }, 'use POST');
      await handleExport(req, res, signal, deps, options);
    };
    work().catch((err: unknown) => {
      // A bug must cost one request, never the process or acknowledged data.
      if (!res.headersSent) sendText(res, 500, `internal error: ${(err as Error).message}`);
      else res.destroy();
    });
  });
}

export { CONTENT_TYPES };
