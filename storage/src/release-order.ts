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
