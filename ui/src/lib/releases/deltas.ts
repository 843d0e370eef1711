// Release-vs-previous deltas: which way is better, arrows and signed text. Pure.
import type { DeltaKey, Release, TopOperation } from './model.ts';
import { formatDuration } from '../format/nanos.ts';
import { formatPercent } from '../format/metrics.ts';
import { formatCount } from '../format/time.ts';

export type Tone = 'good' | 'bad' | 'neutral';

export interface Metric {
  key: DeltaKey;
  label: string;
  /** Whether a bigger number is an improvement. */
  better: 'higher' | 'lower';
  kind: 'count' | 'ratio' | 'duration';
}

export const METRICS: Record<DeltaKey, Metric> = {
  errorEvents: { key: 'errorEvents', label: 'Error events', better: 'lower', kind: 'count' },
  affectedUsers: { key: 'affectedUsers', label: 'Affected users', better: 'lower', kind: 'count' },
  newIssues: { key: 'newIssues', label: 'New issues', better: 'lower', kind: 'count' },
  regressedIssues: { key: 'regressedIssues', label: 'Regressed issues', better: 'lower', kind: 'count' },
  errorRate: { key: 'errorRate', label: 'Error rate', better: 'lower', kind: 'ratio' },
  crashFreeSessions: { key: 'crashFreeSessions', label: 'Crash-free sessions', better: 'higher', kind: 'ratio' },
  crashFreeUsers: { key: 'crashFreeUsers', label: 'Crash-free users', better: 'higher', kind: 'ratio' },
  p95DurationNano: { key: 'p95DurationNano', label: 'p95 latency', better: 'lower', kind: 'duration' },
};

export interface DeltaView {
  arrow: '↑' | '↓' | '→' | '';
  /** Signed text: "+3", "−2", "+1.5 pp", "±0"; '' without a comparison. */
  text: string;
  tone: Tone;
  /** Accessible wording, e.g. "up 3 from the previous release". */
  title: string;
}

const MINUS = '\u2212';

function signed(n: number, body: string): string {
  return n > 0 ? `+${body}` : n < 0 ? `${MINUS}${body}` : '±0';
}

/** Arrow, text and tone of one delta (`better` says which direction is an improvement). */
export function deltaView(delta: number | null | undefined, kind: 'count' | 'ratio' | 'duration', better: 'higher' | 'lower'): DeltaView {
  if (delta === null || delta === undefined || !Number.isFinite(delta)) {
    return { arrow: '', text: '', tone: 'neutral', title: 'no previous release to compare with' };
  }
  // ratios compare in percentage points; tiny float noise counts as no change
  const flat = kind === 'ratio' ? Math.abs(delta) < 0.00005 : kind === 'duration' ? Math.abs(delta) < 1000 : delta === 0;
  if (flat) return { arrow: '→', text: '±0', tone: 'neutral', title: 'unchanged from the previous release' };
  const a = Math.abs(delta);
  const body = kind === 'ratio' ? `${formatPercent(a).replace('%', '')} pp` : kind === 'duration' ? formatDuration(a) : formatCount(a);
  const up = delta > 0;
  const tone: Tone = up === (better === 'higher') ? 'good' : 'bad';
  return {
    arrow: up ? '↑' : '↓',
    text: signed(delta, body),
    tone,
    title: `${up ? 'up' : 'down'} ${body} from the previous release`,
  };
}

export function metricDelta(release: Pick<Release, 'deltas'>, key: DeltaKey): DeltaView {
  const m = METRICS[key];
  return deltaView(release.deltas[key], m.kind, m.better);
}

/** Display text of a release figure. */
export function metricText(release: Release, key: DeltaKey): string {
  const v = release[key];
  const kind = METRICS[key].kind;
  if (kind === 'duration') return v === null ? '—' : formatDuration(v);
  return kind === 'ratio' ? formatPercent(v) : formatCount(v ?? 0);
}

export interface OperationComparison {
  key: string;
  service: string;
  name: string;
  calls: number;
  p95: number;
  previousP95: number | null;
  delta: DeltaView;
}

/** Top operations of a release with the p95 of the same operation (service + name) in the previous one. */
export function compareOperations(current: readonly TopOperation[], previous: readonly TopOperation[] | null): OperationComparison[] {
  const before = new Map((previous ?? []).map((o) => [`${o.service}\u0000${o.name}`, o]));
  return current.map((o) => {
    const key = `${o.service}\u0000${o.name}`;
    const prev = before.get(key);
    const previousP95 = prev ? prev.p95DurationNano : null;
    return {
      key,
      service: o.service,
      name: o.name,
      calls: o.calls,
      p95: o.p95DurationNano,
      previousP95,
      delta: deltaView(previousP95 === null ? null : o.p95DurationNano - previousP95, 'duration', 'lower'),
    };
  });
}

/**
 * What the users figure of a release measures: crash-free users from its sessions when it has any; for a release
 * seen only in OpenTelemetry data (no sessions), the share of the users in its spans without an error event.
 */
export function usersLabel(r: { sessions: number }): string {
  return r.sessions > 0 ? 'Crash-free users' : 'Users without errors';
}
