import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, openSignedIn } from '../browser.ts';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { nodeStack, sendException } from '../otlp-client.ts';

let fl: Faultline;
let browser: Browser;
const SCREENSHOTS = join(import.meta.dirname, '__screenshots__');
const problems: string[] = [];

beforeAll(async () => {
  [fl, browser] = await Promise.all([startFaultline(), launchBrowser()]);
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await fl?.stop();
});

const open = (path: string): Promise<Page> => openSignedIn(browser, fl, path, problems);
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });
const text = async (page: Page, selector: string) => (await page.locator(selector).first().textContent())?.trim();

describe('project settings page', () => {
  test('settings: create an ingest key with its DSN and OTEL lines, save settings, create, list and revoke a token', async () => {
    const project = (await fl.get('/api/v1/projects/default')).body as { id: number };
    const page = await open('/projects/default/settings');
    await page.waitForSelector('[data-testid="key-row"]');
    await page.waitForSelector('[data-testid="api-tokens"] [data-testid="state-loading"]', { state: 'detached' });
    // the key and token lists are fetched once, not again and again by their own effects
    const lists: string[] = [];
    const onRequest = (r: { url(): string }) => {
      if (/\/(keys|tokens)$/.test(r.url())) lists.push(r.url());
    };
    page.on('request', onRequest);
    await page.waitForTimeout(1_000);
    page.off('request', onRequest);
    expect(lists).toEqual([]);
    const before = await page.locator('[data-testid="key-row"]').count();
    await page.click('[data-testid="key-create"]');
    await poll(() => page.locator('[data-testid="key-row"]').count()).toBe(before + 1);
    const fresh = page.locator('[data-testid="key-row"].fresh');
    const key = (await fresh.locator('[data-testid="key-value"]').textContent())?.trim() ?? '';
    expect(key.length).toBeGreaterThan(10);
    // The collector's real port (the harness binds a free one), as GET /api/v1/info reports it.
    const ingest = fl.otlpHttp;
    await poll(() => fresh.locator('[data-testid="key-dsn"]').inputValue()).toBe(`http://${key}@${ingest.replace('http://', '')}/${project.id}`);
    expect(await fresh.locator('[data-testid="key-env"]').inputValue()).toBe(
      `OTEL_EXPORTER_OTLP_ENDPOINT=${ingest}\nOTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20${key}\nOTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf`,
    );
    const keys = ((await fl.get('/api/v1/projects/default/keys')).body as { keys: Array<{ key: string }> }).keys;
    expect(keys.some((k) => k.key === key)).toBe(true);

    await page.fill('[data-testid="rate-limit"]', '500');
    await page.fill('[data-testid="scrub-extra-keys"]', 'x-session\nx-card');
    await page.click('[data-testid="settings-save"]');
    await page.waitForSelector('[data-testid="settings-saved"]');
    const stored = (await fl.get('/api/v1/projects/default')).body as { settings: Record<string, unknown> };
    expect(stored.settings).toEqual({ rateLimitPerSecond: 500, scrubExtraKeys: ['x-session', 'x-card'] });

    await page.selectOption('[data-testid="token-role"]', 'read');
    await page.fill('[data-testid="token-label"]', 'dashboards');
    await page.click('[data-testid="token-create"]');
    const token = await (await page.waitForSelector('[data-testid="token-value"]')).inputValue();
    expect((await fl.get('/api/v1/projects/default/releases', token)).status).toBe(200);

    // the new token is listed as an active read token, as on the API
    const row = page.locator('[data-testid="token-row"].fresh');
    await poll(() => row.getAttribute('data-status')).toBe('active');
    expect(await row.getAttribute('data-role')).toBe('read');
    expect(await text(page, '[data-testid="token-row"].fresh [data-testid="token-row-role"]')).toBe('Read-only');
    expect(await text(page, '[data-testid="token-row"].fresh [data-testid="token-status"]')).toBe('active');
    const tokenId = (await row.getAttribute('data-token-id')) ?? '';
    const listed = async () =>
      ((await fl.get('/api/v1/projects/default/tokens')).body as { tokens: Array<{ id: string; role: string; revoked: boolean }> }).tokens;
    expect((await listed()).find((t) => t.id === tokenId)).toMatchObject({ role: 'read', label: 'dashboards', revoked: false });
    expect(await text(page, '[data-testid="token-row"].fresh [data-testid="token-label-shown"]')).toBe('dashboards');

    // signed in with it, the settings page shows a note where the list would be, not an error
    // (its own problems list: the 403s of the admin-only lists are expected there)
    const viewer = await openSignedIn(browser, { api: fl.api, token }, '/projects/default/settings', []);
    await viewer.waitForSelector('[data-testid="token-readonly"]');
    const tokensPanel = viewer.locator('[data-testid="api-tokens"]');
    expect(
      await tokensPanel.locator('[data-testid="state-error"], [data-testid="token-error"], [data-testid="token-create"]').count(),
    ).toBe(0);
    // No write control anywhere the API would refuse it: settings, keys, the issues list and an issue.
    await viewer.waitForSelector('[data-testid="settings-read-only"]');
    expect(await viewer.locator('[data-testid="settings-save"], [data-testid="key-create"]').count()).toBe(0);
    expect(await viewer.locator('[data-testid="project-name"]').isDisabled()).toBe(true);
    await sendException(fl, { service: 'ro', type: 'Error', message: 'seen read-only', stack: nodeStack('Error', 'seen read-only', 'ro', 'src/ro.js', 2) });
    const issueId = await eventually(async () => ((await fl.get('/api/v1/projects/default/issues')).body as { issues: Array<{ id: string }> }).issues[0]?.id ?? null);
    await viewer.goto(`${fl.api}/projects/default/issues`);
    await viewer.waitForSelector('[data-testid="issue-row"]');
    await poll(() => viewer.locator('[data-testid="issue-select"], [data-testid="issue-select-all"]').count()).toBe(0);
    await viewer.goto(`${fl.api}/projects/default/issues/${issueId}`);
    await viewer.waitForSelector('[data-testid="issue-read-only"]');
    expect(await viewer.locator('[data-testid="issue-actions"], button:has-text("Resolve")').count()).toBe(0);
    await viewer.close();

    // revoke with the confirmation step: the row turns revoked, the API refuses the token (lookups are cached ~2 s)
    await row.locator('[data-testid="token-revoke"]').click();
    expect(await row.getAttribute('data-status')).toBe('active');
    await row.locator('[data-testid="token-revoke-confirm"]').click();
    await poll(() => row.getAttribute('data-status')).toBe('revoked');
    expect(await text(page, '[data-testid="token-row"].fresh [data-testid="token-status"]')).toBe('revoked');
    expect(await row.locator('[data-testid="token-revoke"]').count()).toBe(0);
    expect((await listed()).find((t) => t.id === tokenId)).toMatchObject({ revoked: true });
    await expect
      .poll(async () => (await fl.get('/api/v1/projects/default/releases', token)).status, { timeout: 5_000, interval: 250 })
      .toBe(401);
    await fresh.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'settings.png') });
    await page.close();
  });

  test('a sign-in link with a refused token says so; the form then signs in and lands on the page asked for', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${fl.api}/projects/default/releases?token=flt_revoked_or_mistyped`);
    await page.waitForSelector('[data-testid="sign-in-error"]');
    expect(await text(page, '[data-testid="sign-in-error"]')).toBe('The token in the link was not accepted: it may have been revoked or mistyped.');
    expect(page.url()).not.toContain('flt_revoked');
    await page.fill('[data-testid="sign-in-token"]', fl.token);
    await page.click('[data-testid="sign-in-submit"]');
    // (the top bar marks Releases while signed out too: wait for the form to go, then check where it landed)
    await page.waitForSelector('[data-testid="sign-in-form"]', { state: 'detached' });
    expect(await page.locator('[data-testid="nav-releases"][aria-current="page"]').count()).toBe(1);
    expect(new URL(page.url()).pathname).toBe('/projects/default/releases');
    await context.close();
  });

  test('no console errors or CSP violations on the page', () => {
    expect(problems).toEqual([]);
  });
});
