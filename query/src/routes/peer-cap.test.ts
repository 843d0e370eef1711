import { expect, test } from 'vitest';
import type { EdgeOut } from '@faultline/storage';
import { capPeers, otherPeers } from './peer-cap.ts';

const edge = (source: string, target: string, calls: number, targetKind = 'peer'): EdgeOut => ({
  source,
  target,
  targetKind,
  callCount: calls,
  errorCount: calls % 3,
  p50DurationNano: calls * 10,
  p95DurationNano: calls * 20,
});

test('a caller keeps its busiest peers; the rest become one edge with their calls and errors summed', () => {
  const hosts = Array.from({ length: 6 }, (_, i) => edge('api', `tenant${i}.example.com`, 10 + i));
  const edges = [...hosts, edge('api', 'orders', 500, 'service'), edge('web', 'api', 900, 'service'), edge('web', 'cdn.example.com', 1)];
  const capped = capPeers(edges, 3);
  expect(capped.filter((e) => e.source === 'api' && e.targetKind === 'peer').map((e) => e.target)).toEqual([
    'tenant3.example.com',
    'tenant4.example.com',
    'tenant5.example.com',
    otherPeers('api', 3),
  ]);
  expect(capped.find((e) => e.target === otherPeers('api', 3))).toEqual({
    source: 'api',
    target: '3 other peers of api',
    targetKind: 'peer',
    callCount: 10 + 11 + 12,
    errorCount: (10 % 3) + (11 % 3) + (12 % 3),
    p50DurationNano: 120,
    p95DurationNano: 240,
  });
  // services are never folded, nor the peers of a caller under the cap
  expect(capped.filter((e) => e.targetKind === 'service')).toHaveLength(2);
  expect(capped.some((e) => e.target === 'cdn.example.com')).toBe(true);
  expect(capPeers(edges, 100)).toEqual(edges);
});
