/**
 * The startup banner and the UI's settings page (through GET /api/v1/info, see ui/src/lib/settings/ingest.ts) name the
 * same ingest endpoint (audit: with FAULTLINE_PUBLIC_URL=https://faultline.example.com the banner said
 * http://faultline.example.com:4318 while the settings page said http://127.0.0.1:4318).
 */
import { afterEach, describe, expect, test } from 'vitest';
import { loadConfig, printBanner } from '@faultline/cli';
import { startFaultline, type Faultline } from '../harness.ts';

let fl: Faultline | null = null;
afterEach(async () => {
  await fl?.stop();
  fl = null;
});

/** The banner of a running instance and the ingest URL its /api/v1/info reports. */
async function bannerAndInfo(env: Record<string, string>): Promise<{ banner: string; reported: string | null; port: number }> {
  const started = (fl = await startFaultline(env));
  const collector = started.running.collector;
  if (!collector) throw new Error('no collector');
  let banner = '';
  const config = { ...loadConfig(env), publicUrl: env.FAULTLINE_PUBLIC_URL ?? started.api };
  const boot = { firstStart: false, generatedKey: null, generatedToken: null };
  printBanner(config, boot, { role: 'all', queryPort: started.running.queryPort, collector, storage: 'embedded' }, (s) => (banner += s));
  const info = (await started.get('/api/v1/info')).body as { ingest: { otlpHttpPort: number; otlpHttpUrl: string | null } };
  expect(info.ingest.otlpHttpPort).toBe(collector.httpPort);
  return { banner, reported: info.ingest.otlpHttpUrl, port: collector.httpPort };
}

const KEY = '<your ingest key>';

describe('ingest endpoint', () => {
  test('FAULTLINE_PUBLIC_URL: its host on the collector port over http, in the banner and /api/v1/info alike', async () => {
    const { banner, reported, port } = await bannerAndInfo({ FAULTLINE_PUBLIC_URL: 'https://faultline.example.com' });
    expect(reported).toBe(`http://faultline.example.com:${port}`);
    expect(banner).toContain(`  OTEL_EXPORTER_OTLP_ENDPOINT=${reported}\n`);
    expect(banner).toContain(`Sentry SDK DSN:  http://${KEY}@faultline.example.com:${port}/1\n`);
  });

  test('FAULTLINE_PUBLIC_INGEST_URL names it for both', async () => {
    const env = { FAULTLINE_PUBLIC_URL: 'https://faultline.example.com', FAULTLINE_PUBLIC_INGEST_URL: 'https://ingest.example.com/otlp/' };
    const { banner, reported } = await bannerAndInfo(env);
    expect(reported).toBe('https://ingest.example.com/otlp');
    expect(banner).toContain('  OTLP/HTTP:    https://ingest.example.com/otlp\n');
    expect(banner).toContain('  OTEL_EXPORTER_OTLP_ENDPOINT=https://ingest.example.com/otlp\n');
    expect(banner).toContain(`Sentry SDK DSN:  https://${KEY}@ingest.example.com/otlp/1\n`);
  });

  test('neither set: /api/v1/info names no URL (the page uses its own host), and the banner its UI host', async () => {
    const { banner, reported, port } = await bannerAndInfo({});
    expect(reported).toBeNull();
    expect(banner).toContain(`  UI and API:   http://127.0.0.1:`);
    expect(banner).toContain(`  OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:${port}\n`);
  });

  test('FAULTLINE_PUBLIC_INGEST_URL must be an http(s) URL', () => {
    expect(() => loadConfig({ FAULTLINE_PUBLIC_INGEST_URL: 'ingest.example.com:4318' })).toThrow(
      'FAULTLINE_PUBLIC_INGEST_URL: must be an http(s):// URL',
    );
  });
});
