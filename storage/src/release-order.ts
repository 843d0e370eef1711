/**
 * Release ordering for regressions: semantic versions compare by semver precedence (a package prefix such as
 * `checkout@` is ignored); anything else is ordered by when Faultline first saw the release. Mixing the two
 * (Sentry's #104513: date order applied to semver releases) is what we avoid.
 */
interface SemVer {
  core: [number, number, number];
  pre: string[];
}

const SEMVER = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function parseSemver(release: string): SemVer | null {
  const at = release.lastIndexOf('@');
  const version = at >= 0 ? release.slice(at + 1) : release;
  const m = SEMVER.exec(version.trim());
  if (!m) return null;
  return { core: [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)], pre: m[4] ? m[4].split('.') : [] };
}

function comparePre(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn && Number(x) !== Number(y)) return Number(x) < Number(y) ? -1 : 1;
    if (xn !== yn) return xn ? -1 : 1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function compareSemver(a: SemVer, b: SemVer): number {
  for (let i = 0; i < 3; i++) {
    const d = (a.core[i] ?? 0) - (b.core[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return comparePre(a.pre, b.pre);
}

/**
 * Negative when `a` is older than `b`. Falls back to first-seen times (ms) when either is not semver;
 * unknown first-seen times compare as equal (not older), which errs toward reporting a regression.
 */
export function compareReleases(a: string, b: string, firstSeen: ReadonlyMap<string, number>): number {
  if (a === b) return 0;
  const sa = parseSemver(a);
  const sb = parseSemver(b);
  if (sa && sb) return compareSemver(sa, sb);
  const ta = firstSeen.get(a);
  const tb = firstSeen.get(b);
  if (ta === undefined || tb === undefined || ta === tb) return 0;
  return ta < tb ? -1 : 1;
}

/** What a release belongs to: its package prefix (`checkout@1.2.0` → `checkout`) and the services that carried it. */
export interface ReleaseLine {
  version: string;
  services: readonly string[];
}

export function packageOf(version: string): string | null {
  const at = version.lastIndexOf('@');
  return at > 0 ? version.slice(0, at) : null;
}

/**
 * Whether `b` can be the release before `a`: the same package when either names one; otherwise they share a
 * service, since `service.version` numbers one service's releases and a project holds several services (comparing
 * api-gateway 2.3.1 with orders 1.5.0 measures nothing). Releases without known services fall back to the order.
 */
function sameLine(a: ReleaseLine, b: ReleaseLine): boolean {
  const pa = packageOf(a.version);
  const pb = packageOf(b.version);
  if (pa !== null || pb !== null) return pa === pb;
  if (a.services.length === 0 || b.services.length === 0) return true;
  return a.services.some((s) => b.services.includes(s));
}

/** For each release of a newest-first list, the index of the release before it in its line (null for a first). */
export function previousInLine(newestFirst: readonly ReleaseLine[]): Array<number | null> {
  return newestFirst.map((release, i) => {
    for (let j = i + 1; j < newestFirst.length; j++) if (sameLine(release, newestFirst[j] as ReleaseLine)) return j;
    return null;
  });
}

/**
 * The releases list's order: newest deploy first, while the releases of one line (package, else first service) keep
 * their version order. Each line is sorted by `compareReleases`, then the lines are merged by the first-seen time of
 * each one's next release — so `shop@1.3.0` deployed today leads an old `web@2.0.0`, and `shop@1.2.1` hotfixed
 * after `shop@1.3.0` still sorts below it.
 */
export function newestFirst<T extends ReleaseLine & { firstSeen: string }>(rows: readonly T[]): T[] {
  const firstSeen = new Map(rows.map((r) => [r.version, Date.parse(r.firstSeen)]));
  const lines = new Map<string, T[]>();
  for (const r of rows) {
    const key = packageOf(r.version) ?? `service:${r.services[0] ?? ''}`;
    const line = lines.get(key) ?? [];
    line.push(r);
    lines.set(key, line);
  }
  const newest = (a: T, b: T) => compareReleases(b.version, a.version, firstSeen) || Date.parse(b.firstSeen) - Date.parse(a.firstSeen);
  const queues = [...lines.values()].map((line) => line.sort(newest));
  const out: T[] = [];
  for (;;) {
    let pick: T[] | null = null;
    for (const q of queues) {
      const head = q[0];
      const best = pick?.[0];
      if (head && (!best || Date.parse(head.firstSeen) > Date.parse(best.firstSeen) || (head.firstSeen === best.firstSeen && head.version < best.version))) pick = q;
    }
    const next = pick?.shift();
    if (!next) return out;
    out.push(next);
  }
}
