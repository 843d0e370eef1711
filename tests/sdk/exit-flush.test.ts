import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, startFaultline, type Faultline } from '../harness.ts';

// The bridge's crash fixture: init, a breadcrumb, a console line, then an exception nobody catches.
const FIXTURE = join(import.meta.dirname, '..', '..', 'sdk-bridge', 'test', 'fixtures', 'crash.ts');

let fl: Faultline;
beforeAll(async () => {
  fl = await startFaultline();
});
afterAll(async () => fl?.stop());

function run(mode: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [FIXTURE], {
    env: { ...process.env, FIXTURE_MODE: mode, FIXTURE_ENDPOINT: fl.otlpHttp, FIXTURE_KEY: fl.key },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('Node process that throws after init', () => {
  test('the exception reaches Faultline as an issue before the process exits', async () => {
    const { code, stderr } = await run('throw');
    expect(code).toBe(1);
    expect(stderr).toContain('RangeError: row 17 out of range');
    // The export interval of the fixture is a minute: the issue can only come from the exit flush.
    const issue = await eventually(async () => {
      const res = await fl.get('/api/v1/projects/default/issues?status=all&query=RangeError');
      return (res.body as { issues: Array<{ id: string; title: string; culprit: string }> }).issues[0] ?? null;
    });
    expect(issue.title).toContain('row 17 out of range');
    const detail = (await fl.get(`/api/v1/projects/default/issues/${issue.id}`)).body as {
      latestEvent: {
        release: string;
        environment: string;
        serviceName: string;
        user: { id: string; email: string };
        breadcrumbs: Array<{ category: string; message: string }>;
        exception: { values: Array<{ stacktrace: { frames: Array<{ function: string; inApp: boolean }> } }> };
      };
    };
    const event = detail.latestEvent;
    expect(event).toMatchObject({
      release: 'crash@2.0.0',
      environment: 'test',
      serviceName: 'crash-fixture',
      user: { id: 'u-crash', email: 'crash@example.com' },
    });
    expect(event.exception.values.at(-1)?.stacktrace.frames.at(-1)?.function).toContain('importRows');
    expect(event.breadcrumbs.map((b) => `${b.category}:${b.message}`)).toEqual(['job:nightly import started', 'console:about to fail']);
  });
});
