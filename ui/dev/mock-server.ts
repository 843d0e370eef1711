// Throwaway static + mock API server to try the built SPA without the real query server.
//   npm run build -w @faultline/ui && npm run mock -w @faultline/ui   (PORT=5180, MOCK_AUTH=0 to skip sign-in)
// Token for the sign-in form: "dev". Trace ids: any from the search, plus "big" (5000 spans),
// "huge" (50000 spans), "weird" (orphans, cycles, duplicates, hostile strings); others 404.
// Issues: five fixed ones (dev/mock-issues.ts); PATCH changes their status in memory.
// Services, service map, releases, project settings, keys and tokens: dev/mock-perf.ts.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { generateTrace, summarize, traceIdOf, weirdTrace, type MockSpan } from './mock-data.ts';
import { activityOf, eventsOf, issues } from './mock-issues.ts';
import { perfApi } from './mock-perf.ts';

const ROOT = normalize(join(import.meta.dirname, '..', 'build'));
const PORT = Number(process.env.PORT ?? 5180);
const AUTH = process.env.MOCK_AUTH !== '0';
const TOKEN = 'dev';
const COOKIE = 'fl_mock_session';
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml' };

const traces = new Map<string, MockSpan[]>();
for (let i = 1; i <= 40; i++) traces.set(traceIdOf(i), generateTrace(i, 5 + ((i * 7) % 60), i % 4 === 0 ? 3 : -1));
const lazy: Record<string, () => MockSpan[]> = { big: () => generateTrace(500, 5000, 42), huge: () => generateTrace(501, 50_000, 4242), weird: weirdTrace };

function json(res: ServerResponse, status: number, body?: unknown): void {
  res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}
const fail = (res: ServerResponse, status: number, code: string, message: string): void => json(res, status, { error: { code, message } });

async function readBody(req: IncomingMessage): Promise<string> {
  let data = '';
  for await (const chunk of req) data += chunk;
  return data;
}

function signedIn(req: IncomingMessage): boolean {
  return !AUTH || (req.headers.cookie ?? '').split(/;\s*/).includes(`${COOKIE}=1`);
}

function traceById(id: string): MockSpan[] | undefined {
  const found = traces.get(id);
  if (found) return found;
  const make = lazy[id];
  if (!make) return undefined;
  const spans = make();
  traces.set(id, spans);
  return spans;
}

async function api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname.slice('/api/v1'.length);
  if (path === '/session') {
    if (req.method === 'DELETE') {
      res.writeHead(204, { 'set-cookie': `${COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict` });
      return void res.end();
    }
    if (req.method === 'POST') {
      let token = '';
      try {
        token = String((JSON.parse(await readBody(req)) as { token?: unknown }).token ?? '');
      } catch {
        return fail(res, 400, 'bad_request', 'body must be JSON');
      }
      if (token !== TOKEN) return fail(res, 401, 'unauthenticated', 'invalid or revoked token');
      res.writeHead(204, { 'set-cookie': `${COOKIE}=1; Path=/; HttpOnly; SameSite=Strict` });
      return void res.end();
    }
  }
  if (!signedIn(req)) return fail(res, 401, 'unauthenticated', 'missing or invalid token');
  await new Promise((r) => setTimeout(r, 150)); // make loading states visible
  if (path === '/projects') return json(res, 200, { projects: [{ id: 1, slug: 'default', name: 'Default' }, { id: 2, slug: 'shop', name: 'Shop <prod>' }] });
  const m = /^\/projects\/([^/]+)(\/.*)?$/.exec(path);
  if (!m || !['default', '1', 'shop', '2'].includes(decodeURIComponent(m[1]!))) return fail(res, 404, 'not_found', `project ${m?.[1] ?? ''} not found`);
  const rest = m[2] === '/' ? '' : (m[2] ?? '');
  const raw = req.method === 'POST' || req.method === 'PATCH' ? await readBody(req) : '';
  const perf = perfApi(req.method ?? 'GET', rest, url.searchParams, raw ? (JSON.parse(raw) as unknown) : {});
  if (perf) return json(res, perf.status, perf.body);
  if (rest === '/traces') {
    const q = url.searchParams;
    const min = q.get('minDurationMs');
    if (min !== null && !/^\d+(\.\d+)?$/.test(min)) return fail(res, 400, 'bad_filter', `minDurationMs: expected a number, got "${min}"`);
    let list = [...traces.entries()].filter(([id]) => !(id in lazy)).map(([id, spans]) => summarize(id, spans));
    const service = q.get('service');
    if (service) list = list.filter((t) => t.services.includes(service));
    if (q.get('status') === 'error') list = list.filter((t) => t.errorCount > 0);
    if (min) list = list.filter((t) => Number(t.durationNano) / 1e6 >= Number(min));
    if (q.get('sort') === 'duration') list.sort((a, b) => Number(b.durationNano) - Number(a.durationNano));
    // the real cursor is opaque; an offset does here
    const [from, limit] = [Number(q.get('cursor') ?? 0) || 0, Number(q.get('limit') ?? 20)];
    const nextCursor = from + limit < list.length ? String(from + limit) : null;
    return json(res, 200, { traces: list.slice(from, from + limit), nextCursor });
  }
  if (rest === '/issues') {
    const status = url.searchParams.get('status') ?? 'unresolved';
    const text = (url.searchParams.get('query') ?? '').toLowerCase();
    const list = issues.filter((i) => (status === 'all' || i.status === status) && (!text || i.title.toLowerCase().includes(text)));
    return json(res, 200, { issues: list });
  }
  const issueRoute = /^\/issues\/([^/]+)(\/events)?$/.exec(rest);
  if (issueRoute) {
    const issue = issues.find((i) => i.id === issueRoute[1]);
    if (!issue) return fail(res, 404, 'not_found', `issue ${issueRoute[1]} not found`);
    const events = eventsOf(issue.id);
    if (issueRoute[2]) return json(res, 200, { events });
    if (req.method === 'PATCH') {
      const body = JSON.parse(raw) as { status: string; resolvedInRelease?: string; ignoreUntilEvents?: number };
      Object.assign(issue, { status: body.status, resolvedInRelease: body.resolvedInRelease ?? '', ignoreUntilEvents: body.ignoreUntilEvents ?? 0 });
      return json(res, 200, issue);
    }
    return json(res, 200, { ...issue, latestEvent: events[0] ?? null, activity: activityOf(issue.id) });
  }
  const eventRoute = /^\/events\/([^/]+)$/.exec(rest);
  if (eventRoute) {
    const event = issues.flatMap((i) => eventsOf(i.id)).find((e) => (e as { eventId: string }).eventId === eventRoute[1]);
    return event ? json(res, 200, event) : fail(res, 404, 'not_found', `event ${eventRoute[1]} not found`);
  }
  const one = /^\/traces\/([^/]+)$/.exec(rest);
  if (one) {
    const id = decodeURIComponent(one[1]!);
    const spans = traceById(id);
    if (!spans) return fail(res, 404, 'not_found', `trace ${id} not found`);
    const errors = spans.filter((s) => s.statusCode === 'ERROR').map((s, i) => ({ eventId: `evt${i}`, issueId: `iss${i}`, spanId: s.spanId }));
    return json(res, 200, { traceId: id, spans, errors });
  }
  fail(res, 404, 'not_found', 'no such endpoint');
}

function serveStatic(res: ServerResponse, pathname: string): void {
  const file = normalize(join(ROOT, decodeURIComponent(pathname)));
  if (file.startsWith(ROOT + sep) && existsSync(file) && statSync(file).isFile()) {
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    return void res.end(readFileSync(file));
  }
  const index = join(ROOT, 'index.html');
  if (!existsSync(index)) return void res.writeHead(503).end('build the UI first: npm run build -w @faultline/ui');
  const html = readFileSync(index, 'utf8');
  const csp = /<meta http-equiv="content-security-policy" content="([^"]+)"/i.exec(html)?.[1];
  res.writeHead(200, { 'content-type': TYPES['.html']!, ...(csp ? { 'content-security-policy': csp } : {}) });
  res.end(html);
}

createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname.startsWith('/api/')) {
    api(req, res, url).catch((err: unknown) => fail(res, 500, 'internal', String(err)));
  } else {
    serveStatic(res, url.pathname);
  }
}).listen(PORT, '127.0.0.1', () => {
  console.log(`mock Faultline UI on http://127.0.0.1:${PORT}/ (auth ${AUTH ? `on, token "${TOKEN}"` : 'off'})`);
});
