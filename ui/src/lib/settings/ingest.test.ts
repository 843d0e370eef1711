import { describe, expect, test } from 'vitest';
import { normalizeProject } from './model.ts';
import { formFromSettings, ingestBase, ingestHost, otelEnvLines, parseKeyList, sentryDsn, settingsFromForm } from './ingest.ts';

describe('ingest configuration', () => {
  test('OTEL environment lines and DSN use the page host and port 4318', () => {
    expect(otelEnvLines('abc123', 'faultline.example')).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT=http://faultline.example:4318',
      'OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20abc123',
      'OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf',
    ]);
    expect(sentryDsn('abc123', '127.0.0.1', 7)).toBe('http://abc123@127.0.0.1:4318/7');
    // the port the server reports
    expect(otelEnvLines('abc123', 'h', 24318)[0]).toBe('OTEL_EXPORTER_OTLP_ENDPOINT=http://h:24318');
    expect(sentryDsn('abc123', 'h', 7, 24318)).toBe('http://abc123@h:24318/7');
    expect(ingestHost('::1')).toBe('[::1]');
    expect(ingestHost('[::1]')).toBe('[::1]');
    expect(ingestHost('')).toBe('localhost');
  });

  test('an ingest URL the server reports replaces the page host and port, scheme and path included', () => {
    const base = ingestBase('https://ingest.example.com/otlp/', 'faultline.example', 4318);
    expect(base).toBe('https://ingest.example.com/otlp');
    expect(otelEnvLines('abc123', 'faultline.example', 4318, base)[0]).toBe('OTEL_EXPORTER_OTLP_ENDPOINT=https://ingest.example.com/otlp');
    expect(sentryDsn('abc123', 'faultline.example', 7, 4318, base)).toBe('https://abc123@ingest.example.com/otlp/7');
    expect(ingestBase(null, '::1', 24318)).toBe('http://[::1]:24318');
    expect(sentryDsn('abc123', '::1', 7, 24318)).toBe('http://abc123@[::1]:24318/7');
  });

  test('key lists: lines or commas, trimmed, unique, bounded', () => {
    expect(parseKeyList(' a, b\n\nc ,a', 'X', 10).keys).toEqual(['a', 'b', 'c']);
    expect(parseKeyList('x'.repeat(11), 'Extra keys', 10).errors[0]).toMatch(/^Extra keys: .* longer than 10/);
    expect(parseKeyList(Array.from({ length: 3 }, (_, i) => `k${i}`).join('\n'), 'X', 10, 2).errors).toEqual(['X: at most 2 keys']);
  });

  test('settings form round trip; unset fields stay unset', () => {
    const form = formFromSettings({});
    expect(form).toEqual({ scrubPii: true, scrubPiiSet: false, extraKeys: '', safeKeys: '', rateLimit: '' });
    expect(settingsFromForm(form)).toEqual({ settings: {}, errors: [] });
    const stored = { scrubPii: false, scrubExtraKeys: ['session', 'card'], scrubSafeKeys: ['trace'], rateLimitPerSecond: 0 };
    expect(settingsFromForm(formFromSettings(stored))).toEqual({ settings: stored, errors: [] });
    expect(settingsFromForm({ ...form, rateLimit: '1.5' }).errors).toHaveLength(1);
    expect(settingsFromForm({ ...form, rateLimit: '-1' }).errors).toHaveLength(1);
    expect(settingsFromForm({ ...form, rateLimit: ' 250 ' }).settings).toEqual({ rateLimitPerSecond: 250 });
    expect(settingsFromForm({ ...form, scrubPii: false, scrubPiiSet: true }).settings).toEqual({ scrubPii: false });
  });

  test('project responses are normalized', () => {
    expect(
      normalizeProject({ id: 3, slug: 's', name: 'S', settings: { scrubPii: 'yes', scrubExtraKeys: ['a', 1], rateLimitPerSecond: 5 } }),
    ).toEqual({
      id: 3,
      slug: 's',
      name: 'S',
      settings: { scrubExtraKeys: ['a'], rateLimitPerSecond: 5 },
    });
    expect(normalizeProject(null)).toEqual({ id: 0, slug: '', name: '', settings: {} });
  });
});
