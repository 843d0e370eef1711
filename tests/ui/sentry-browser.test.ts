import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser } from '../browser.ts';
import { eventually, startFaultline, type Faultline } from '../harness.ts';

let fl: Faultline;
let browser: Browser;
let site: Server;
let siteUrl = '';

/** The real @sentry/browser, bundled for the page (the npm package ships no prebuilt bundle). */
async function sentryBundle(): Promise<string> {
  const result = await build({
    stdin: { contents: "import * as Sentry from '@sentry/browser'; window.Sentry = Sentry;", resolveDir: join(import.meta.dirname, '..', '..'), loader: 'js' },
    bundle: true,
    format: 'iife',
    write: false,
    minify: true,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

const PAGE = (dsn: string) => `<!doctype html><html><body><button id="buy">Buy</button><button id="boom">Boom</button><script src="/sentry.js"></script><script src="/app.js"></script></body></html>
<!-- ${dsn} -->`;

const APP = (dsn: string) => `
Sentry.init({ dsn: ${JSON.stringify(dsn)}, release: 'web@3.1.0', environment: 'production' });
Sentry.setUser({ id: 'browser-user-7' });
function applyCoupon(code) { throw new TypeError('coupon ' + code + ' is not valid'); }
document.getElementById('buy').addEventListener('click', () => {
  Sentry.addBreadcrumb({ category: 'cart', message: 'buy clicked', level: 'info' });
  try { applyCoupon('SPRING'); } catch (e) { window.__eventId = Sentry.captureException(e); }
  Sentry.flush(5000).then(() => { window.__flushed = true; });
});
// An uncaught error: @sentry/browser reports it (handled: false) and marks the page's session "unhandled".
document.getElementById('boom').addEventListener('click', () => {
  setTimeout(() => Sentry.flush(5000).then(() => { window.__flushed = true; }), 500);
  throw new RangeError('quantity ' + 0 + ' is out of range');
});`;

beforeAll(async () => {
  fl = await startFaultline();
  browser = await launchBrowser();
  const dsn = `http://${fl.key}@${fl.otlpHttp.replace('http://', '')}/1`;
  const bundle = await sentryBundle();
  site = createServer((req, res) => {
    const body = req.url === '/sentry.js' ? bundle : req.url === '/app.js' ? APP(dsn) : PAGE(dsn);
    res.writeHead(200, { 'content-type': req.url?.endsWith('.js') ? 'text/javascript' : 'text/html' });
    res.end(body);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as { port: number }).port}/`;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  site?.close();
  await fl?.stop();
});

describe('a real @sentry/browser page', () => {
  test('a captured exception crosses origins (CORS) and becomes an issue with frames, breadcrumbs, release and user', async () => {
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    await page.goto(siteUrl);
    await page.click('#buy');
    await page.waitForFunction(() => (window as unknown as { __flushed?: boolean }).__flushed === true, undefined, { timeout: 15_000 });
    const eventId = (await page.evaluate(() => (window as unknown as { __eventId: string }).__eventId)).replace(/-/g, '');
    const event = await eventually(async () => {
      const res = await fl.get(`/api/v1/projects/default/events/${eventId}`);
      return res.status === 200 ? (res.body as { release: string; user: { id: string }; breadcrumbs: Array<{ message: string }>; exception: { values: Array<{ type: string; value: string; stacktrace: { frames: Array<{ function: string; filename: string }> } }> } }) : null;
    });
    expect(event.release).toBe('web@3.1.0');
    expect(event.user.id).toBe('browser-user-7');
    expect(event.breadcrumbs.map((b) => b.message)).toContain('buy clicked');
    const exception = event.exception.values.at(-1);
    expect(exception).toMatchObject({ type: 'TypeError', value: 'coupon SPRING is not valid' });
    expect(exception?.stacktrace.frames.at(-1)?.function).toBe('applyCoupon');
    expect(exception?.stacktrace.frames.at(-1)?.filename).toContain('app.js');
    expect(consoleErrors.filter((e) => /CORS|blocked/i.test(e))).toEqual([]);
    await page.close();
  });

  test("the page's URL and User-Agent become the event's request, browser and OS (tags `browser`, `os`); an uncaught error marks the session unhandled", async () => {
    const probe = await browser.newPage();
    // Headless Chromium names itself HeadlessChrome; the same header without that word is what a desktop Chrome sends.
    const realUa = await probe.evaluate(() => navigator.userAgent);
    await probe.close();
    const chromeUa = realUa.replace('HeadlessChrome/', 'Chrome/');
    const version = /Chrome\/(\d+\.\d+\.\d+)/.exec(chromeUa)?.[1];
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);

    const context = await browser.newContext({ userAgent: chromeUa });
    const page = await context.newPage();
    await page.goto(`${siteUrl}?from=test`);
    await page.click('#boom');
    await page.waitForFunction(() => (window as unknown as { __flushed?: boolean }).__flushed === true, undefined, { timeout: 15_000 });
    await context.close();

    const search = async (q: string) =>
      (
        (await fl.get(`/api/v1/projects/default/issues?query=${encodeURIComponent(q)}`)).body as {
          issues: Array<{ id: string; title: string }>;
        }
      ).issues;
    // The README's example search finds it.
    const [issue] = await eventually(async () => {
      const found = await search('is:unresolved level:error browser:Chrome');
      return found.length > 0 ? found : null;
    });
    expect(issue?.title).toBe('RangeError: quantity 0 is out of range');
    expect((await search('browser.name:Chrome os:Linux')).map((i) => i.id)).toEqual([issue?.id]);
    expect(await search('browser:Firefox')).toEqual([]);
    const events = (await fl.get(`/api/v1/projects/default/issues/${issue?.id}/events`)).body as {
      events: Array<{
        tags: Record<string, string>;
        contexts: Record<string, unknown>;
        request: { url: string; queryString: string; headers: Record<string, string> };
      }>;
    };
    const event = events.events[0];
    expect(event?.tags).toMatchObject({ browser: 'Chrome', 'browser.version': version, os: 'Linux' });
    expect(event?.contexts.browser).toEqual({ name: 'Chrome', version });
    expect(event?.request).toMatchObject({ url: siteUrl, queryString: 'from=test', headers: { 'User-Agent': chromeUa } });

    // Real headless Chromium: its own header, parsed as Sentry names it.
    const [headless] = await search('browser:HeadlessChrome');
    expect(headless?.title).toBe('TypeError: coupon SPRING is not valid');

    // The session that saw the uncaught error counts against the release's crash-free rate.
    const release = await eventually(async () => {
      const r = (await fl.get('/api/v1/projects/default/releases/web@3.1.0')).body as {
        unhandledSessions: number;
        crashFreeSessions: number | null;
        sessions: number;
      };
      return r.unhandledSessions > 0 ? r : null;
    });
    expect(release.sessions).toBeGreaterThanOrEqual(2);
    expect(release.crashFreeSessions).toBeLessThan(1);
  });
});
