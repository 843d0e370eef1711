import { describe, expect, test } from 'vitest';
import { BreadcrumbBuffer, normalizeBreadcrumb } from './breadcrumbs.ts';

describe('breadcrumb ring buffer', () => {
  test('keeps the last N, oldest first', () => {
    const buffer = new BreadcrumbBuffer(3);
    for (let i = 1; i <= 5; i++) buffer.add({ message: `m${i}` });
    expect(buffer.list().map((c) => c.message)).toEqual(['m3', 'm4', 'm5']);
    expect(buffer.length).toBe(3);
    buffer.add({ message: 'm6' });
    expect(buffer.list().map((c) => c.message)).toEqual(['m4', 'm5', 'm6']);
  });

  test('default capacity is 100', () => {
    const buffer = new BreadcrumbBuffer();
    for (let i = 0; i < 250; i++) buffer.add({ message: String(i) });
    const list = buffer.list();
    expect(list).toHaveLength(100);
    expect(list[0]?.message).toBe('150');
    expect(list.at(-1)?.message).toBe('249');
  });

  test('resizing keeps the newest breadcrumbs', () => {
    const buffer = new BreadcrumbBuffer(5);
    for (let i = 1; i <= 5; i++) buffer.add({ message: `m${i}` });
    expect(
      buffer
        .resized(2)
        .list()
        .map((c) => c.message),
    ).toEqual(['m4', 'm5']);
    expect(buffer.resized(10).list()).toHaveLength(5);
  });

  test('clear empties it', () => {
    const buffer = new BreadcrumbBuffer(2);
    buffer.add({ message: 'a' });
    buffer.clear();
    expect(buffer.list()).toEqual([]);
    buffer.add({ message: 'b' });
    expect(buffer.list().map((c) => c.message)).toEqual(['b']);
  });

  test('normalizes to the wire shape with defaults', () => {
    const crumb = normalizeBreadcrumb({ category: 'auth', message: 'signed in', data: { method: 'sso' } }, 1_700_000_000_000);
    expect(crumb).toEqual({
      timestamp: 1_700_000_000_000,
      type: 'default',
      category: 'auth',
      message: 'signed in',
      level: 'info',
      data: { method: 'sso' },
    });
    const odd = normalizeBreadcrumb({ level: 'loud' as never, data: [1, 2] as never, message: 42 as never, timestamp: NaN }, 5);
    expect(odd).toMatchObject({ level: 'info', data: {}, message: '42', timestamp: 5 });
    expect(normalizeBreadcrumb({ message: 'x'.repeat(5000) }).message.length).toBe(1024);
  });

  test('serializes as the JSON array the collector reads', () => {
    const buffer = new BreadcrumbBuffer();
    buffer.add({ type: 'http', category: 'fetch', level: 'error', data: { status_code: 500 }, timestamp: 1 });
    const parsed = JSON.parse(buffer.serialize()) as unknown[];
    expect(parsed).toEqual([{ timestamp: 1, type: 'http', category: 'fetch', message: '', level: 'error', data: { status_code: 500 } }]);
    expect(new BreadcrumbBuffer().serialize()).toBe('[]');
  });

  test('stays under the size budget by dropping the oldest, and survives odd data', () => {
    const buffer = new BreadcrumbBuffer();
    for (let i = 0; i < 100; i++) buffer.add({ message: `${i}:${'x'.repeat(900)}` });
    const json = buffer.serialize(15_000);
    expect(json.length).toBeLessThanOrEqual(15_000);
    const parsed = JSON.parse(json) as Array<{ message: string }>;
    expect(parsed.at(-1)?.message.startsWith('99:')).toBe(true);
    expect(parsed.length).toBeGreaterThan(10);

    const cyclic: Record<string, unknown> = { n: 1n };
    cyclic.self = cyclic;
    const odd = new BreadcrumbBuffer();
    odd.add({ data: cyclic });
    const [crumb] = JSON.parse(odd.serialize()) as Array<{ data: { n: string } }>;
    expect(crumb?.data.n).toBe('1');
    expect(JSON.stringify(crumb)).toContain('"[Circular]"');
  });
});
