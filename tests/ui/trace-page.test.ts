import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser } from '../browser.ts';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { buildEnvelope, nodeErrorEvent } from '../../proto/src/sentry/fixtures.ts';
import { postOtlpJson, sendTrace } from '../otlp-client.ts';
import { seedSpans } from './trace-view-fixtures.ts';

let fl: Faultline;
let browser: Browser;
const SCREENSHOTS = join(import.meta.dirname, '__screenshots__');

beforeAll(async () => {
  fl = await startFaultline();
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await fl?.stop();
});

/** Sends log records of the trace: [severity number, body, ms after `spanId`'s start, whether it names the span]. */
async function sendLogs(traceId: string, spanId: string, records: Array<[number, string, number, boolean]>): Promise<void> {
  const stored = await eventually(async () => {
    const res = await fl.get(`/api/v1/projects/default/traces/${traceId}`);
    const body = res.body as { spans?: Array<{ spanId: string; startTimeUnixNano: string }> };
    return res.status === 200 && body.spans?.some((s) => s.spanId === spanId) ? (body as { spans: Array<{ spanId: string; startTimeUnixNano: string }> }) : null;
  });
  const at = BigInt(stored.spans.find((s) => s.spanId === spanId)?.startTimeUnixNano ?? '0');
  const logRecords = records.map(([severityNumber, body, offsetMs, linked]) => ({
    traceId,
    spanId: linked ? spanId : '',
    severityNumber,
    timeUnixNano: String(at + BigInt(offsetMs) * 1_000_000n),
    body: { stringValue: body },
    attributes: [{ key: 'order.id', value: { stringValue: 'o-17' } }],
  }));
  await postOtlpJson(fl, '/v1/logs', {
    resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] }, scopeLogs: [{ logRecords }] }],
  });
  await eventually(async () => {
    const res = await fl.get(`/api/v1/projects/default/traces/${traceId}`);
    return (res.body as { logs?: unknown[] }).logs?.length === records.length ? true : null;
  });
}

describe('trace page', () => {
  test('a cold deep link signs in, draws one bar per span and selects ?span=', async () => {
    const { traceId, spanIds } = await sendTrace(fl, { spans: 12, errorAt: 4, service: 'web' });
    await eventually(async () => ((await fl.get(`/api/v1/projects/default/traces/${traceId}`)).status === 200 ? true : null));
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const target = spanIds[4] ?? '';
    await page.goto(`${fl.api}/projects/default/traces/${traceId}?span=${target}&token=${fl.token}`);
    await page.waitForSelector('[data-testid="span-bar"]');
    expect(page.url()).not.toContain('token=');
    expect(await page.locator('[data-testid="span-bar"]').count()).toBe(12);
    const ids = await page.locator('[data-testid="span-bar"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-span-id')));
    expect(new Set(ids)).toEqual(new Set(spanIds));
    expect(await page.locator(`[data-testid="span-bar"][data-span-id="${target}"][data-error="true"]`).count()).toBe(1);
    await expect.poll(() => page.getByText(`span-4`, { exact: false }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'trace.png') });
    // "OTLP JSON" downloads the trace with the session cookie, as an export request any OTLP receiver takes.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="trace-export"]')]);
    expect(download.suggestedFilename()).toBe(`trace-${traceId}.otlp.json`);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ spanId: string }> }> }> };
    expect(new Set(exported.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((sp) => sp.spanId))))).toEqual(new Set(spanIds));
    await page.close();
  });

  test("the trace's logs: a drawer lists them as text, a click opens their span, whose details list its own", async () => {
    const { traceId, spanIds } = await sendTrace(fl, { spans: 4, service: 'shop' });
    // the records fall inside span 2, so they are ticks on its bar
    const hostile = '<img src=x onerror="document.body.dataset.pwned=1">';
    await sendLogs(traceId, spanIds[2] ?? '', [
      [17, 'payment declined', 5, true],
      [9, hostile, 6, true],
      [9, 'no span here', 7, false],
    ]);
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(`${fl.api}/projects/default/traces/${traceId}?token=${fl.token}`);
    // the drawer starts as its header with the count; one click opens it
    await page.waitForSelector('[data-testid="span-bar"]');
    expect(await page.locator('[data-testid="trace-log-count"]').textContent()).toBe('(3)');
    expect(await page.getByTestId('trace-logs').getAttribute('data-open')).toBe('false');
    await page.getByTestId('trace-logs-toggle').click();
    await page.waitForSelector('[data-testid="trace-log"]');
    const bodies = await page.locator('[data-testid="trace-log-body"]').allTextContents();
    expect(bodies).toEqual(['payment declined', hostile, 'no span here']);
    expect(await page.locator('[data-testid="trace-logs"] img').count()).toBe(0);
    expect(await page.locator('[data-testid="trace-log"][data-severity="error"]').count()).toBe(1);
    expect(await page.locator('[data-testid="trace-log"]').last().locator('button').isDisabled()).toBe(true);
    // the span's two records are ticks on its bar, the error one in the error colour
    const marks = page.locator(`[data-testid="span-row"][data-span-id="${spanIds[2]}"] [data-testid="log-mark"]`);
    expect(await marks.count()).toBe(2);
    expect(await page.locator('[data-testid="log-mark"]').count()).toBe(2);
    expect(await marks.evaluateAll((els) => els.map((e) => e.classList.contains('error')))).toEqual([true, false]);

    await page.locator('[data-testid="trace-logs-filter"]').fill('DECLINED');
    await expect.poll(() => page.locator('[data-testid="trace-log"]').count()).toBe(1);
    await page.locator('[data-testid="trace-log"] button').click();
    await page.waitForSelector(`[data-testid="span-detail"][data-span-id="${spanIds[2]}"]`);
    expect(page.url()).toContain(`span=${spanIds[2]}`);
    expect(await page.locator('[data-testid="span-log-body"]').allTextContents()).toEqual(['payment declined', hostile]);
    expect(await page.locator('[data-testid="span-log"]').first().getAttribute('data-severity')).toBe('error');
    expect(await page.evaluate(() => document.body.dataset.pwned)).toBeUndefined();
    await page.screenshot({ path: join(SCREENSHOTS, 'trace-logs.png') });
    // and the log search of this trace lists the same three records
    await page.locator('[data-testid="trace-logs-search"]').click();
    await page.waitForSelector('[data-testid="log-row"]');
    expect(page.url()).toContain(`traceId=${traceId}`);
    expect(await page.locator('[data-testid="log-body"]').allTextContents()).toEqual(['no span here', hostile, 'payment declined']);
    await page.close();
  });

  test('the logs drawer leaves the waterfall the room: closed without logs, a header with the count with them; choice and height are remembered', async () => {
    const quiet = await sendTrace(fl, { spans: 40, service: 'quiet' });
    const chatty = await sendTrace(fl, { spans: 40, service: 'shop' });
    await sendLogs(chatty.traceId, chatty.spanIds[3] ?? '', [
      [9, 'cart loaded', 1, true],
      [13, 'slow cart', 2, true],
    ]);
    await eventually(async () => ((await fl.get(`/api/v1/projects/default/traces/${quiet.traceId}`)).status === 200 ? true : null));
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const drawer = page.getByTestId('trace-logs');
    const toggle = page.getByTestId('trace-logs-toggle');
    const visibleRows = () => page.getByTestId('waterfall').evaluate((el) => Math.floor((el.clientHeight - 30) / 26));
    const drawerHeight = async () => Math.round((await drawer.boundingBox())!.height);

    // no logs: closed, its header says (0), and the waterfall has most of the window
    await page.goto(`${fl.api}/projects/default/traces/${quiet.traceId}?token=${fl.token}`);
    await page.waitForSelector('[data-testid="span-bar"]');
    expect(await drawer.getAttribute('data-open')).toBe('false');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByTestId('trace-log-count').textContent()).toBe('(0)');
    expect(await page.getByTestId('trace-logs-filter').count()).toBe(0);
    expect(await drawerHeight()).toBeLessThan(40);
    expect(await visibleRows()).toBeGreaterThanOrEqual(22);

    // logs: still closed, the header counts them; one click opens it
    await page.goto(`${fl.api}/projects/default/traces/${chatty.traceId}`);
    await page.waitForSelector('[data-testid="span-bar"]');
    expect(await page.getByTestId('trace-log-count').textContent()).toBe('(2)');
    expect(await drawer.getAttribute('data-open')).toBe('false');
    expect(await page.getByTestId('trace-log').count()).toBe(0);
    expect(await visibleRows()).toBeGreaterThanOrEqual(22);
    await toggle.click();
    await expect.poll(() => page.getByTestId('trace-log').count()).toBe(2);
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const opened = await drawerHeight();

    // the splitter: ↑ grows the drawer a step at a time, dragging it up grows it by the distance
    const splitter = page.getByTestId('trace-logs-splitter');
    expect(await splitter.getAttribute('role')).toBe('separator');
    await splitter.focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expect.poll(drawerHeight).toBe(opened + 48);
    await page.keyboard.press('ArrowDown');
    await expect.poll(drawerHeight).toBe(opened + 24);
    const box = (await splitter.boundingBox())!;
    await page.mouse.move(box.x + 200, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 200, box.y + box.height / 2 - 60, { steps: 4 });
    await page.mouse.up();
    await expect.poll(drawerHeight).toBe(opened + 84);
    expect(Number(await splitter.getAttribute('aria-valuenow'))).toBe(opened + 84);
    await page.screenshot({ path: join(SCREENSHOTS, 'trace-logs-drawer.png') });

    // both survive a reload
    await page.reload();
    await page.waitForSelector('[data-testid="trace-log"]');
    expect(await drawer.getAttribute('data-open')).toBe('true');
    expect(await drawerHeight()).toBe(opened + 84);
    // a trace without logs still starts closed
    await page.goto(`${fl.api}/projects/default/traces/${quiet.traceId}`);
    await page.waitForSelector('[data-testid="span-bar"]');
    expect(await drawer.getAttribute('data-open')).toBe('false');
    // closing is remembered too
    await page.goto(`${fl.api}/projects/default/traces/${chatty.traceId}`);
    await page.waitForSelector('[data-testid="trace-log"]');
    await toggle.click();
    await expect.poll(() => drawer.getAttribute('data-open')).toBe('false');
    await page.reload();
    await page.waitForSelector('[data-testid="span-bar"]');
    expect(await drawer.getAttribute('data-open')).toBe('false');
    expect(await page.getByTestId('trace-log').count()).toBe(0);
    await page.close();
  });

  test('a long root span name stays on one line at 1024 px; long names and values are cut, whole on demand', async () => {
    const longName = `SELECT ${Array.from({ length: 60 }, (_, i) => `col_${i}`).join(', ')} FROM orders WHERE id = $1`;
    const hugeValue = 'x'.repeat(4_991) + ' tail-end';
    const { traceId, ids } = await seedSpans(fl, [
      { name: longName, service: 'checkout-service', parent: '', startMs: 0, endMs: 10, attrs: { 'db.statement': hugeValue } },
      { name: 'child', service: 'checkout-service', parent: longName, startMs: 1, endMs: 5 },
    ]);
    await eventually(async () => ((await fl.get(`/api/v1/projects/default/traces/${traceId}`)).status === 200 ? true : null));
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    await page.goto(`${fl.api}/projects/default/traces/${traceId}?span=${ids.get(longName)}&token=${fl.token}`);
    await page.waitForSelector('[data-testid="span-detail"]');

    const h1 = page.getByTestId('trace-root');
    const service = h1.locator('.service');
    const name = page.getByTestId('trace-root-name');
    expect(await service.textContent()).toBe('checkout-service');
    const [h1Box, serviceBox, nameBox] = await Promise.all([h1.boundingBox(), service.boundingBox(), name.boundingBox()]);
    // one line: the name sits beside the service, as tall as it, ending inside the window
    expect(h1Box!.height).toBeLessThan(32);
    expect(Math.abs(nameBox!.y - serviceBox!.y)).toBeLessThan(4);
    expect(nameBox!.height).toBeLessThan(serviceBox!.height + 4);
    expect(nameBox!.x + nameBox!.width).toBeLessThanOrEqual(1024);
    // every section of the top bar is in view, and the bar does not widen the page
    const settings = await page.getByTestId('nav-settings').boundingBox();
    expect(settings!.x + settings!.width).toBeLessThanOrEqual(1024);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    // the service name is whole; the span name is cut, and whole in its title
    expect(await service.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(serviceBox!.width).toBeGreaterThan(100);
    expect(await name.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    expect(await name.getAttribute('title')).toBe(longName);

    await page.screenshot({ path: join(SCREENSHOTS, 'trace-long-names.png') });
    // the span panel's title: two lines at most until asked for the whole name
    const title = page.getByTestId('span-detail-name');
    expect((await title.boundingBox())!.height).toBeLessThan(50);
    await page.getByTestId('span-detail-name-toggle').click();
    await expect.poll(async () => (await title.boundingBox())!.height).toBeGreaterThan(100);

    // a 5,000-character attribute value: its first 300 characters, then all of it on demand
    const cell = page.locator('[data-testid="span-attributes"] [data-key="db.statement"] td');
    const cellText = (await cell.textContent()) ?? '';
    expect(cellText).toContain('Show all 5,000 characters');
    expect(cellText).not.toContain('tail-end');
    expect(cellText.length).toBeLessThan(400);
    await cell.getByTestId('long-text-toggle').click();
    await expect.poll(() => cell.textContent()).toContain('tail-end');
    await page.close();
  });

  test('a trace file (the OTLP JSON download) opens from disk in the waterfall without being stored', async () => {
    const { traceId, spanIds } = await sendTrace(fl, { spans: 5, errorAt: 2, service: 'filed' });
    const exported = await eventually(async () => {
      const res = await fl.get(`/api/v1/projects/default/traces/${traceId}/otlp`);
      return res.status === 200 ? res.body : null;
    });
    const dir = mkdtempSync(join(tmpdir(), 'faultline-trace-file-'));
    const good = join(dir, 'trace.otlp.json');
    const bad = join(dir, 'notes.json');
    writeFileSync(good, JSON.stringify(exported));
    writeFileSync(bad, '{"resourceLogs": []}');
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(`${fl.api}/projects/default/traces?token=${fl.token}`);
    await page.click('[data-testid="trace-file-open"]');
    await page.locator('[data-testid="trace-file-input"]').setInputFiles(bad);
    await expect.poll(() => page.getByText('the file holds no spans', { exact: false }).count()).toBe(1);
    await page.locator('[data-testid="trace-file-input"]').setInputFiles(good);
    await page.waitForSelector('[data-testid="span-bar"]');
    expect(await page.locator('[data-testid="trace-id"]').textContent()).toBe(traceId);
    const bars = page.locator('[data-testid="span-bar"]');
    expect(new Set(await bars.evaluateAll((els) => els.map((e) => e.getAttribute('data-span-id'))))).toEqual(new Set(spanIds));
    expect(await page.locator(`[data-testid="span-bar"][data-span-id="${spanIds[2] ?? ''}"][data-error="true"]`).count()).toBe(1);
    // a file's trace has no download of its own; selecting a span shows its details as for a stored one
    expect(await page.locator('[data-testid="trace-export"]').count()).toBe(0);
    expect(await page.locator('[data-testid="trace-error-count"]').getAttribute('data-count')).toBe('1');
    await page.locator(`[data-testid="span-bar"][data-span-id="${spanIds[3] ?? ''}"]`).click();
    await page.waitForSelector(`[data-testid="span-detail"][data-span-id="${spanIds[3] ?? ''}"]`);
    expect(await page.locator('[data-testid="span-detail"]').textContent()).toContain('span-3');
    await page.screenshot({ path: join(SCREENSHOTS, 'trace-file.png') });
    rmSync(dir, { recursive: true, force: true });
    await page.close();
  });

  test('without a session the UI asks for a token', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(`${fl.api}/projects/default/traces`);
    await page.waitForSelector('input[type="password"]');
    await page.fill('input[type="password"]', fl.token);
    await page.keyboard.press('Enter');
    await page.waitForSelector('form, table, [data-testid="trace-search"]');
    await page.screenshot({ path: join(SCREENSHOTS, 'search.png') });
    await page.close();
  });

  test('an error event marks its span failed; errors captured outside every span are listed, also for a ?span= of theirs', async () => {
    // Sentry SDKs leave a span's status unset when captureException runs inside it, and report errors captured
    // outside any span with the trace's propagation span id, which no span carries.
    const { traceId, spanIds } = await sendTrace(fl, { spans: 4, service: 'web' });
    const outside = 'ffffffffffffffff';
    for (const [eventId, spanId] of [
      ['a1'.padEnd(32, '0'), spanIds[2] ?? ''],
      ['b2'.padEnd(32, '0'), outside],
    ] as const) {
      const event = { ...nodeErrorEvent(), event_id: eventId, timestamp: Date.now() / 1000, contexts: { trace: { trace_id: traceId, span_id: spanId } } };
      const envelope = buildEnvelope({ event_id: eventId }, [{ headers: { type: 'event' }, payload: JSON.stringify(event) }]);
      const res = await fetch(`${fl.otlpHttp}/api/1/envelope/?sentry_key=${fl.key}`, { method: 'POST', body: Buffer.from(envelope) });
      expect(res.status).toBe(200);
    }
    await eventually(async () => (((await fl.get(`/api/v1/projects/default/traces/${traceId}`)).body as { errors?: unknown[] }).errors?.length === 2 ? true : null));
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${fl.api}/projects/default/traces/${traceId}?span=${outside}&token=${fl.token}`);
    await page.waitForSelector('[data-testid="trace-detached-errors"]');
    expect(await page.locator('[data-testid="trace-error-count"]').getAttribute('data-count')).toBe('1');
    expect(await page.locator('[data-testid="span-not-found"]').textContent()).toContain('captured outside every recorded span');
    const links = page.locator('[data-testid="trace-detached-error"]');
    expect(await links.count()).toBe(1);
    await links.first().click();
    await page.waitForURL(/\/issues\//);
    await page.close();
  });

  test('a trace known only from an error event (tracing off in the SDK) shows the event and links to its issues', async () => {
    const traceId = 'c0ffee'.padEnd(32, '7');
    const eventId = 'c3'.padEnd(32, '0');
    const event = { ...nodeErrorEvent(), event_id: eventId, timestamp: Date.now() / 1000, contexts: { trace: { trace_id: traceId, span_id: '7'.repeat(16) } } };
    const envelope = buildEnvelope({ event_id: eventId }, [{ headers: { type: 'event' }, payload: JSON.stringify(event) }]);
    expect((await fetch(`${fl.otlpHttp}/api/1/envelope/?sentry_key=${fl.key}`, { method: 'POST', body: Buffer.from(envelope) })).status).toBe(200);
    const issueId = await eventually(async () => {
      const res = await fl.get(`/api/v1/projects/default/events/${eventId}`);
      return res.status === 200 ? (res.body as { issueId: string }).issueId : null;
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${fl.api}/projects/default/traces/${traceId}?token=${fl.token}`);
    await page.waitForSelector('[data-testid="trace-spanless"]');
    expect(await page.locator('[data-testid="trace-root"]').textContent()).toContain('No spans recorded');
    expect(await page.locator('[data-testid="trace-export"]').count()).toBe(0);
    expect(await page.locator('[data-testid="trace-error-count"]').getAttribute('data-count')).toBe('1');
    const events = page.locator('[data-testid="trace-spanless-error"]');
    expect(await events.count()).toBe(1);
    expect(await events.first().getAttribute('href')).toContain(eventId);
    await page.locator('[data-testid="trace-missing-issues"]').click();
    await page.waitForURL(/\/issues\?/);
    await page.waitForSelector(`[data-issue-id="${issueId}"]`);
    // the only issue listed: the search names the trace
    expect(await page.locator('[data-issue-id]').count()).toBe(1);
    // a trace of which nothing is stored is not found
    await page.goto(`${fl.api}/projects/default/traces/${'d0d0'.padEnd(32, '9')}`);
    await page.waitForSelector('[data-testid="state-not-found"]');
    await page.close();
  });
});
