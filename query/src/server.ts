import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { findProject, isQueryTimeout, isResultTooLarge, type Database, type Project, type TokenInfo } from '@faultline/storage';
import { Authenticator, canSee, sessionCookieHeader } from './auth.ts';
import { ApiError, SECURITY_HEADERS, badRequest, notFound, sendError, sendJson } from './http.ts';
import { buildOpenApi } from './openapi.ts';
import { matchRoute, parseInput, type Route } from './router.ts';
import { adminRoutes } from './routes/admin.ts';
import { alertRoutes } from './routes/alerts.ts';
import { infoRoutes, type IngestInfo } from './routes/info.ts';
import { sessionRoutes } from './routes/session.ts';
import { sourcemapRoutes } from './routes/sourcemaps.ts';
import { feedbackRoutes } from './routes/feedback.ts';
import { issueRoutes } from './routes/issues.ts';
import { issueActivityRoutes } from './routes/issue-activity.ts';
import { performanceRoutes } from './routes/performance.ts';
import { releaseRoutes } from './routes/releases.ts';
import { savedSearchRoutes } from './routes/saved-searches.ts';
import { spanSeriesRoutes } from './routes/span-series.ts';
import { attributeSuggestRoutes } from './routes/attribute-suggest.ts';
import { logRoutes } from './routes/logs.ts';
import { otelMetricRoutes } from './routes/otel-metrics.ts';
import { traceRoutes } from './routes/traces.ts';
import { StaticUi } from './static-ui.ts';
import { TtlCache } from './ttl-cache.ts';

export interface QueryOptions {
  host: string;
  port: number;
  /** Directory of the built SPA (ui/build). */
  uiDir: string;
  /** Base of links the system sends out; also decides whether cookies are `Secure`. */
  publicUrl: string;
  sessionTtlMs: number;
  /** FAULTLINE_SESSION_SECRET; '' signs session cookies with the token's stored hash alone. */
  sessionSecret?: string;
  maxSpansPerTrace: number;
  maxLogsPerTrace: number;
  /** FAULTLINE_SOURCE_FILES_MAX_BYTES: source maps and minified files one project keeps, in bytes. */
  maxSourceFileBytesPerProject: number;
  /** FAULTLINE_MAX_NOTES_PER_ISSUE: notes one issue keeps (409 past it). */
  maxNotesPerIssue: number;
  retentionDays: number;
  version: string;
  /** The collector's ports as SDKs should use them (the configured ones; the bound ones in an all-in-one). */
  ingest: IngestInfo;
}

export interface QueryOps {
  ready(): Promise<boolean>;
  metricsText(): string;
}

export interface Logger {
  error(obj: object, msg: string): void;
}

async function authorize(r: Route, token: TokenInfo | null, db: Database, projects: TtlCache<Project | null>, params: Record<string, string>): Promise<Project | null> {
  if (r.access === 'public') return null;
  if (!token) throw new ApiError(401, 'unauthenticated', 'missing or invalid token: send "Authorization: Bearer <token>" or sign in');
  if (r.access === 'instance_admin' && token.role !== 'instance_admin') throw new ApiError(403, 'forbidden', 'only an instance admin token may do this');
  let project: Project | null = null;
  if (params.project !== undefined) {
    const ref = params.project;
    project = await projects.get(ref, () => findProject(db, ref));
    // 404, not 403: a token must not learn which other projects exist.
    if (!project || !canSee(token, project)) throw notFound(`project ${params.project}`);
  }
  if (r.access === 'admin' && token.role === 'read') throw new ApiError(403, 'forbidden', 'this token is read-only');
  return project;
}

/**
 * Whether a write signed in by the session cookie comes from another origin. SameSite=Strict keeps other sites'
 * pages out, but another port of the same host or a sibling subdomain is the same site: its page could POST a
 * text/plain body (no preflight) with the cookie attached. Browsers say where a request comes from in
 * Sec-Fetch-Site, older ones in Origin; a request with neither is not a browser's cross-origin one.
 */
function crossOriginWrite(req: IncomingMessage, publicHost: string): boolean {
  if (req.method === 'GET' || req.method === 'HEAD' || req.headers.authorization || !req.headers.cookie) return false;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  try {
    const host = new URL(origin).host;
    return host !== req.headers.host && host !== publicHost;
  } catch {
    return true;
  }
}

export function createQueryServer(db: Database, options: QueryOptions, ops: QueryOps, log: Logger): { server: Server; routes: Route[] } {
  const auth = new Authenticator(db, options.sessionTtlMs, options.sessionSecret ?? '');
  const publicHost = new URL(options.publicUrl).host;
  // `{project}` of every path (id or slug), looked up once per 2 s; only found projects are kept, so a new one is
  // visible at once, and a change through this server clears the cache (one made elsewhere shows within 2 s).
  const projects = new TtlCache<Project | null>(2_000, { keep: (p) => p !== null });
  const secure = options.publicUrl.startsWith('https:');
  const routes = [...sessionRoutes(auth, secure), ...adminRoutes(db), ...traceRoutes(db, options), ...spanSeriesRoutes(db), ...attributeSuggestRoutes(db), ...logRoutes(db), ...otelMetricRoutes(db), ...issueRoutes(db), ...issueActivityRoutes(db, options.maxNotesPerIssue), ...feedbackRoutes(db), ...performanceRoutes(db, options.retentionDays), ...releaseRoutes(db), ...sourcemapRoutes(db, options.maxSourceFileBytesPerProject), ...alertRoutes(db), ...savedSearchRoutes(db), ...infoRoutes(options.version, options.ingest)];
  const openApi = JSON.stringify(buildOpenApi(routes, options.version));
  const ui = new StaticUi(options.uiDir);

  async function api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (url.pathname === '/api/v1/openapi.json') {
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'application/json' });
      res.end(openApi);
      return;
    }
    const match = matchRoute(routes, req.method ?? 'GET', url.pathname);
    if (match === null) throw notFound(`endpoint ${url.pathname}`);
    if (match === 'method_not_allowed') throw new ApiError(405, 'method_not_allowed', `${req.method ?? ''} is not allowed on ${url.pathname}`);
    const token = await auth.identify(req);
    if (match.route.access !== 'public' && token && crossOriginWrite(req, publicHost)) {
      throw new ApiError(403, 'forbidden', 'a signed-in browser may only write from Faultline pages of this origin');
    }
    const project = await authorize(match.route, token, db, projects, match.params);
    const input = await parseInput(match.route, req, url.searchParams);
    const reply = await match.route.handler({
      req,
      res,
      params: match.params,
      query: input.query,
      body: input.body,
      searchParams: url.searchParams,
      token,
      project: project as Project,
    }).finally(() => {
      // A change may rename or delete a project: later calls look it up again.
      if (req.method !== 'GET' && req.method !== 'HEAD') projects.clear();
    });
    sendJson(res, reply.status ?? 200, reply.body ?? null, reply.headers);
  }

  /** `?token=` on any UI URL signs the browser in and drops the token from the address bar. */
  async function signInFromUrl(res: ServerResponse, url: URL): Promise<void> {
    const token = url.searchParams.get('token') ?? '';
    url.searchParams.delete('token');
    const session = await auth.createSession(token);
    // A refused link says so on the sign-in form (a revoked or mistyped token must not fail silently).
    if (!session) url.searchParams.set('signin', 'refused');
    // The parsed path may begin with '//' (`/.//evil.example` normalises to it): sent as is, a browser reads that
    // as another host. One leading slash keeps the redirect on this origin.
    const headers: Record<string, string> = { ...SECURITY_HEADERS, location: `/${url.pathname.replace(/^\/+/, '')}${url.search}` };
    if (session) headers['set-cookie'] = sessionCookieHeader(session.cookie, session.maxAgeSeconds, secure);
    res.writeHead(303, headers);
    res.end();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Node passes an absolute-form target (`GET http://host:99999/ HTTP/1.1`) through unchecked.
    if (!URL.canParse(req.url ?? '/', 'http://localhost')) throw badRequest('the request target is not a valid URL');
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (url.pathname === '/readyz') {
      const ready = await ops.ready();
      return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' });
    }
    if (url.pathname === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(ops.metricsText());
      return;
    }
    if (url.pathname.startsWith('/api/')) return api(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new ApiError(405, 'method_not_allowed', 'the UI only answers GET');
    if (url.searchParams.has('token')) return signInFromUrl(res, url);
    return ui.serve(req, res, url.pathname);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof ApiError) return sendError(res, err);
      log.error({ err, path: req.url?.split('?')[0] }, 'query request failed');
      if (res.headersSent) return res.destroy();
      sendError(res, readFailure(err));
    });
  });
  server.on('clientError', answerClientError);
  return { server, routes };
}

/**
 * Requests Node's parser refuses never reach the handler; its own answer was a bare status line (431 for a URL or
 * headers over 16 KiB), so clients got no error in the contract's shape.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || err.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const [status, reason, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'headers_too_large', 'the request line and headers exceed 16 KiB; send long filters in fewer, shorter parameters']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'timeout', 'the request was not received in time']
        : [400, 'Bad Request', 'invalid_request', 'malformed HTTP request'];
  const body = JSON.stringify({ error: { code, message } });
  const headers = { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), connection: 'close' };
  socket.end(`HTTP/1.1 ${status} ${reason}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${body}`);
}

/** What a failed read tells the caller: the limits a query ran into are theirs to work around, the rest is ours. */
function readFailure(err: unknown): ApiError {
  if (isQueryTimeout(err)) return new ApiError(503, 'timeout', 'query took too long; narrow the time range or filters');
  if (isResultTooLarge(err)) {
    return new ApiError(400, 'result_too_large', 'the answer holds more rows than FAULTLINE_QUERY_MAX_ROWS allows; narrow the time range or filters');
  }
  return new ApiError(500, 'internal', 'internal error');
}
