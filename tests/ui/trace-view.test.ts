import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, openSignedIn } from '../browser.ts';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { CHECKOUT, CHECKOUT_CRITICAL, longTrace, seedSpans } from './trace-view-fixtures.ts';

let fl: Faultline;
let browser: Browser;
let checkout: { traceId: string; ids: Map<string, string> };
const SCREENSHOTS = join(import.meta.dirname, '__screenshots__');

async function stored(traceId: string, spans: number): Promise<void> {
  await eventually(async () => {
    const r = await fl.get(`/api/v1/projects/default/traces/${traceId}`);
    return r.status === 200 && (r.body as { spans: unknown[] }).spans.length === spans ? true : null;
  });
}

/** Console errors per page: the strict CSP must not block anything the trace view does (canvas, d3 brush). */
const consoleErrors = new WeakMap<Page, string[]>();

async function open(path: string): Promise<Page> {
  const errors: string[] = [];
  const page = await openSignedIn(browser, fl, path, errors);
  consoleErrors.set(page, errors);
  await page.waitForSelector('[data-testid="span-bar"]');
  return page;
}

const zoomWindow = (page: Page): Promise<[number, number]> =>
  page.getByTestId('waterfall').evaluate((el) => [Number(el.getAttribute('data-window-start')), Number(el.getAttribute('data-window-end'))]);
const barNames = (page: Page) =>
  page.locator('[data-testid="span-row"]:has([data-testid="span-bar"]) .name').allTextContents();
const detailName = (page: Page) => page.getByTestId('span-detail-name').textContent();

beforeAll(async () => {
  fl = await startFaultline();
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
  checkout = await seedSpans(fl, CHECKOUT);
  await stored(checkout.traceId, CHECKOUT.length);
});
afterAll(async () => {
  await browser?.close();
  await fl?.stop();
});

describe('trace view', () => {
  test('brushing the minimap zooms the axis to the brushed window; reset zooms out', async () => {
    const page = await open(`/projects/default/traces/${checkout.traceId}`);
    const minimap = page.getByTestId('minimap');
    await minimap.locator('canvas').waitFor();
    expect(await barNames(page)).toHaveLength(CHECKOUT.length);
    expect(await zoomWindow(page)).toEqual([0, 100_000_000]);
    const firstTick = () => page.getByTestId('axis-tick').first().textContent();
    expect(await firstTick()).toBe('0');

    // brush 10%..40% of the trace: 10-40 ms
    const box = (await minimap.locator('svg').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2, { steps: 4 });
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => zoomWindow(page)).not.toEqual([0, 100_000_000]);
    const [from, to] = await zoomWindow(page);
    expect(from / 1e6).toBeCloseTo(10, 0);
    expect(to / 1e6).toBeCloseTo(40, 0);
    expect(await firstTick()).not.toBe('0');
    // render (65-95 ms) and flush logs (70-80 ms) lie outside the window: no bars for them
    expect((await barNames(page)).sort()).toEqual(
      ['GET /checkout', 'auth', 'POST /api/cart', 'SELECT cart', 'reserve stock', 'SELECT stock'].sort(),
    );
    // rows stay (the tree is still browsable), only bars outside the window go
    expect(await page.getByTestId('span-row').count()).toBe(CHECKOUT.length);
    await page.screenshot({ path: join(SCREENSHOTS, 'trace-view-zoom.png') });

    await page.getByTestId('zoom-reset').click();
    await expect.poll(() => zoomWindow(page)).toEqual([0, 100_000_000]);
    expect(await barNames(page)).toHaveLength(CHECKOUT.length);

    // dragging across the time axis zooms too: 65%..90% = 65-90 ms
    const axis = (await page.getByTestId('time-axis').boundingBox())!;
    await page.mouse.move(axis.x + axis.width * 0.65, axis.y + axis.height / 2);
    await page.mouse.down();
    await page.mouse.move(axis.x + axis.width * 0.9, axis.y + axis.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => (await zoomWindow(page))[0] / 1e6).toBeCloseTo(65, 0);
    expect((await barNames(page)).sort()).toEqual(['GET /checkout', 'flush logs', 'render'].sort());
    // the minimap's brush follows a zoom made elsewhere
    expect(await minimap.getAttribute('data-window-start')).toBe(String((await zoomWindow(page))[0]));
    expect(await page.locator('[data-testid="minimap-brush"] .selection').getAttribute('width')).not.toBeNull();
    expect(consoleErrors.get(page)).toEqual([]);
    await page.close();
  });

  test('the critical path marks exactly the spans the data puts on it', async () => {
    const page = await open(`/projects/default/traces/${checkout.traceId}`);
    expect(await page.locator('[data-testid="span-row"][data-critical]').count()).toBe(0);
    await page.getByTestId('critical-toggle').check();
    await expect.poll(() => page.locator('[data-testid="span-row"][data-critical="true"]').count()).toBe(CHECKOUT_CRITICAL.length);
    const marked = await page.locator('[data-testid="span-row"][data-critical="true"] .name').allTextContents();
    expect(marked.sort()).toEqual([...CHECKOUT_CRITICAL].sort());
    expect(await page.getByTestId('critical-count').textContent()).toContain(`${CHECKOUT_CRITICAL.length} spans`);
    // segments drawn on the bars: the root is on the path in its gaps (0-2, 12-15, 60-65, 95-100)
    const rootRow = page.locator(`[data-testid="span-row"][data-span-id="${checkout.ids.get('GET /checkout')}"]`);
    expect(await rootRow.getByTestId('critical-segment').count()).toBe(4);
    await page.screenshot({ path: join(SCREENSHOTS, 'trace-view-critical-path.png') });
    await page.getByTestId('critical-toggle').uncheck();
    await expect.poll(() => page.locator('[data-testid="span-row"][data-critical]').count()).toBe(0);
    await page.close();
  });

  test('search within the trace steps through matches, selects them and links them', async () => {
    const page = await open(`/projects/default/traces/${checkout.traceId}`);
    const search = page.getByTestId('trace-search');
    await search.fill('select');
    await expect.poll(() => page.getByTestId('trace-search-count').getAttribute('data-count')).toBe('2');
    expect(await page.locator('[data-testid="span-row"][data-match="true"] .name').allTextContents()).toEqual(['SELECT cart', 'SELECT stock']);
    await search.press('Enter');
    await expect.poll(() => detailName(page)).toBe('SELECT cart');
    expect(page.url()).toContain(`span=${checkout.ids.get('SELECT cart')}`);
    expect(await page.getByTestId('trace-search-count').textContent()).toContain('1 of 2');
    await search.press('Enter');
    await expect.poll(() => detailName(page)).toBe('SELECT stock');
    await search.press('Shift+Enter');
    await expect.poll(() => detailName(page)).toBe('SELECT cart');
    // attribute values are searched too
    await search.fill('qty from');
    await expect.poll(() => page.getByTestId('trace-search-count').getAttribute('data-count')).toBe('1');
    await page.getByTestId('trace-search-next').click();
    await expect.poll(() => detailName(page)).toBe('SELECT stock');
    // an exception message found only in a span event
    const matched = () => page.locator('[data-testid="span-row"][data-match="true"] .name').allTextContents();
    await search.fill('no stock left');
    await expect.poll(matched).toEqual(['reserve stock']);
    // key=value: attribute equality on span attributes, resource attributes and event attributes
    await search.fill('rpc.method=Charge');
    await expect.poll(matched).toEqual(['POST /api/cart']);
    await search.press('Enter');
    await expect.poll(() => detailName(page)).toBe('POST /api/cart');
    await search.fill('rpc.method=Char');
    await expect.poll(() => page.getByTestId('trace-search-count').textContent()).toBe('no matches');
    await search.fill('service.name=db');
    await expect.poll(matched).toEqual(['SELECT cart', 'SELECT stock']);
    await search.fill('exception.type=StockError');
    await expect.poll(matched).toEqual(['reserve stock']);
    await page.close();
  });

  test('keyboard navigation, collapsing and error marks keep working', async () => {
    const page = await open(`/projects/default/traces/${checkout.traceId}?span=${checkout.ids.get('auth')}`);
    await expect.poll(() => detailName(page)).toBe('auth');
    const row = (name: string) => page.locator(`[data-testid="span-row"][data-span-id="${checkout.ids.get(name)}"]`);
    await row('auth').click();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => detailName(page)).toBe('POST /api/cart');
    await page.keyboard.press('ArrowLeft'); // collapses POST /api/cart
    await expect.poll(() => row('SELECT cart').count()).toBe(0);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => row('SELECT cart').count()).toBe(1);
    expect(await row('reserve stock').getByTestId('span-bar').getAttribute('data-error')).toBe('true');
    expect(await row('reserve stock').getByTestId('span-error-icon').count()).toBe(1);
    await page.close();
  });

  test('the Errors button selects the error spans in turn; the minimap ticks them; nothing is selected on open', async () => {
    const page = await open(`/projects/default/traces/${checkout.traceId}`);
    const button = page.getByTestId('trace-next-error');
    await button.waitFor();
    // opening the trace selects nothing and leaves the URL alone
    expect(await page.getByTestId('span-detail').count()).toBe(0);
    expect(page.url()).not.toContain('span=');
    expect(await page.getByTestId('trace-error-count').getAttribute('data-count')).toBe('2');
    await expect.poll(() => page.getByTestId('minimap').getAttribute('data-error-ticks')).toBe('2');

    // collapsed away: the button still reaches the error and expands its ancestors
    const row = (name: string) => page.locator(`[data-testid="span-row"][data-span-id="${checkout.ids.get(name)}"]`);
    await row('GET /checkout').click();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => row('reserve stock').count()).toBe(0);
    await button.click();
    await expect.poll(() => detailName(page)).toBe('reserve stock');
    expect(page.url()).toContain(`span=${checkout.ids.get('reserve stock')}`);
    expect(await row('reserve stock').isVisible()).toBe(true);
    expect(await page.getByTestId('trace-error-pos').textContent()).toBe('1 of 2');
    await button.click();
    await expect.poll(() => detailName(page)).toBe('flush logs');
    expect(page.url()).toContain(`span=${checkout.ids.get('flush logs')}`);
    expect(await page.getByTestId('trace-error-pos').textContent()).toBe('2 of 2');
    await button.click();
    await expect.poll(() => detailName(page)).toBe('reserve stock');
    // from a span that is not an error: the next error after it
    await row('render').click();
    await expect.poll(() => detailName(page)).toBe('render');
    await button.click();
    await expect.poll(() => detailName(page)).toBe('flush logs');
    await page.screenshot({ path: join(SCREENSHOTS, 'trace-view-errors.png') });
    expect(consoleErrors.get(page)).toEqual([]);
    await page.close();
  });

  test('the span-name column is resized by dragging or with the arrow keys, and the width is remembered', async () => {
    const page = await open(`/projects/default/traces/${checkout.traceId}`);
    const label = page.locator('[data-testid="span-row"] .label').first();
    const labelWidth = async () => Math.round((await label.boundingBox())!.width);
    const overviewWidth = async () => Math.round((await page.locator('.minimap-row .side').boundingBox())!.width);
    const before = await labelWidth();
    expect(before).toBe(340);
    const splitter = page.getByTestId('label-splitter');
    expect(await splitter.getAttribute('aria-orientation')).toBe('vertical');
    const box = (await splitter.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(labelWidth).toBe(460);
    // the minimap's side column follows, so the overview stays over the time track
    expect(await overviewWidth()).toBe(460);
    await splitter.focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(labelWidth).toBe(444);
    await page.reload();
    await page.waitForSelector('[data-testid="span-bar"]');
    expect(await labelWidth()).toBe(444);
    // the track keeps its room however far it is dragged
    await splitter.focus();
    await page.keyboard.press('End');
    await expect.poll(labelWidth).toBe(1280 - 240);
    await page.close();
  });

  test('the critical path and the find text are in the URL (replaced, not pushed) and survive a reload', async () => {
    const page = await open(`/projects/default/traces/${checkout.traceId}`);
    const entries = () => page.evaluate(() => history.length);
    const before = await entries();
    const param = (key: string) => new URL(page.url()).searchParams.get(key);
    await page.getByTestId('critical-toggle').check();
    await expect.poll(() => param('critical')).toBe('1');
    await page.getByTestId('trace-search').pressSequentially('select', { delay: 30 });
    await expect.poll(() => param('find')).toBe('select');
    // typing rewrote the entry in place: nothing to step back through
    expect(await entries()).toBe(before);

    await page.reload();
    await page.waitForSelector('[data-testid="span-bar"]');
    expect(await page.getByTestId('critical-toggle').isChecked()).toBe(true);
    await expect.poll(() => page.locator('[data-testid="span-row"][data-critical="true"]').count()).toBe(CHECKOUT_CRITICAL.length);
    expect(await page.getByTestId('trace-search').inputValue()).toBe('select');
    await expect.poll(() => page.getByTestId('trace-search-count').getAttribute('data-count')).toBe('2');
    // Enter steps to the first match with the restored text; clearing and unticking drop the params
    await page.getByTestId('trace-search').press('Enter');
    await expect.poll(() => detailName(page)).toBe('SELECT cart');
    expect(param('find')).toBe('select');
    await page.getByTestId('trace-search').fill('');
    await expect.poll(() => param('find')).toBeNull();
    await page.getByTestId('critical-toggle').uncheck();
    await expect.poll(() => param('critical')).toBeNull();
    expect(param('span')).toBe(checkout.ids.get('SELECT cart'));
    // each history entry keeps its own text: Back brings the older one back into the field
    await page.getByTestId('trace-search').fill('stock');
    await expect.poll(() => param('find')).toBe('stock');
    await page.locator(`[data-testid="span-row"][data-span-id="${checkout.ids.get('auth')}"]`).click();
    await expect.poll(() => param('span')).toBe(checkout.ids.get('auth'));
    await page.getByTestId('trace-search').fill('');
    await expect.poll(() => param('find')).toBeNull();
    await page.goBack();
    await expect.poll(() => param('find')).toBe('stock');
    await expect.poll(() => page.getByTestId('trace-search').inputValue()).toBe('stock');
    await expect.poll(() => detailName(page)).toBe('SELECT cart');
    expect(await page.locator('[data-testid="span-row"][data-match="true"]').count()).toBeGreaterThan(0);
    expect(consoleErrors.get(page)).toEqual([]);
    await page.close();
  });

  test('Back after clicking spans returns to the previous one; keys and the Errors button do not add entries', async () => {
    const page = await open(`/projects/default/traces/${checkout.traceId}`);
    const row = (name: string) => page.locator(`[data-testid="span-row"][data-span-id="${checkout.ids.get(name)}"]`);
    const spanParam = () => new URL(page.url()).searchParams.get('span');
    const entries = () => page.evaluate(() => history.length);
    const start = await entries();
    // moving through the history moves the selection only: the trace is not fetched again
    const fetches: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes(`/api/v1/projects/default/traces/${checkout.traceId}`)) fetches.push(r.url());
    });
    await row('auth').click();
    await expect.poll(spanParam).toBe(checkout.ids.get('auth'));
    expect(await entries()).toBe(start + 1);
    // keyboard moves and the Errors button replace the entry
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => detailName(page)).toBe('POST /api/cart');
    await page.keyboard.press('ArrowDown');
    await expect.poll(spanParam).toBe(checkout.ids.get('SELECT cart'));
    await page.getByTestId('trace-next-error').click();
    await expect.poll(() => detailName(page)).toBe('reserve stock');
    await page.getByTestId('trace-next-error').click();
    await expect.poll(spanParam).toBe(checkout.ids.get('flush logs'));
    expect(await entries()).toBe(start + 1);
    await row('auth').click();
    await expect.poll(spanParam).toBe(checkout.ids.get('auth'));
    await row('render').click();
    await expect.poll(spanParam).toBe(checkout.ids.get('render'));
    expect(await entries()).toBe(start + 3);

    await page.goBack();
    await expect.poll(spanParam).toBe(checkout.ids.get('auth'));
    await expect.poll(() => detailName(page)).toBe('auth');
    expect(await row('auth').getAttribute('aria-selected')).toBe('true');
    expect(await row('render').getAttribute('aria-selected')).toBe('false');
    await page.goBack();
    await expect.poll(() => detailName(page)).toBe('flush logs');
    await page.goBack();
    await expect.poll(() => page.getByTestId('span-detail').count()).toBe(0);
    expect(spanParam()).toBeNull();
    await page.goForward();
    await expect.poll(() => detailName(page)).toBe('flush logs');
    expect(fetches).toEqual([]);
    expect(consoleErrors.get(page)).toEqual([]);
    await page.close();
  });

  test('a big trace paints its first spans early, then a deep link into the rest lands', async () => {
    const specs = longTrace(1_200);
    const big = await seedSpans(fl, specs);
    await stored(big.traceId, specs.length);
    const target = big.ids.get('step-1100')!;
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(`${fl.api}/projects/default/traces/${big.traceId}?span=${target}&token=${fl.token}`);
    await expect.poll(() => page.getByTestId('waterfall').getAttribute('data-row-count'), { timeout: 30_000 }).toBe(String(specs.length));
    await expect.poll(() => detailName(page)).toBe('step-1100');
    await expect.poll(() => page.locator(`[data-testid="span-row"][data-span-id="${target}"]`).isVisible()).toBe(true);
    expect(await page.getByTestId('span-not-found').count()).toBe(0);
    expect(await page.getByTestId('trace-partial').count()).toBe(0);
    // virtualized: only a window of rows is in the DOM
    expect(await page.getByTestId('span-row').count()).toBeLessThan(200);
    await page.screenshot({ path: join(SCREENSHOTS, 'trace-view-big.png') });
    await page.close();
  });

  test('the first answer is the earliest spans only when asked with limit', async () => {
    const r = await fl.get(`/api/v1/projects/default/traces/${checkout.traceId}?limit=3`);
    expect(r.status).toBe(200);
    const names = (r.body as { spans: { name: string }[] }).spans.map((s) => s.name);
    expect(names).toEqual(['GET /checkout', 'auth', 'POST /api/cart']);
    expect((await fl.get(`/api/v1/projects/default/traces/${checkout.traceId}?limit=0`)).status).toBe(400);
  });
});
