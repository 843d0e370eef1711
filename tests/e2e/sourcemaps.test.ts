import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { main } from '@faultline/cli';
import { bundle, stackOf } from '../../collector/src/errors/fixtures/minified-bundle.ts';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { sendException } from '../otlp-client.ts';

let fl: Faultline;
beforeAll(async () => {
  fl = await startFaultline();
});
afterAll(async () => fl.stop());

const SITE = 'https://shop.example.com/static/js';
const files = (release: string): string => `/api/v1/projects/default/releases/${encodeURIComponent(release)}/files`;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${fl.api}${path}`, {
    method,
    headers: { authorization: `Bearer ${fl.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

interface Frame {
  filename: string;
  function: string;
  lineno: number;
  colno: number;
  inApp: boolean;
  contextLine: string | null;
  preContext: string[];
}

async function framesOfTrace(traceId: string): Promise<Frame[]> {
  const errors = await eventually(async () => {
    const trace = await fl.get(`/api/v1/projects/default/traces/${traceId}`);
    const list = trace.status === 200 ? (trace.body as { errors: Array<{ eventId: string }> }).errors : [];
    return list.length > 0 ? list : null;
  });
  const event = await fl.get(`/api/v1/projects/default/events/${errors[0]?.eventId}`);
  return (event.body as { exception: { values: Array<{ stacktrace: { frames: Frame[] } }> } }).exception.values.at(-1)?.stacktrace.frames ?? [];
}

describe('source maps', () => {
  test('upload validation: bad names, empty content and unusable maps are 400; list and delete', async () => {
    const map = bundle({ fn: 'a', caller: 'c' }).map;
    expect((await call('POST', files('0.9.0'), { name: 'app.js.map', content: map })).status).toBe(400);
    expect((await call('POST', files('0.9.0'), { name: '~/app.js', content: '' })).status).toBe(400);
    const notJson = await call('POST', files('0.9.0'), { name: '~/app.js.map', content: 'var x;' });
    expect(notJson.status).toBe(400);
    expect(JSON.stringify(notJson.body)).toContain('JSON');
    const v2 = await call('POST', files('0.9.0'), { name: '~/app.js.map', content: JSON.stringify({ version: 2, sources: [], mappings: '' }) });
    expect(JSON.stringify(v2.body)).toContain('version 3');

    // Past the API's usual 1 MiB body limit: the upload route declares its own (a vendor bundle's map).
    const vendor = await call('POST', files('0.8.0'), { name: '~/vendor.js', content: 'x'.repeat(3 * 1024 * 1024) });
    expect([vendor.status, (vendor.body as { size: number }).size]).toEqual([201, 3 * 1024 * 1024]);
    const created = await call('POST', files('0.9.0'), { name: '~/app.js.map', content: map });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: '~/app.js.map', kind: 'source_map', size: Buffer.byteLength(map) });
    expect((await call('POST', files('0.9.0'), { name: '~/app.js', content: 'var a=1;' })).body).toMatchObject({ kind: 'minified_source' });
    const listed = await fl.get(files('0.9.0'));
    expect((listed.body as { files: Array<{ name: string }> }).files.map((f) => f.name)).toEqual(['~/app.js', '~/app.js.map']);

    const id = (created.body as { id: string }).id;
    expect((await call('DELETE', `${files('0.9.0')}/${id}`)).status).toBe(204);
    expect((await call('DELETE', `${files('0.9.0')}/${encodeURIComponent('~/app.js')}`)).status).toBe(204);
    expect((await call('DELETE', `${files('0.9.0')}/${encodeURIComponent('~/app.js')}`)).status).toBe(404);
    expect((await fl.get(files('0.9.0'))).body).toEqual({ files: [] });
  });

  test('minified OTLP exceptions show original frames; two builds of one throw site are one issue', async () => {
    const one = bundle({ fn: 'a', caller: 'c' });
    const two = bundle({ fn: 'o', caller: 'u', prefix: '"use strict";var q=1,z=2;' });
    expect(one.throwCol).not.toBe(two.throwCol);
    // Build one through the API, build two through the CLI from a dist directory.
    expect((await call('POST', files('2.0.0'), { name: '~/static/js/app.min.js.map', content: one.map })).status).toBe(201);
    const dist = mkdtempSync(join(tmpdir(), 'faultline-dist-'));
    try {
      mkdirSync(join(dist, 'js'));
      writeFileSync(join(dist, 'js', 'app.4f9c2b7e.min.js'), two.code);
      writeFileSync(join(dist, 'js', 'app.4f9c2b7e.min.js.map'), two.map);
      const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      const code = await main(['sourcemaps', 'upload', dist, '--release', '2.0.1', '--project', 'default', '--url', fl.api, '--token', fl.token, '--url-prefix', '~/static']);
      const printed = out.mock.calls.map((c) => String(c[0])).join('');
      out.mockRestore();
      expect(code, printed).toBe(0);
      expect(printed).toContain('uploaded ~/static/js/app.4f9c2b7e.min.js.map');
      expect(printed).toContain('uploaded ~/static/js/app.4f9c2b7e.min.js (minified_source');
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }

    const spec = { service: 'shop-web', type: 'RangeError', message: 'negative total' };
    const first = await sendException(fl, { ...spec, release: '2.0.0', stack: stackOf(one, `${SITE}/app.min.js`, 'a', 'c') });
    await sendException(fl, { ...spec, release: '2.0.1', stack: stackOf(two, `${SITE}/app.4f9c2b7e.min.js?v=2`, 'o', 'u') });

    const frames = await framesOfTrace(first.traceId);
    expect(frames.at(-1)).toMatchObject({ filename: 'src/checkout.ts', function: 'applyDiscount', lineno: 6, colno: 11, inApp: true });
    expect(frames.at(-1)?.contextLine).toBe("    throw new RangeError('negative total');");
    expect(frames.at(-1)?.preContext).toHaveLength(5);
    expect(frames.at(-2)).toMatchObject({ filename: 'src/checkout.ts', function: 'checkout', lineno: 12 });

    const issues = await eventually(async () => {
      const res = await fl.get('/api/v1/projects/default/issues?status=all&query=negative total');
      const list = (res.body as { issues: Array<{ count: number; culprit: string; firstRelease: string; lastRelease: string }> }).issues;
      return list.reduce((n, i) => n + i.count, 0) === 2 ? list : null;
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.culprit).toContain('applyDiscount');
  });

  test('Sentry SDK events are symbolicated before grouping too', async () => {
    const b = bundle({ fn: 'n', caller: 'r', prefix: '!function(){};' });
    expect((await call('POST', files('3.0.0'), { name: `${SITE}/main.js.map`, content: b.map })).status).toBe(201);
    const frame = (fn: string, colno: number) => ({ function: fn, abs_path: `${SITE}/main.js`, filename: `${SITE}/main.js`, lineno: 1, colno, in_app: true });
    const event = {
      event_id: 'f'.repeat(32),
      platform: 'javascript',
      release: '3.0.0',
      exception: { values: [{ type: 'RangeError', value: 'negative total', stacktrace: { frames: [frame('r', b.callCol), frame('n', b.throwCol)] } }] },
    };
    const res = await fetch(`${fl.otlpHttp}/api/1/store/?sentry_key=${fl.key}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
    expect(res.status).toBe(200);
    const stored = await eventually(async () => {
      const got = await fl.get(`/api/v1/projects/default/events/${'f'.repeat(32)}`);
      return got.status === 200 ? (got.body as { exception: { values: Array<{ stacktrace: { frames: Frame[] } }> } }) : null;
    });
    expect(stored.exception.values[0]?.stacktrace.frames.at(-1)).toMatchObject({ filename: 'src/checkout.ts', function: 'applyDiscount', lineno: 6 });
  });
});
