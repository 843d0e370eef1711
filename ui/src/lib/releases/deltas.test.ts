import { describe, expect, test } from 'vitest';
import { normalizeRelease } from './model.ts';
import { compareOperations, deltaView, metricDelta, metricText, usersLabel } from './deltas.ts';

describe('release deltas', () => {
  test('direction, tone and text per metric polarity', () => {
    expect(deltaView(3, 'count', 'lower')).toMatchObject({ arrow: '↑', text: '+3', tone: 'bad' });
    expect(deltaView(-2, 'count', 'lower')).toMatchObject({ arrow: '↓', text: '\u22122', tone: 'good' });
    expect(deltaView(0.015, 'ratio', 'higher')).toMatchObject({ arrow: '↑', text: '+1.5 pp', tone: 'good' });
    expect(deltaView(-0.2, 'ratio', 'higher')).toMatchObject({ arrow: '↓', text: '\u221220 pp', tone: 'bad' });
    expect(deltaView(0, 'count', 'lower')).toMatchObject({ arrow: '→', text: '±0', tone: 'neutral' });
    expect(deltaView(1e-9, 'ratio', 'lower')).toMatchObject({ text: '±0' });
    expect(deltaView(20e6, 'duration', 'lower')).toMatchObject({ arrow: '↑', text: '+20ms', tone: 'bad' });
    expect(deltaView(null, 'count', 'lower')).toMatchObject({ arrow: '', text: '' });
    expect(deltaView(12_345, 'count', 'lower').text).toBe('+12.3k');
  });

  test('release figures and deltas from the API, tolerant of junk', () => {
    const r = normalizeRelease({
      version: '1.10.0',
      errorEvents: 5,
      errorRate: 0.25,
      crashFreeSessions: null,
      topOperations: [{ service: 'api', name: 'GET /cart', calls: '20', p95DurationNano: 1.2e8 }, 'junk'],
      previousVersion: '1.9.0',
      p95DurationNano: 118e6,
      deltas: { errorEvents: -3, errorRate: 0.05, crashFreeUsers: 'x', p95DurationNano: -12e6 },
    });
    expect(r.version).toBe('1.10.0');
    expect(r.services).toEqual([]);
    expect(normalizeRelease({ services: ['api', 3, 'web'] }).services).toEqual(['api', 'web']);
    expect(r.affectedUsers).toBe(0);
    expect(r.crashFreeSessions).toBeNull();
    expect(r.topOperations).toEqual([
      { service: 'api', name: 'GET /cart', calls: 20, p95DurationNano: 1.2e8 },
      { service: '', name: '', calls: 0, p95DurationNano: 0 },
    ]);
    expect(r.deltas.crashFreeUsers).toBeNull();
    expect(metricText(r, 'errorRate')).toBe('25%');
    expect(metricText(r, 'crashFreeSessions')).toBe('—');
    expect(metricText(r, 'errorEvents')).toBe('5');
    expect(metricDelta(r, 'errorEvents')).toMatchObject({ tone: 'good', arrow: '↓' });
    expect(metricDelta(r, 'errorRate')).toMatchObject({ tone: 'bad', text: '+5 pp' });
    expect(metricText(r, 'p95DurationNano')).toBe('118ms');
    expect(metricDelta(r, 'p95DurationNano')).toMatchObject({ tone: 'good', text: '\u221212ms' });
    expect(metricText(normalizeRelease({}), 'p95DurationNano')).toBe('—');
    expect(normalizeRelease(null).previousVersion).toBeNull();
  });

  test('top operations against the same operation of the previous release', () => {
    const rows = compareOperations(
      [
        { service: 'api', name: 'GET /cart', calls: 20, p95DurationNano: 150e6 },
        { service: 'web', name: 'GET /cart', calls: 20, p95DurationNano: 100e6 },
      ],
      [{ service: 'api', name: 'GET /cart', calls: 40, p95DurationNano: 100e6 }],
    );
    expect(rows[0]).toMatchObject({ previousP95: 100e6, delta: { text: '+50ms', tone: 'bad' } });
    expect(rows[1]).toMatchObject({ previousP95: null, delta: { text: '' } });
    expect(compareOperations([], null)).toEqual([]);
  });
});

describe('the users figure says what it measures', () => {
  test('crash-free users with sessions; users without errors for an OpenTelemetry-only release', () => {
    expect(usersLabel({ sessions: 12 })).toBe('Crash-free users');
    expect(usersLabel({ sessions: 0 })).toBe('Users without errors');
  });
});
