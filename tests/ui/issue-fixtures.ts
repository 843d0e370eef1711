// Issues seeded through the real ingest paths (OTLP span events and the Sentry store endpoint).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from '../browser.ts';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { nodeStack, sendException } from '../otlp-client.ts';

export interface WireIssue {
  id: string;
  title: string;
  status: string;
  count: number;
  userCount: number;
  resolvedInRelease: string;
  ignoreUntilEvents: number;
  ignoreUntil: string;
  ignoreUntilUsers: number;
  assignee: string;
}

export interface Seeded {
  /** 3 events from users u1, u2, u1 in releases 1.0.0, 1.1.0, 1.1.0; trace/span of the latest event. */
  pay: WireIssue & { traceId: string; spanId: string };
  /** 1 event, user u3, release 1.1.0. */
  db: WireIssue;
  /** Message and top frame function are `hostile`. */
  evil: WireIssue;
  /** The Sentry event of sendSentryEvent. */
  cart: WireIssue;
}

export async function fetchIssue(fl: Faultline, id: string): Promise<WireIssue> {
  return (await fl.get(`/api/v1/projects/default/issues/${id}`)).body as WireIssue;
}

async function issuesByTitle(fl: Faultline): Promise<Map<string, WireIssue>> {
  const res = await fl.get('/api/v1/projects/default/issues?status=all&limit=100');
  return new Map(((res.body as { issues: WireIssue[] }).issues ?? []).map((i) => [i.title, i]));
}

export async function seedIssues(fl: Faultline, hostile: string): Promise<Seeded> {
  const pay = {
    service: 'checkout',
    type: 'TypeError',
    message: 'card declined',
    stack: nodeStack('TypeError', 'card declined', 'chargeCard', 'src/pay.js', 42),
  };
  await sendException(fl, { ...pay, release: '1.0.0', userId: 'u1' });
  await sendException(fl, { ...pay, release: '1.1.0', userId: 'u2' });
  const last = await sendException(fl, { ...pay, release: '1.1.0', userId: 'u1' });
  const dbStack = nodeStack('RangeError', 'row index out of range', 'readRow', 'src/db.js', 7);
  await sendException(fl, {
    service: 'db',
    type: 'RangeError',
    message: 'row index out of range',
    stack: dbStack,
    release: '1.1.0',
    userId: 'u3',
  });
  await sendException(fl, {
    service: 'web',
    type: 'Error',
    message: hostile,
    stack: nodeStack('Error', hostile, hostile, 'src/evil.js', 3),
    release: '1.1.0',
  });
  await sendSentryEvent(fl, hostile);

  const byTitle = await eventually(async () => {
    const m = await issuesByTitle(fl);
    return m.get('TypeError: card declined')?.count === 3 && m.size >= 4 ? m : null;
  }, 20_000);
  const need = (title: string): WireIssue => {
    const issue = byTitle.get(title);
    if (!issue) throw new Error(`issue "${title}" was not created`);
    return issue;
  };
  // the trace of the latest event must be readable before "View trace" is clicked
  await eventually(async () => ((await fl.get(`/api/v1/projects/default/traces/${last.traceId}`)).status === 200 ? true : null));
  return {
    pay: { ...need('TypeError: card declined'), traceId: last.traceId, spanId: last.spanId },
    db: need('RangeError: row index out of range'),
    evil: need(`Error: ${hostile}`),
    cart: need('CartError: could not load cart'),
  };
}

/** A Sentry SDK event with everything the issue page renders: chain, context lines, breadcrumbs, tags. */
export async function sendSentryEvent(fl: Faultline, hostile: string): Promise<void> {
  const nowS = Date.now() / 1000;
  const body = {
    event_id: 'c'.repeat(32),
    platform: 'node',
    level: 'error',
    release: 'shop@2.0.0',
    environment: 'production',
    server_name: 'web-1',
    transaction: 'GET /cart',
    timestamp: nowS,
    tags: { region: 'eu-west-1', evil: hostile },
    user: { id: 'u9', email: 'ann@example.com' },
    contexts: { runtime: { name: 'node', version: 'v24.1.0' }, app: { build: { sha: 'abc', n: 7 }, note: hostile } },
    request: {
      method: 'GET',
      url: 'https://shop.example.com/cart?id=7&token=s3cr3t',
      headers: { Authorization: 'Bearer abcdefghijklmnop', 'X-Evil': hostile, Accept: 'application/json' },
      data: { note: hostile },
    },
    extra: { note: 'keep me', order: { id: 7, items: 2 }, evil: hostile },
    modules: { express: '4.19.2' },
    breadcrumbs: {
      values: [
        { timestamp: nowS - 3, category: 'http', level: 'info', message: 'GET /api/cart', data: { status_code: 200 } },
        { timestamp: nowS - 2, category: 'console', level: 'log', message: 'cart loaded' },
        { timestamp: nowS - 1, category: 'console', level: 'warning', message: hostile },
      ],
    },
    exception: {
      values: [
        {
          type: 'ECONNRESET',
          value: 'socket hang up',
          stacktrace: {
            frames: [
              {
                filename: 'src/db.js',
                abs_path: '/srv/app/src/db.js',
                function: 'query',
                lineno: 10,
                colno: 3,
                in_app: true,
                pre_context: ['function query(sql) {', '  const c = pool.get();'],
                context_line: '  return c.send(sql);',
                post_context: ['}'],
              },
            ],
          },
        },
        {
          type: 'CartError',
          value: 'could not load cart',
          mechanism: { type: 'generic', handled: true },
          stacktrace: {
            frames: [
              {
                filename: 'node:internal/process/task_queues',
                function: 'process.processTicksAndRejections',
                lineno: 95,
                colno: 5,
                in_app: false,
              },
              {
                filename: 'src/cart.js',
                abs_path: '/srv/app/src/cart.js',
                function: 'loadCart',
                lineno: 21,
                colno: 11,
                in_app: true,
                pre_context: ['async function loadCart(id) {', '  try {'],
                context_line: '    return await query(id);',
                post_context: ['  } catch (err) {'],
              },
            ],
          },
        },
      ],
    },
  };
  const res = await fetch(`${fl.otlpHttp}/api/1/store/?sentry_key=${fl.key}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`sentry store failed: ${res.status} ${await res.text()}`);
}

/** What a file of issue-page tests shares: a Faultline with the seeded issues and a browser. */
export interface IssuePages {
  fl: Faultline;
  browser: Browser;
  seeded: Seeded;
  /** A page signed in with the admin token at `path`. */
  open(path: string): Promise<Page>;
  getIssue(id: string): Promise<WireIssue>;
}

/** Starts Faultline and a browser before the file's tests (seeding issues with `hostile` text) and stops them after. */
export function issuePages(hostile: string): IssuePages {
  const pages = {
    async open(path: string): Promise<Page> {
      const page = await pages.browser.newPage({ viewport: { width: 1280, height: 900 } });
      const sep = path.includes('?') ? '&' : '?';
      await page.goto(`${pages.fl.api}${path}${sep}token=${pages.fl.token}`);
      return page;
    },
    getIssue: (id: string): Promise<WireIssue> => fetchIssue(pages.fl, id),
  } as IssuePages;
  beforeAll(async () => {
    pages.fl = await startFaultline();
    pages.browser = await launchBrowser();
    mkdirSync(join(import.meta.dirname, '__screenshots__'), { recursive: true });
    pages.seeded = await seedIssues(pages.fl, hostile);
  });
  afterAll(async () => {
    await pages.browser?.close();
    await pages.fl?.stop();
  });
  return pages;
}
