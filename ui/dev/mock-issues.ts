// Fake issues and error events for the throwaway mock server (dev only, never part of the build).
// The 4th issue carries hostile strings everywhere to eyeball that they stay text.
import { traceIdOf } from './mock-data.ts';

const EVIL = '<img src=x onerror="alert(1)">';
const iso = (agoMs: number): string => new Date(Date.now() - agoMs).toISOString();

interface Spec {
  id: string;
  type: string;
  value: string;
  fn: string;
  file: string;
  level: string;
  count: number;
  users: number;
  status: string;
}

const SPECS: Spec[] = [
  { id: '0b7786c2cc5761cf', type: 'TypeError', value: "Cannot read properties of undefined (reading 'total')", fn: 'computeTotal', file: 'src/cart.js', level: 'error', count: 1234, users: 87, status: 'unresolved' },
  { id: '1a2b3c4d5e6f7081', type: 'ECONNRESET', value: 'socket hang up', fn: 'charge', file: 'src/payments/client.js', level: 'fatal', count: 42, users: 9, status: 'unresolved' },
  { id: '2b3c4d5e6f708192', type: 'DeprecationWarning', value: 'Buffer() is deprecated', fn: 'legacyEncode', file: 'src/util/encode.js', level: 'warning', count: 15_320, users: 1_204, status: 'ignored' },
  { id: '3c4d5e6f708192a3', type: 'Error', value: EVIL, fn: EVIL, file: 'src/evil.js', level: 'error', count: 3, users: 1, status: 'unresolved' },
  { id: '4d5e6f708192a3b4', type: 'RangeError', value: 'Invalid time value', fn: 'formatDate', file: 'src/format.js', level: 'info', count: 7, users: 2, status: 'resolved' },
];

export const issues = SPECS.map((s, i) => ({
  id: s.id,
  shortId: `DEFAULT-${(i + 17).toString(36).toUpperCase()}`,
  title: `${s.type}: ${s.value}`,
  culprit: `${s.fn}(${s.file})`,
  type: s.type,
  value: s.value,
  level: s.level,
  platform: 'node',
  status: s.status,
  resolvedInRelease: s.status === 'resolved' ? '1.4.0' : '',
  ignoreUntilEvents: 0,
  assignee: '',
  count: s.count,
  userCount: s.users,
  firstSeen: iso((i + 1) * 86_400_000),
  lastSeen: iso((i + 1) * 95_000),
  firstRelease: '1.2.0',
  lastRelease: '1.4.1',
  project: 'default',
}));

export function eventsOf(issueId: string): unknown[] {
  const i = SPECS.findIndex((s) => s.id === issueId);
  const s = SPECS[i];
  if (!s) return [];
  return Array.from({ length: Math.min(s.count, 5) }, (_, n) => ({
    eventId: `${issueId}${String(n).padStart(16, '0')}`,
    issueId,
    timestamp: iso((i + 1) * 95_000 + n * 600_000),
    level: s.level,
    platform: 'node',
    sdk: { name: 'sentry.javascript.node', version: '9.1.0' },
    source: 'sentry',
    title: `${s.type}: ${s.value}`,
    culprit: `${s.fn}(${s.file})`,
    message: n === 1 ? `while handling order ${EVIL}` : '',
    release: n === 0 ? '1.4.1' : '1.4.0',
    environment: 'production',
    serverName: `web-${n + 1}`,
    serviceName: 'frontend',
    transaction: 'POST /checkout',
    traceId: traceIdOf(4 * (n + 1)),
    spanId: '',
    user: { id: `u${n}`, email: n === 0 ? 'ann@example.com' : '', username: '', ipAddress: '10.0.0.1' },
    tags: { region: 'eu-west-1', browser: 'Chrome 126', evil: EVIL },
    contexts: { runtime: { name: 'node', version: 'v24.1.0' }, os: { type: 'Linux', version: '' }, app: { build: { sha: 'abc123', n: 7 } } },
    breadcrumbs: [
      { timestampMs: Date.now() - 5000, type: 'http', category: 'fetch', message: 'GET /api/cart', level: 'info', data: { status_code: 200 } },
      { timestampMs: Date.now() - 3000, type: 'default', category: 'console', message: EVIL, level: 'warning', data: null },
      { timestampMs: (Date.now() - 1000) / 1000, type: 'default', category: 'ui.click', message: 'button#pay', level: 'info', data: {} },
    ],
    exception: {
      values: [
        { type: 'Error', value: 'upstream failed', module: '', mechanism: null, stacktrace: { frames: [{ filename: 'src/api.js', absPath: '/srv/app/src/api.js', function: 'fetchCart', module: '', lineno: 12, colno: 9, inApp: true, contextLine: '  const res = await fetch(url);', preContext: ['async function fetchCart(url) {'], postContext: ['  return res.json();', '}'] }] } },
        {
          type: s.type,
          value: s.value,
          module: '',
          mechanism: { type: 'onunhandledrejection', handled: false },
          stacktrace: {
            frames: [
              { filename: 'task_queues', absPath: 'node:internal/process/task_queues', function: 'process.processTicksAndRejections', module: '', lineno: 95, colno: 5, inApp: false, contextLine: null, preContext: [], postContext: [] },
              { filename: 'layer.js', absPath: '/srv/app/node_modules/express/lib/router/layer.js', function: 'Layer.handle [as handle_request]', module: 'express/lib/router/layer', lineno: 95, colno: 5, inApp: false, contextLine: null, preContext: [], postContext: [] },
              { filename: s.file.split('/').pop(), absPath: `/srv/app/${s.file}`, function: s.fn, module: '', lineno: 42, colno: 13, inApp: true, contextLine: `  return cart.total + ${EVIL.length};`, preContext: [`function ${s.fn}(cart) {`, '  // compute'], postContext: ['}'] },
            ],
          },
        },
      ],
    },
  }));
}

export const activityOf = (issueId: string): unknown[] => [
  { id: 'first_seen', kind: 'first_seen', timestamp: iso(86_400_000), actor: 'system', data: { release: '1.2.0' } },
  { id: `r:${issueId}`, kind: 'regression', timestamp: iso(3_600_000), actor: 'system', data: { release: '1.4.1', resolvedInRelease: '1.4.0' } },
];
