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

const PAGE = (dsn: string) => `<!doctype html><html><body><button id="buy">Buy</button><script src="/sentry.js"></script><script src="/app.js"></script></body></html>
<!-- ${dsn} -->`;

const APP = (dsn: string) => `
Sentry.init({ dsn: ${JSON.stringify(dsn)}, release: 'web@3.1.0', environment: 'production' });
Sentry.setUser({ id: 'browser-user-7' });
function applyCoupon(code) { throw new TypeError('coupon ' + code + ' is not valid'); }
document.getElementById('buy').addEventListener('click', () => {
  Sentry.addBreadcrumb({ category: 'cart', message: 'buy clicked', level: 'info' });
  try { applyCoupon('SPRING'); } catch (e) { window.__eventId = Sentry.captureException(e); }
  Sentry.flush(5000).then(() => { window.__flushed = true; });
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
});
