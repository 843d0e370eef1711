import { describe, expect, test } from 'vitest';
import { sentryEventToErrorEvent } from './index.ts';
import { applyUserAgent, parseUserAgent } from './user-agent.ts';

const UA = {
  chromeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  chromeAndroid:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.104 Mobile Safari/537.36',
  headless: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/142.0.7444.59 Safari/537.36',
  edge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86',
  firefoxLinux: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  firefoxAndroid: 'Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0',
  safariMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1.1 Safari/605.1.15',
  safariIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
  chromeIos:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1',
  opera: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0',
  samsung:
    'Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
  chromeOs: 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  ie11: 'Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko',
};

describe('parseUserAgent', () => {
  test.each([
    ['chromeWindows', 'Chrome', '131.0.0', 'Windows', '10'],
    ['chromeAndroid', 'Chrome Mobile', '131.0.6778', 'Android', '14'],
    ['headless', 'HeadlessChrome', '142.0.7444', 'Linux', ''],
    ['edge', 'Edge', '131.0.2903', 'Windows', '10'],
    ['firefoxLinux', 'Firefox', '133.0', 'Linux', ''],
    ['firefoxAndroid', 'Firefox Mobile', '133.0', 'Android', '14'],
    ['safariMac', 'Safari', '18.1.1', 'macOS', '10.15.7'],
    ['safariIphone', 'Mobile Safari', '17.6', 'iOS', '17.6.1'],
    ['chromeIos', 'Chrome Mobile iOS', '131.0.6778', 'iOS', '18.1'],
    ['opera', 'Opera', '115.0.0', 'Windows', '10'],
    ['samsung', 'Samsung Internet', '26.0', 'Android', '13'],
    ['chromeOs', 'Chrome', '131.0.0', 'Chrome OS', ''],
    ['ie11', 'IE', '11.0', 'Windows', '7'],
  ] as const)('%s', (key, browser, browserVersion, os, osVersion) => {
    expect(parseUserAgent(UA[key])).toEqual({ browser: { name: browser, version: browserVersion }, os: { name: os, version: osVersion } });
  });

  test('clients that are not browsers, empty and oversize headers give nothing to guess from', () => {
    expect(parseUserAgent('curl/8.5.0')).toEqual({ browser: null, os: null });
    expect(parseUserAgent('')).toEqual({ browser: null, os: null });
    expect(parseUserAgent(`${UA.chromeWindows} ${'x'.repeat(2000)}`)).toEqual({ browser: null, os: null });
    expect(parseUserAgent('node-fetch/1.0 (Linux)').browser).toBeNull();
  });
});

describe('applyUserAgent', () => {
  test('fills browser and os contexts and tags from the header (any case of its name)', () => {
    const tags: Record<string, string> = {};
    const contexts: Record<string, unknown> = {};
    applyUserAgent(tags, contexts, { 'user-agent': UA.chromeWindows });
    expect(contexts).toEqual({ browser: { name: 'Chrome', version: '131.0.0' }, os: { name: 'Windows', version: '10' } });
    expect(tags).toEqual({ browser: 'Chrome', 'browser.version': '131.0.0', os: 'Windows', 'os.version': '10' });
  });

  test("the SDK's own contexts and tags win; contexts alone still give tags", () => {
    const tags: Record<string, string> = { browser: 'Custom' };
    const contexts: Record<string, unknown> = { os: { name: 'iPadOS', version: '17.5' } };
    applyUserAgent(tags, contexts, { 'User-Agent': UA.safariIphone });
    expect(contexts).toEqual({ os: { name: 'iPadOS', version: '17.5' }, browser: { name: 'Mobile Safari', version: '17.6' } });
    expect(tags).toEqual({ browser: 'Custom', os: 'iPadOS', 'os.version': '17.5' });
    const none: Record<string, string> = {};
    applyUserAgent(none, { os: { name: 'Linux', kernel_version: '6.8' } }, {});
    expect(none).toEqual({ os: 'Linux' });
  });

  test('a browser event: @sentry/browser sends the page and its User-Agent as the request', () => {
    const e = sentryEventToErrorEvent(
      { message: 'x', request: { url: 'https://shop.example.com/', headers: { 'User-Agent': UA.firefoxLinux } } },
      0,
    );
    expect(e.tags).toMatchObject({ browser: 'Firefox', 'browser.version': '133.0', os: 'Linux' });
    expect(e.contexts.browser).toEqual({ name: 'Firefox', version: '133.0' });
  });
});
