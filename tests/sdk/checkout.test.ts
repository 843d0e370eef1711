import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser } from '../browser.ts';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { browserBundle } from './bundle.ts';
import { startCheckoutBackend, type Backend } from './example-backend.ts';

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: string;
  serviceName: string;
  statusCode: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}
interface Trace {
  spans: Span[];
  errors: Array<{ eventId: string; issueId: string; spanId: string }>;
}
interface Frame {
  function: string;
  filename: string;
  absPath: string;
  inApp: boolean;
}
interface Event {
  traceId: string;
  spanId: string;
  release: string;
  environment: string;
  platform: string;
  serviceName: string;
  user: { id: string; email: string; username: string };
  breadcrumbs: Array<{ category: string; message: string; level: string; data: Record<string, unknown> }>;
  exception: { values: Array<{ type: string; value: string; stacktrace: { frames: Frame[] } }> };
}

const RELEASE = 'checkout@e2e.1';
let fl: Faultline;
let backend: Backend;
let browser: Browser;

beforeAll(async () => {
  browserBundle();
  fl = await startFaultline();
  backend = await startCheckoutBackend({
    FAULTLINE_ENDPOINT: fl.otlpHttp,
    FAULTLINE_KEY: fl.key,
    FAULTLINE_RELEASE: RELEASE,
    FAULTLINE_ENVIRONMENT: 'e2e',
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await backend?.stop();
  await fl?.stop();
});

async function latestEvent(issueId: string): Promise<Event> {
  const res = await fl.get(`/api/v1/projects/default/issues/${issueId}`);
  expect(res.status).toBe(200);
  return (res.body as { latestEvent: Event }).latestEvent;
}

describe('checkout example: browser → backend in one trace', () => {
  test('one click yields one trace with browser and backend spans, and an issue on each side', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(backend.url);
    await page.waitForFunction(() => 'Faultline' in window);
    await page.click('#add');
    await page.click('#checkout');
    await page.waitForSelector('#status[data-state="error"]');
    const traceId = (await page.getAttribute('#status', 'data-trace-id')) ?? '';
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(pageErrors).toEqual([]);

    // Both sides export within a second or so; the trace is complete when both errors are linked to it.
    const trace = await eventually(async () => {
      const res = await fl.get(`/api/v1/projects/default/traces/${traceId}`);
      const body = res.body as Trace;
      return res.status === 200 && body.errors.length === 2 && body.spans.some((s) => s.serviceName === 'checkout-web') ? body : null;
    }, 20_000);
    const byId = new Map(trace.spans.map((s) => [s.spanId, s]));
    const web = trace.spans.filter((s) => s.serviceName === 'checkout-web');
    const api = trace.spans.filter((s) => s.serviceName === 'checkout-api');
    expect(web.map((s) => s.name).sort()).toEqual(['POST', 'click', 'routeChange']);
    const click = web.find((s) => s.name === 'click')!;
    expect(click.parentSpanId).toBe('');
    expect(click.attributes['faultline.target']).toBe('button#checkout');
    const route = web.find((s) => s.name === 'routeChange')!;
    const fetchSpan = web.find((s) => s.kind === 'CLIENT')!;
    // The handler pushes /checkout, then fetches: click → routeChange → POST.
    expect(route.parentSpanId).toBe(click.spanId);
    expect(fetchSpan.parentSpanId).toBe(route.spanId);
    expect(fetchSpan.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.response.status_code': 502 });
    // The backend's server span is the child of the browser's fetch span: traceparent crossed the wire.
    const server = api.find((s) => s.kind === 'SERVER' && s.parentSpanId === fetchSpan.spanId);
    expect(server).toBeDefined();
    expect(api.some((s) => s.kind === 'CLIENT' && byId.get(s.parentSpanId)?.spanId === server?.spanId)).toBe(true);
    expect(api.length).toBeGreaterThanOrEqual(3);
    expect(server?.resource).toMatchObject({ 'service.version': RELEASE, 'deployment.environment.name': 'e2e' });

    // The two sides export on their own schedules: wait until both issues exist (two error events on the trace
    // can both be the backend's when the browser's export is late on a busy machine).
    const { backendIssue, browserIssue } = await eventually(async () => {
      const issues = ((await fl.get('/api/v1/projects/default/issues?status=all')).body as { issues: Array<{ id: string; title: string }> }).issues;
      const backend = issues.find((i) => i.title.startsWith('PaymentDeclinedError'));
      const browser = issues.find((i) => i.title.startsWith('CheckoutError'));
      return backend && browser ? { backendIssue: backend, browserIssue: browser } : null;
    }, 20_000);
    const linked = await eventually(async () => {
      const errors = ((await fl.get(`/api/v1/projects/default/traces/${traceId}`)).body as Trace).errors;
      return errors.length >= 2 && errors.some((e) => e.issueId === browserIssue.id) ? errors : null;
    }, 20_000);
    expect(new Set(linked.map((e) => e.issueId))).toEqual(new Set([backendIssue.id, browserIssue.id]));

    // Backend event: its stack trace, release, the user from the request, and ids inside the trace.
    const be = await latestEvent(backendIssue.id);
    expect(be).toMatchObject({ traceId, release: RELEASE, environment: 'e2e', platform: 'node', serviceName: 'checkout-api' });
    expect(byId.get(be.spanId)?.serviceName).toBe('checkout-api');
    expect(be.user).toMatchObject({ id: 'u-1001', email: 'ada@example.com', username: 'ada' });
    const beFrames = be.exception.values.at(-1)!.stacktrace.frames;
    expect(beFrames.at(-1)).toMatchObject({ function: 'chargeCard', inApp: true });
    expect(beFrames.at(-1)?.absPath).toContain('examples/checkout/payments.ts');
    expect(be.breadcrumbs.some((b) => b.category === 'console' && b.message.startsWith('checkout started'))).toBe(true);
    expect(be.breadcrumbs.find((b) => b.category === 'http')?.data).toMatchObject({ method: 'POST', status_code: 402 });
    // ...and the page's breadcrumbs from before the request, carried on the browser's fetch span of this trace.
    const pageCrumbs = be.breadcrumbs.map((b) => `${b.category}:${b.message}`);
    expect(pageCrumbs).toEqual(expect.arrayContaining(['ui.click:button#add', 'ui.click:button#checkout']));

    // Browser event: the page's breadcrumbs, user and release, on the span that was active when the
    // handler reported (the route change that issued the fetch), in the same trace.
    const fe = await latestEvent(browserIssue.id);
    expect(fe).toMatchObject({ traceId, spanId: route.spanId, release: RELEASE, platform: 'javascript', serviceName: 'checkout-web' });
    expect(fe.user).toMatchObject({ id: 'u-1001', email: 'ada@example.com', username: 'ada' });
    expect(fe.exception.values.at(-1)?.stacktrace.frames.some((f) => f.absPath.endsWith('/app.js') || f.filename.endsWith('app.js'))).toBe(
      true,
    );
    const crumbs = fe.breadcrumbs.map((b) => `${b.category}:${b.message}`);
    expect(crumbs).toEqual(
      expect.arrayContaining(['ui.click:button#add', 'console:added espresso-1kg, cart has 1 item(s)', 'ui.click:button#checkout']),
    );
    expect(fe.breadcrumbs.find((b) => b.category === 'navigation' && b.data.to === '/checkout')?.data.from).toBe('/');
    expect(fe.breadcrumbs.find((b) => b.category === 'fetch')).toMatchObject({
      level: 'error',
      data: { method: 'POST', status_code: 502 },
    });
    await page.close();
  });

  test('the page load is traced as a documentLoad span with navigation timing events', async () => {
    const found = await eventually(async () => {
      const res = await fl.get('/api/v1/projects/default/traces?service=checkout-web&operation=documentLoad');
      const first = (res.body as { traces: Array<{ traceId: string }> }).traces[0];
      return first ? first.traceId : null;
    });
    const trace = (await fl.get(`/api/v1/projects/default/traces/${found}`)).body as {
      spans: Array<Span & { events: Array<{ name: string }> }>;
    };
    const load = trace.spans.find((s) => s.name === 'documentLoad');
    expect(load?.events.map((e) => e.name)).toEqual(
      expect.arrayContaining(['fetchStart', 'domInteractive', 'domContentLoadedEventEnd', 'loadEventEnd']),
    );
  });
});
