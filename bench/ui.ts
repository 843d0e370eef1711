/**
 * The waterfall at 50k spans in headless Chromium: time from navigation to the first painted bar, and frame
 * times while scrolling (targets: < 1 s and < 16 ms per frame; Jaeger UI freezes at ~40k spans).
 * Run: npm run bench:ui [-- --spans 50000]
 */
import { randomBytes } from 'node:crypto';
import { launchBrowser } from '../tests/browser.ts';
import { eventually, startFaultline } from '../tests/harness.ts';

const args = process.argv.slice(2);
const SPANS = Number(args[args.indexOf('--spans') + 1] || 50_000);
const CHUNK = 5_000;

const fl = await startFaultline({ FAULTLINE_MAX_ITEMS_PER_REQUEST: String(CHUNK), FAULTLINE_MAX_HTTP_BODY_BYTES: String(64 * 1024 * 1024) });
const traceId = randomBytes(16).toString('hex');
const ids = Array.from({ length: SPANS }, () => randomBytes(8).toString('hex'));
const start = BigInt(Date.now() - 60_000) * 1_000_000n;
const services = ['web', 'api', 'db', 'cache', 'search'];
let t = performance.now();
for (let from = 0; from < SPANS; from += CHUNK) {
  const spans = ids.slice(from, from + CHUNK).map((spanId, k) => {
    const i = from + k;
    // A wide and deep tree: every span's parent is one of the 8 spans before it.
    const parent = i === 0 ? '' : ids[Math.max(0, i - 1 - (i % 8))];
    const s = start + BigInt(i) * 1_000_000n;
    return { traceId, spanId, parentSpanId: parent, name: `op-${i % 50}`, kind: 1, startTimeUnixNano: String(s), endTimeUnixNano: String(s + 5_000_000n + BigInt(i % 7) * 1_000_000n), status: i % 97 === 0 ? { code: 2 } : {} };
  });
  const body = JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: services[(from / CHUNK) % services.length] } }] }, scopeSpans: [{ spans }] }] });
  const res = await fetch(`${fl.otlpHttp}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${fl.key}` }, body });
  if (res.status !== 200) throw new Error(`ingest failed: ${res.status} ${await res.text()}`);
}
await eventually(async () => {
  const r = await fl.get(`/api/v1/projects/default/traces/${traceId}`);
  return r.status === 200 && (r.body as { spans: unknown[] }).spans.length === SPANS ? true : null;
}, 120_000);
const apiStart = performance.now();
await fl.get(`/api/v1/projects/default/traces/${traceId}`);
const apiMs = performance.now() - apiStart;
console.log(`seeded ${SPANS} spans in ${((performance.now() - t) / 1000).toFixed(1)} s; API trace fetch ${apiMs.toFixed(0)} ms`);

const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
await page.goto(`${fl.api}/projects/default/traces?token=${fl.token}`);
t = performance.now();
await page.goto(`${fl.api}/projects/default/traces/${traceId}`);
await page.waitForSelector('[data-testid="span-bar"]', { timeout: 60_000 });
const firstPaintMs = performance.now() - t;
const inPage = await page.evaluate(() => performance.getEntriesByType('navigation')[0]?.startTime ?? 0);
void inPage;

const frames = await page.evaluate(async () => {
  const viewport = document.querySelector('[data-testid="waterfall"]') as HTMLElement;
  const deltas: number[] = [];
  let last = performance.now();
  for (let i = 0; i < 240; i++) {
    viewport.scrollTop += 240;
    await new Promise((r) => requestAnimationFrame(() => r(null)));
    const now = performance.now();
    deltas.push(now - last);
    last = now;
  }
  return deltas;
});
frames.sort((a, b) => a - b);
const p = (q: number) => frames[Math.min(frames.length - 1, Math.floor(q * frames.length))] ?? 0;
const rows = await page.locator('[data-testid="span-row"]').count();
console.log(`first waterfall paint: ${firstPaintMs.toFixed(0)} ms (target < 1000 ms, ratio ${(firstPaintMs / 1000).toFixed(2)}×)`);
console.log(`scroll frame time: p50 ${p(0.5).toFixed(1)} ms, p95 ${p(0.95).toFixed(1)} ms, max ${p(1).toFixed(1)} ms (target < 16 ms; ratio p95 ${(p(0.95) / 16).toFixed(2)}×)`);
console.log(`rows in the DOM while scrolling: ${rows} of ${SPANS} (virtualized)`);
await browser.close();
await fl.stop();
