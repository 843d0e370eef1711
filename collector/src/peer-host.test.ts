import { expect, test } from 'vitest';
import { calledHost } from './peer-host.ts';

test('the called host: server.address first, then the older attributes, then the URL’s host; no port, lower case', () => {
  expect(calledHost({ 'server.address': 'API.Stripe.com', 'net.peer.name': 'other', 'url.full': 'https://x.example/' })).toBe('api.stripe.com');
  expect(calledHost({ 'net.peer.name': 'legacy.internal', 'http.host': 'other:80' })).toBe('legacy.internal');
  expect(calledHost({ 'http.host': 'shop.example:8443' })).toBe('shop.example');
  expect(calledHost({ 'http.host': '[2001:db8::1]:8080' })).toBe('2001:db8::1');
  expect(calledHost({ 'server.address': '2001:db8::1' })).toBe('2001:db8::1');
  expect(calledHost({ 'url.full': 'https://hooks.slack.com:443/services/T0/B0/secret' })).toBe('hooks.slack.com');
  expect(calledHost({ 'http.url': 'http://[::1]:9000/x' })).toBe('::1');
  // no host to name: relative or malformed URLs, empty values, non-strings
  expect(calledHost({ 'url.full': '/v1/charges' })).toBeUndefined();
  expect(calledHost({ 'url.full': 'REDACTED' })).toBeUndefined();
  expect(calledHost({ 'server.address': '', 'server.port': 443 })).toBeUndefined();
  expect(calledHost({ 'server.address': 42 })).toBeUndefined();
  expect(calledHost({})).toBeUndefined();
});
