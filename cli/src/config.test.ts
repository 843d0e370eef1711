import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

function problem(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('integers', () => {
  test('are plain decimal digits: hex, spaces, exponents and empty values are refused, naming the variable', () => {
    expect(problem({ FAULTLINE_HTTP_PORT: '0x10' })).toBe(
      'invalid configuration: FAULTLINE_HTTP_PORT: must be a whole number in decimal digits (got "0x10")',
    );
    expect(problem({ FAULTLINE_OTLP_HTTP_PORT: ' 38180' })).toContain('FAULTLINE_OTLP_HTTP_PORT: must be a whole number in decimal digits');
    expect(problem({ FAULTLINE_MAX_ATTRIBUTES_PER_ITEM: '1e3' })).toContain('FAULTLINE_MAX_ATTRIBUTES_PER_ITEM: must be a whole number');
    expect(problem({ FAULTLINE_RETENTION_DAYS: '' })).toContain('FAULTLINE_RETENTION_DAYS: must be a whole number');
    expect(problem({ FAULTLINE_BATCH_MAX_ROWS: '1.5' })).toContain('FAULTLINE_BATCH_MAX_ROWS');
  });

  test('keep their ranges, and every problem is on the one line', () => {
    const message = problem({ FAULTLINE_HTTP_PORT: '65536', FAULTLINE_RETENTION_DAYS: '0' });
    expect(message).not.toContain('\n');
    expect(message).toContain('FAULTLINE_HTTP_PORT: must be at most 65535 (got "65536")');
    expect(message).toContain('FAULTLINE_RETENTION_DAYS: must be at least 1');
  });

  test('decimal values and the defaults still parse', () => {
    const { env } = loadConfig({
      FAULTLINE_HTTP_PORT: '38180',
      FAULTLINE_MAX_ATTRIBUTES_PER_ITEM: '1000',
      FAULTLINE_BATCH_CONCURRENCY: '0',
    });
    expect(env.FAULTLINE_HTTP_PORT).toBe(38180);
    expect(env.FAULTLINE_MAX_ATTRIBUTES_PER_ITEM).toBe(1000);
    expect(env.FAULTLINE_OTLP_GRPC_PORT).toBe(4317);
    expect(env.FAULTLINE_ALERT_INTERVAL_SECONDS).toBe(30);
    expect(env.FAULTLINE_MAX_NOTES_PER_ISSUE).toBe(1000);
    expect(loadConfig({ FAULTLINE_MAX_NOTES_PER_ISSUE: '5' }).env.FAULTLINE_MAX_NOTES_PER_ISSUE).toBe(5);
    expect(problem({ FAULTLINE_MAX_NOTES_PER_ISSUE: '0' })).toContain('FAULTLINE_MAX_NOTES_PER_ISSUE: must be at least 1');
  });
});

describe('FAULTLINE_CLICKHOUSE_URL', () => {
  test('must be an http(s) URL; the message names the variable and never repeats the value (it may hold a password)', () => {
    for (const value of ['notaurl', 'ftp://user:hunter2@host/db', 'clickhouse:8123']) {
      const message = problem({ FAULTLINE_CLICKHOUSE_URL: value });
      expect(message).toBe('invalid configuration: FAULTLINE_CLICKHOUSE_URL: must be http(s)://user:password@host:8123/database');
    }
    expect(loadConfig({ FAULTLINE_CLICKHOUSE_URL: 'https://u:p@ch.internal:8443/faultline' }).env.FAULTLINE_CLICKHOUSE_URL).toBe(
      'https://u:p@ch.internal:8443/faultline',
    );
    expect(loadConfig({}).env.FAULTLINE_CLICKHOUSE_URL).toBe('');
  });

  test('a bootstrap secret is not repeated either', () => {
    expect(problem({ FAULTLINE_BOOTSTRAP_ADMIN_TOKEN: 'short-secret' })).not.toContain('short-secret');
  });

  test('a session secret: empty means unset (compose passes it so), short is refused without repeating it', () => {
    // A request larger than the queue could never be queued: the item limit is capped at the queue.
    expect(loadConfig({ FAULTLINE_QUEUE_MAX_ROWS: '20', FAULTLINE_MAX_ITEMS_PER_REQUEST: '30' }).env.FAULTLINE_MAX_ITEMS_PER_REQUEST).toBe(20);
    expect(loadConfig({ FAULTLINE_QUEUE_MAX_ROWS: '2000' }).env.FAULTLINE_MAX_ITEMS_PER_REQUEST).toBe(2000);
    expect(loadConfig({}).env.FAULTLINE_MAX_ITEMS_PER_REQUEST).toBe(100_000);
    expect(loadConfig({ FAULTLINE_SESSION_SECRET: '' }).env.FAULTLINE_SESSION_SECRET).toBe('');
    expect(loadConfig({ FAULTLINE_SESSION_SECRET: 'k'.repeat(32) }).env.FAULTLINE_SESSION_SECRET).toBe('k'.repeat(32));
    const message = problem({ FAULTLINE_SESSION_SECRET: 'too-short-secret' });
    expect(message).toContain('FAULTLINE_SESSION_SECRET');
    expect(message).not.toContain('too-short-secret');
  });
});
