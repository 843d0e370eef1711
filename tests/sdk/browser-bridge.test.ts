import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser } from '../browser.ts';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { browserBundle } from './bundle.ts';

/**
 * The prebuilt browser script (sdk-bridge/dist/faultline.browser.js, built by `npm install`) in Chromium,
 * against a real Faultline: propagation rules, XHR, global error capture, unload flush, <meta> parents.
 */
const BUNDLE = browserBundle();

interface Echo {
  server: Server;
  origin: string;
  seen: Array<{ path: string; headers: IncomingHttpHeaders }>;
}

let fl: Faultline;
let browser: Browser;
let site: Echo;
let allowed: Echo;
let other: Echo;

function page(url: URL, origin: string): string {
  const service = url.searchParams.get('service') ?? 'browser-test';
  const config = {
    endpoint: fl.otlpHttp,
    key: fl.key,
    serviceName: service,
    release: 'web@9.9.9',
    propagateTraceTo: [allowed.origin],
    exportIntervalMs: Number(url.searchParams.get('interval') ?? 200),
  };
  const meta = url.searchParams.get('meta')
    ? `<meta name="traceparent" content="${url.searchParams.get('meta')}"><meta name="tracestate" content="shop=1">`
    : '';
  return `<!doctype html><html><head>${meta}<script src="${origin}/bundle.js"></script>
<script>Faultline.init(${JSON.stringify(config)}); Faultline.setUser({ id: 'u-web' });</script></head>
<body><button id="go">Go</button></body></html>`;
}

/** A server that records request headers; the page's own origin also serves the page and the bundle. */
async function echoServer(servePage: boolean): Promise<Echo> {
  const seen: Echo['seen'] = [];
  const echo: Echo = { server: createServer(), origin: '', seen };
  echo.server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', echo.origin);
    const cors = {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': 'traceparent, tracestate, content-type',
      'access-control-allow-methods': 'GET, POST',
    };
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
    if (servePage && url.pathname === '/page') return void res.writeHead(200, { 'content-type': 'text/html' }).end(page(url, echo.origin));
    if (servePage && url.pathname === '/bundle.js')
      return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(BUNDLE));
    seen.push({ path: url.pathname, headers: req.headers });
    res.writeHead(url.pathname === '/fail' ? 503 : 200, { ...cors, 'content-type': 'text/plain' }).end('ok');
  });
  await new Promise<void>((resolve) => echo.server.listen(0, '127.0.0.1', resolve));
  echo.origin = `http://127.0.0.1:${(echo.server.address() as { port: number }).port}`;
  return echo;
}

beforeAll(async () => {
  fl = await startFaultline();
  [site, allowed, other] = await Promise.all([echoServer(true), echoServer(false), echoServer(false)]);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  for (const echo of [site, allowed, other]) echo?.server.close();
  await fl?.stop();
});

async function open(query: string): Promise<Page> {
  const p = await browser.newPage();
  await p.goto(`${site.origin}/page?${query}`);
  await p.waitForFunction(() => 'Faultline' in window);
  return p;
}

async function traceSpans(traceId: string): Promise<
  Array<{
    spanId: string;
    parentSpanId: string;
    name: string;
    kind: string;
    serviceName: string;
    traceState: string;
    attributes: Record<string, unknown>;
  }>
> {
  return eventually(async () => {
    const res = await fl.get(`/api/v1/projects/default/traces/${traceId}`);
    // an error event can land before the spans: the trace then answers without spans
    const spans = res.status === 200 ? (res.body as { spans: Awaited<ReturnType<typeof traceSpans>> }).spans : [];
    return spans.length > 0 ? spans : null;
  });
}

describe('browser bridge in Chromium', () => {
  test('traceparent goes to the page origin and allow-listed origins only; fetch and XHR become client spans', async () => {
    const p = await open('service=propagation');
    await p.evaluate(
      async ([same, ok, no]) => {
        await fetch(`${same}/same`);
        await fetch(`${ok}/allowed`, { method: 'POST', body: 'x' });
        await fetch(`${no}/other`);
        await new Promise((resolve) => {
          const xhr = new XMLHttpRequest();
          xhr.open('GET', `${ok}/xhr`);
          xhr.onloadend = resolve;
          xhr.send();
        });
      },
      [site.origin, allowed.origin, other.origin],
    );
    const header = (echo: Echo, path: string) => echo.seen.find((s) => s.path === path)?.headers.traceparent as string | undefined;
    expect(header(site, '/same')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(header(allowed, '/allowed')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(header(allowed, '/xhr')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(other.seen.find((s) => s.path === '/other')).toBeDefined();
    expect(header(other, '/other')).toBeUndefined();

    const [, traceId, spanId] = header(allowed, '/xhr')!.split('-');
    const spans = await traceSpans(traceId!);
    expect(spans.find((s) => s.spanId === spanId)).toMatchObject({
      kind: 'CLIENT',
      name: 'GET',
      serviceName: 'propagation',
      attributes: { 'url.full': `${allowed.origin}/xhr`, 'http.response.status_code': 200 },
    });
    await p.close();
  });

  test('window errors and unhandled rejections become issues with stack traces, breadcrumbs and user', async () => {
    const p = await open('service=errors');
    await p.click('#go');
    await p.evaluate(() => {
      console.warn('about to break');
      setTimeout(function explode() {
        throw new RangeError('page exploded');
      }, 0);
      void Promise.reject(new TypeError('promise rejected in page'));
    });
    const issue = async (prefix: string) =>
      eventually(async () => {
        const list = ((await fl.get('/api/v1/projects/default/issues?status=all')).body as { issues: Array<{ id: string; title: string }> })
          .issues;
        return list.find((i) => i.title.startsWith(prefix)) ?? null;
      });
    const [thrown, rejected] = await Promise.all([issue('RangeError'), issue('TypeError')]);
    const event = (
      (await fl.get(`/api/v1/projects/default/issues/${thrown.id}`)).body as {
        latestEvent: {
          platform: string;
          release: string;
          user: { id: string };
          breadcrumbs: Array<{ category: string; message: string; level: string }>;
          exception: { values: Array<{ stacktrace: { frames: Array<{ function: string }> } }> };
        };
      }
    ).latestEvent;
    expect(event).toMatchObject({ platform: 'javascript', release: 'web@9.9.9', user: { id: 'u-web' } });
    expect(event.exception.values.at(-1)?.stacktrace.frames.some((f) => f.function === 'explode')).toBe(true);
    expect(event.breadcrumbs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ category: 'ui.click', message: 'button#go' }),
        expect.objectContaining({ category: 'console', message: 'about to break', level: 'warning' }),
      ]),
    );
    expect(rejected.title).toContain('promise rejected in page');
    await p.close();
  });

  test('spans still queued when the page goes away are sent by the unload flush (keepalive fetch)', async () => {
    // A one-minute export interval: only the pagehide/visibilitychange flush can deliver these spans.
    const p = await open('service=unload&interval=60000');
    await p.click('#go');
    await p.evaluate(async (same) => void (await fetch(`${same}/before-unload`)), site.origin);
    await p.waitForTimeout(50);
    await p.goto('about:blank');
    const traceparent = site.seen.find((s) => s.path === '/before-unload')?.headers.traceparent as string;
    const spans = await traceSpans(traceparent.split('-')[1]!);
    expect(spans.some((s) => s.serviceName === 'unload' && s.kind === 'CLIENT')).toBe(true);
    await p.close();
  });

  test('a server-rendered <meta name="traceparent"> makes the page load a child of that trace', async () => {
    const traceId = 'c0ffee00000000000000000000000001';
    const p = await open(`service=meta&meta=00-${traceId}-00000000000000aa-01`);
    const spans = await traceSpans(traceId);
    expect(spans.find((s) => s.name === 'documentLoad')).toMatchObject({
      parentSpanId: '00000000000000aa',
      serviceName: 'meta',
      traceState: 'shop=1',
    });
    await p.close();
  });
});
