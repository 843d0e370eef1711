import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, headless, with background networking off (this machine has no outside network). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.FAULTLINE_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * Opens `path` of a running Faultline, signed in through the `?token=` link, at 1280×720 in the given colour
 * scheme; console errors and uncaught page errors are appended to `problems` as `<path>: <message>`.
 */
export async function openSignedIn(
  browser: Browser,
  fl: { api: string; token: string },
  path: string,
  problems: string[],
  theme: 'light' | 'dark' = 'light',
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, colorScheme: theme });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${path}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${path}: ${e.message}`));
  const sep = path.includes('?') ? '&' : '?';
  await page.goto(`${fl.api}${path}${sep}token=${fl.token}`);
  return page;
}
