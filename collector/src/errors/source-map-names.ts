/**
 * How a minified frame finds its uploaded files: the names a script URL may have been uploaded under, the
 * `sourceMappingURL` comment of a minified file, and where original sources live relative to their map.
 * Names follow Sentry's convention: the full URL, or `~/path` for "this path on any host".
 */
import type { StackFrame } from '@faultline/proto';
import { stripQuery } from './frame.ts';

const SCHEME = /^[a-z][\w+.-]*:/i;
const HIERARCHICAL_URL = /^[a-z][\w+.-]*:\/\//i;

/** The script a frame ran in, without query string; null when the frame is not minified JavaScript we could map. */
export function scriptLocation(frame: StackFrame): string | null {
  if (frame.lineno === null || frame.lineno < 1) return null;
  const location = stripQuery(frame.absPath || frame.filename);
  if (location === '' || location.startsWith('node:') || location.startsWith('internal/')) return null;
  // Bundler URLs already name original sources.
  if (/^webpack(?:-internal)?:/i.test(location)) return null;
  return HIERARCHICAL_URL.test(location) || /\.[cm]?js$/i.test(location) ? location : null;
}

/** The path part of a URL or absolute path (`https://cdn/x/app.js` → `/x/app.js`); null for relative names. */
function pathOf(location: string): string | null {
  if (location.startsWith('/')) return location;
  if (!HIERARCHICAL_URL.test(location)) return null;
  try {
    const path = new URL(location).pathname;
    return path.startsWith('/') ? decodeURI(path) : null;
  } catch {
    return null;
  }
}

/** Upload names that mean this script, most specific first: the URL as is, then `~/path`. */
export function candidateNames(location: string): string[] {
  const names = [location];
  const path = pathOf(location);
  if (path !== null && !location.startsWith('~')) names.push(`~${path}`);
  return [...new Set(names)];
}

function basenameOf(name: string): string {
  return name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
}

function dirnameOf(name: string): string {
  const slash = name.lastIndexOf('/');
  return slash === -1 ? '' : name.slice(0, slash + 1);
}

/** Characters two names share at their ends, so the closest of several same-named files wins. */
function commonSuffix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

/**
 * Uploaded names with the script's basename (the script itself or its `.map`), closest path first. The
 * last resort when the upload prefix and the served path disagree (`~/app.js` uploaded, `/static/app.js` served).
 */
export function basenameMatches(location: string, names: Iterable<string>): string[] {
  const base = basenameOf(location);
  if (base === '') return [];
  const matches: { name: string; score: number }[] = [];
  for (const name of names) {
    const candidate = basenameOf(name);
    if (candidate === base) matches.push({ name, score: commonSuffix(name, location) });
    else if (candidate === `${base}.map`) matches.push({ name, score: commonSuffix(name.slice(0, -4), location) });
  }
  return matches.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name)).map((m) => m.name);
}

/** The last `//# sourceMappingURL=` (or the old `//@`) reference in a script, if any. */
export function sourceMappingUrl(script: string): string | null {
  const at = Math.max(script.lastIndexOf('# sourceMappingURL='), script.lastIndexOf('@ sourceMappingURL='));
  if (at === -1) return null;
  const rest = script.slice(at + '# sourceMappingURL='.length);
  const ref = /^[^\s'"*]+/.exec(rest)?.[0] ?? '';
  return ref === '' ? null : ref;
}

/** The JSON of a `data:application/json;base64,…` map; null when the data URL is not one. */
export function decodeDataUrl(ref: string): string | null {
  const comma = ref.indexOf(',');
  if (!ref.startsWith('data:') || comma === -1) return null;
  const meta = ref.slice(5, comma);
  const data = ref.slice(comma + 1);
  try {
    return meta.endsWith(';base64') ? Buffer.from(data, 'base64').toString('utf8') : decodeURIComponent(data);
  } catch {
    return null;
  }
}

/** A reference (a map URL, an original source) resolved against the file that holds it, as a URL or path. */
export function resolveReference(ref: string, base: string): string {
  if (SCHEME.test(ref)) return ref;
  if (HIERARCHICAL_URL.test(base)) {
    try {
      return new URL(ref, base).href;
    } catch {
      return ref;
    }
  }
  if (ref.startsWith('/')) return base.startsWith('~/') ? `~${normalizePath(ref)}` : normalizePath(ref);
  return normalizePath(dirnameOf(base) + ref);
}

/** `a/./b/../c` → `a/c`; leading `..` that cannot be resolved are kept. */
function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..' && out[out.length - 1] !== '' && out[out.length - 1] !== '~') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

/** Names a map referenced from an uploaded minified file may have been uploaded under. */
export function referencedMapNames(ref: string, minifiedName: string): string[] {
  return candidateNames(resolveReference(ref, minifiedName));
}

/**
 * The original source as shown in a frame's `filename`: bundler prefixes (`webpack://app/`) and `./` go, the
 * path stays (its basename is what grouping uses).
 */
export function displayFilename(source: string): string {
  // `../../src/checkout.js` (a source relative to the map's folder) reads as the project path it names.
  const withoutBundler = source.replace(/^webpack:\/\/[^/]*\//, '').replace(/^(?:\.\.?\/)+/, '');
  if (!HIERARCHICAL_URL.test(withoutBundler)) return withoutBundler;
  return pathOf(withoutBundler) ?? withoutBundler;
}
