import { describe, expect, test } from 'vitest';
import { DSN } from './fixtures.ts';
import { parseSentryAuth, projectIdFromDsn, publicKeyFromDsn } from './index.ts';

const KEY = '9f3c2b1a0e8d4c7b6a5f4e3d2c1b0a99';
const none = new URLSearchParams();

describe('parseSentryAuth', () => {
  test('X-Sentry-Auth from a server SDK', () => {
    const header = `Sentry sentry_version=7, sentry_client=sentry.javascript.node/8.9.2, sentry_key=${KEY}`;
    expect(parseSentryAuth({ 'x-sentry-auth': header }, none)).toEqual({ key: KEY, client: 'sentry.javascript.node/8.9.2' });
  });

  test('legacy spellings: secret, timestamp, unprefixed names, quotes, other case', () => {
    const header = `sentry key="${KEY}",version=7, sentry_timestamp=1718031234, sentry_secret=s3cr3t,  Sentry_Client=raven-python/6.10.0`;
    expect(parseSentryAuth({ 'x-sentry-auth': header }, none)).toEqual({ key: KEY, client: 'raven-python/6.10.0' });
  });

  test('Authorization: Sentry …', () => {
    expect(parseSentryAuth({ authorization: `Sentry sentry_key=${KEY}, sentry_version=7` }, none)).toEqual({ key: KEY, client: '' });
    expect(parseSentryAuth({ authorization: `Bearer ${KEY}` }, none)).toEqual({ key: null, client: '' });
  });

  test('query parameters from a browser SDK', () => {
    const query = new URLSearchParams(`sentry_key=${KEY}&sentry_version=7&sentry_client=sentry.javascript.browser%2F8.9.2`);
    expect(parseSentryAuth({}, query)).toEqual({ key: KEY, client: 'sentry.javascript.browser/8.9.2' });
  });

  test('the envelope DSN as the last resort; headers and query win over it', () => {
    expect(parseSentryAuth({}, none, DSN)).toEqual({ key: KEY, client: '' });
    expect(parseSentryAuth({ 'x-sentry-auth': 'Sentry sentry_key=fromheader' }, new URLSearchParams('sentry_key=fromquery'), DSN).key).toBe(
      'fromheader',
    );
    expect(parseSentryAuth({}, new URLSearchParams('sentry_key=fromquery'), DSN).key).toBe('fromquery');
  });

  test('no key anywhere', () => {
    expect(parseSentryAuth({ 'x-sentry-auth': 'Sentry sentry_version=7' }, new URLSearchParams('sentry_key='), '')).toEqual({
      key: null,
      client: '',
    });
    expect(parseSentryAuth({}, none, 'not a dsn').key).toBeNull();
  });
});

describe('DSN parts', () => {
  test('public key and project id', () => {
    expect(publicKeyFromDsn(DSN)).toBe(KEY);
    expect(publicKeyFromDsn('https://faultline.example.com/7')).toBeNull();
    expect(projectIdFromDsn(DSN)).toBe(7);
    expect(projectIdFromDsn(`https://${KEY}@host.example.com/prefix/42/`)).toBe(42);
    expect(projectIdFromDsn(`https://${KEY}:secret@localhost:9000/3`)).toBe(3);
    expect(projectIdFromDsn(`https://${KEY}@host.example.com/`)).toBeNull();
    expect(projectIdFromDsn(`https://${KEY}@host.example.com/shop`)).toBeNull();
    expect(projectIdFromDsn('garbage')).toBeNull();
  });
});
