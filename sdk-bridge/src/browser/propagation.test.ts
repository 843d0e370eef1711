import { describe, expect, test } from 'vitest';
import { displayUrl, shouldPropagate, traceHeaders } from './propagation.ts';

const page = 'https://shop.example.com/cart?x=1';

describe('traceparent propagation policy', () => {
  test('same origin always, including relative URLs', () => {
    expect(shouldPropagate('/api/checkout', page, [])).toBe(true);
    expect(shouldPropagate('https://shop.example.com/api', page, [])).toBe(true);
  });

  test('other origins only when allow-listed by exact origin or RegExp', () => {
    expect(shouldPropagate('https://api.example.com/v1/pay', page, [])).toBe(false);
    expect(shouldPropagate('https://api.example.com/v1/pay', page, ['https://api.example.com'])).toBe(true);
    expect(shouldPropagate('https://api.example.com/v1/pay', page, ['https://api.example.com/'])).toBe(true);
    expect(shouldPropagate('http://api.example.com/v1/pay', page, ['https://api.example.com'])).toBe(false);
    expect(shouldPropagate('https://api.example.com:8443/v1', page, ['https://api.example.com'])).toBe(false);
    expect(shouldPropagate('https://evil.com/?https://api.example.com', page, ['https://api.example.com'])).toBe(false);
    expect(shouldPropagate('https://cdn.example.com/x', page, [/^https:\/\/[a-z]+\.example\.com\//])).toBe(true);
    expect(shouldPropagate('https://example.org/x', page, [/^https:\/\/[a-z]+\.example\.com\//g, 'not a url'])).toBe(false);
  });

  test('headers carry the span as parent, with tracestate when there is one', () => {
    const span = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceState: '' };
    expect(traceHeaders(span)).toEqual({ traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` });
    expect(traceHeaders({ ...span, traceState: 'vendor=1' }).tracestate).toBe('vendor=1');
  });

  test('URLs lose their query and fragment', () => {
    expect(displayUrl('/api/pay?token=secret#x', page)).toBe('https://shop.example.com/api/pay');
  });
});
