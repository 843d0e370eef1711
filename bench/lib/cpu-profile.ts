/**
 * Summary of the server's V8 CPU profile (`--cpu-prof`): where its main thread spent its time, by
 * function self time and by package. chDB's native threads are not in it; the main thread's share is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

interface ProfileNode {
  id: number;
  hitCount?: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  seconds: number;
  /** Share of the profile the main thread was not idle, %. */
  busyPercent: number;
  topFunctions: Array<{ name: string; percent: number }>;
  byArea: Array<{ area: string; percent: number }>;
}

function areaOf(url: string, root: string): string {
  if (url === '') return '(native / V8)';
  if (url.startsWith('node:')) return 'node core';
  const path = relative(root, url.replace(/^file:\/\//, ''));
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pkg) return pkg[1] ?? path;
  return path.split('/').slice(0, 2).join('/');
}

/** Reads the newest .cpuprofile of `dir`; null when the server wrote none. */
export function summarizeProfile(dir: string, root: string): ProfileSummary | null {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort();
  const file = files.at(-1);
  if (!file) return null;
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = profile.endTime - profile.startTime;
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  let idle = 0;
  for (const [id, us] of self) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    if (frame.functionName === '(idle)' || frame.functionName === '(program)') idle += frame.functionName === '(idle)' ? us : 0;
    const where = frame.url ? `${relative(root, frame.url.replace(/^file:\/\//, ''))}:${frame.lineNumber + 1}` : '';
    const name = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + us);
    const area =
      frame.functionName === '(idle)' ? '(idle)' : frame.functionName === '(garbage collector)' ? '(gc)' : areaOf(frame.url, root);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const percent = (us: number): number => Math.round((us / total) * 1000) / 10;
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  return {
    file: join(dir, file),
    seconds: Math.round(total / 1e5) / 10,
    busyPercent: Math.round(100 - (idle / total) * 100),
    topFunctions: top(functions, 15).map(([name, us]) => ({ name, percent: percent(us) })),
    byArea: top(areas, 12).map(([area, us]) => ({ area, percent: percent(us) })),
  };
}
