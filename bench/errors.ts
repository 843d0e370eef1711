/**
 * Error events per second through extraction (OTLP `exception` span events → error events, stack parsing),
 * grouping and the insert, next to plain span rows through the same storage in the same run.
 * Run: npm run bench:errors [-- --events 20000]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Span } from '@faultline/proto';
import { insertErrorEvents, insertSpans, migrate, openDatabase, sql } from '@faultline/storage';
import { errorsFromSpan } from '../collector/src/errors/extract-otlp.ts';
import { prepareErrors } from '../collector/src/errors/pipeline.ts';
import { makeSpan } from '../storage/src/testing/make-span.ts';

const args = process.argv.slice(2);
const EVENTS = Number(args[args.indexOf('--events') + 1] || 20_000);
const BATCH = 5_000;

const STACKS = [
  (i: number) => `TypeError: Cannot read properties of undefined (reading 'id${i % 7}')\n    at loadOrder (/srv/app/src/orders.js:${40 + (i % 3)}:13)\n    at handle (/srv/app/src/router.js:88:5)\n    at Layer.handle (/srv/app/node_modules/express/lib/router/layer.js:95:5)`,
  (i: number) => `Traceback (most recent call last):\n  File "/app/shop/views.py", line 42, in checkout\n    total = cart.total()\n  File "/app/shop/cart.py", line ${10 + (i % 5)}, in total\n    return sum(p.price for p in self.items)\nKeyError: 'price${i}'`,
  (i: number) => `java.lang.IllegalStateException: order ${i} is closed\n\tat com.acme.shop.OrderService.pay(OrderService.java:77)\n\tat com.acme.shop.Api.handle(Api.java:31)\n\tat org.eclipse.jetty.server.Server.handle(Server.java:516)`,
  (i: number) => `panic: runtime error: index out of range [${i % 9}] with length 3\n\ngoroutine 1 [running]:\nmain.pick(...)\n\t/app/main.go:14\nmain.main()\n\t/app/main.go:${20 + (i % 2)} +0x1d`,
];

function exceptionSpan(i: number): Span {
  const start = BigInt(Date.now()) * 1_000_000n;
  const stack = (STACKS[i % STACKS.length] as (i: number) => string)(i);
  const header = stack.split('\n').find((l) => /Error|Exception|panic/.test(l)) ?? 'Error';
  return makeSpan({
    traceId: randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    startTimeUnixNano: start,
    endTimeUnixNano: start + 1_000_000n,
    statusCode: 2,
    attributes: { 'user.id': `u${i % 500}` },
    resource: { 'service.name': 'shop', 'service.version': `1.${i % 4}.0`, 'telemetry.sdk.language': ['nodejs', 'python', 'java', 'go'][i % 4] as string },
    events: [{ timeUnixNano: start, name: 'exception', attributes: { 'exception.type': header.split(':')[0] ?? 'Error', 'exception.message': header, 'exception.stacktrace': stack }, droppedAttributesCount: 0 }],
  });
}

const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-errors-'));
const db = await openDatabase({ dataDir: dir, clickhouseUrl: '', cluster: '', database: 'faultline', retentionDays: 14, queryTimeoutSeconds: 60, maxResultRows: 1e7 });
await migrate(db);
const spans = Array.from({ length: EVENTS }, (_, i) => exceptionSpan(i));

let t = performance.now();
for (let i = 0; i < EVENTS; i += BATCH) {
  const events = spans.slice(i, i + BATCH).flatMap((s) => errorsFromSpan(s));
  await insertErrorEvents(db, prepareErrors(1, events).rows);
}
const errorsSeconds = (performance.now() - t) / 1000;

t = performance.now();
for (let i = 0; i < EVENTS; i += BATCH) await insertSpans(db, spans.slice(i, i + BATCH).map((span) => ({ projectId: 1, span })));
const spansSeconds = (performance.now() - t) / 1000;

const [stored] = await db.query<{ n: number; issues: number }>(sql`SELECT toUInt64(count()) AS n, toUInt64(uniqExact(IssueId)) AS issues FROM ${db.table('error_events')}`);
await db.close();
rmSync(dir, { recursive: true, force: true });

const errorsRate = EVENTS / errorsSeconds;
const spansRate = EVENTS / spansSeconds;
console.log(`error events: ${Math.round(errorsRate)} events/s (extract + parse + group + insert, ${EVENTS} events, ${stored?.issues} issues, stored ${stored?.n})`);
console.log(`span rows:    ${Math.round(spansRate)} spans/s (same spans, plain insert)`);
console.log(`ratio errors/spans: ${(errorsRate / spansRate).toFixed(2)}×`);
if (stored?.n !== EVENTS) {
  console.log(`FAIL: stored ${stored?.n} of ${EVENTS} error events`);
  process.exitCode = 1;
}
