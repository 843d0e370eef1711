import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startReceiver, type Receiver } from './receiver.ts';

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => receiver?.close());

/** Runs the crash fixture to its end; its export interval is a minute, so only the exit flush can deliver. */
function runFixture(mode: string): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures', 'crash.ts')], {
    env: { ...process.env, FIXTURE_MODE: mode, FIXTURE_ENDPOINT: receiver.url, FIXTURE_KEY: 'k-crash' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started })));
}

function exceptionEvent(type: string) {
  const span = receiver.spans().find((s) => s.events.some((e) => e.attributes['exception.type'] === type));
  return { span, event: span?.events.find((e) => e.name === 'exception') };
}

describe('uncaught errors in a Node process', () => {
  test('an uncaught exception is exported before the process exits with code 1', async () => {
    const run = await runFixture('throw');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('RangeError: row 17 out of range');
    expect(run.stderr).toContain('importRows');
    const { span, event } = exceptionEvent('RangeError');
    expect(span).toMatchObject({ name: 'exception', statusCode: 2, serviceName: 'crash-fixture' });
    expect(span?.resource['service.version']).toBe('crash@2.0.0');
    expect(event?.attributes).toMatchObject({
      'exception.message': 'row 17 out of range',
      'user.id': 'u-crash',
      'faultline.mechanism': 'uncaughtException',
      'exception.escaped': true,
    });
    expect(String(event?.attributes['exception.stacktrace'])).toMatch(/importRows.*crash\.ts:\d+:\d+/);
    const crumbs = JSON.parse(String(event?.attributes['faultline.breadcrumbs'])) as Array<{ category: string; message: string }>;
    expect(crumbs.map((c) => `${c.category}:${c.message}`)).toEqual(['job:nightly import started', 'console:about to fail']);
  });

  test('an unhandled rejection is exported and still ends the process, as Node does by default', async () => {
    const run = await runFixture('reject');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('TypeError: rejected for good');
    const { event } = exceptionEvent('TypeError');
    expect(event?.attributes).toMatchObject({ 'exception.message': 'rejected for good', 'faultline.mechanism': 'unhandledRejection' });
  });

  test("with the application's own uncaughtException listener, the application decides", async () => {
    const before = receiver.spans().length;
    const run = await runFixture('own-handler');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('app handler ran');
    expect(receiver.spans().length).toBeGreaterThan(before);
  });
});
