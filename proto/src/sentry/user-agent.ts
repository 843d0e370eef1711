/**
 * Browser and OS from a User-Agent header, as Sentry's Relay derives them for events that carry one (browser
 * SDKs send the page's `request.headers.User-Agent`; server SDKs the client's). Names follow Sentry's (ua-parser)
 * families where they matter for search (`Chrome`, `Mobile Safari`, `Chrome Mobile`, `HeadlessChrome`); only the
 * common browsers and systems are known, anything else yields nothing rather than a guess.
 */

export interface NameVersion {
  name: string;
  /** '' when the header does not say. */
  version: string;
}

export interface UserAgentInfo {
  browser: NameVersion | null;
  os: NameVersion | null;
}

/** At most major.minor.patch: Chrome's frozen fourth part (`131.0.0.0`) says nothing. */
function shortVersion(v: string | undefined): string {
  return (v ?? '').replace(/_/g, '.').split('.').filter(Boolean).slice(0, 3).join('.');
}

interface Rule {
  pattern: RegExp;
  /** The family, or a function of the whole header (mobile variants). */
  name: string | ((ua: string) => string);
}

const MOBILE = /Mobile|Android|iPhone|iPad|iPod/;
const IOS_DEVICE = /iPhone|iPad|iPod/;

// Order matters: Edge, Opera and Samsung Internet also say "Chrome", and every Chromium browser says "Safari".
const BROWSERS: readonly Rule[] = [
  { pattern: /\bEdg(?:e|A|iOS)?\/([\d.]+)/, name: (ua) => (MOBILE.test(ua) ? 'Edge Mobile' : 'Edge') },
  { pattern: /\bOPR\/([\d.]+)/, name: (ua) => (MOBILE.test(ua) ? 'Opera Mobile' : 'Opera') },
  { pattern: /\bSamsungBrowser\/([\d.]+)/, name: 'Samsung Internet' },
  { pattern: /\bFxiOS\/([\d.]+)/, name: 'Firefox iOS' },
  { pattern: /\bFirefox\/([\d.]+)/, name: (ua) => (/Android|Mobile/.test(ua) ? 'Firefox Mobile' : 'Firefox') },
  { pattern: /\bCriOS\/([\d.]+)/, name: 'Chrome Mobile iOS' },
  { pattern: /\bHeadlessChrome\/([\d.]+)/, name: 'HeadlessChrome' },
  { pattern: /\bChrome\/([\d.]+)/, name: (ua) => (/Android/.test(ua) ? 'Chrome Mobile' : 'Chrome') },
  { pattern: /\bVersion\/([\d.]+).*\bSafari\//, name: (ua) => (IOS_DEVICE.test(ua) ? 'Mobile Safari' : 'Safari') },
  { pattern: /\bMSIE ([\d.]+)/, name: 'IE' },
  { pattern: /\bTrident\/.*\brv:([\d.]+)/, name: 'IE' },
];

const WINDOWS_VERSIONS: Record<string, string> = { '10.0': '10', '6.3': '8.1', '6.2': '8', '6.1': '7', '6.0': 'Vista', '5.1': 'XP' };

function windowsVersion(nt: string | undefined): string {
  return (nt !== undefined && WINDOWS_VERSIONS[nt]) || '';
}

const SYSTEMS: ReadonlyArray<{ pattern: RegExp; name: string; version: (m: RegExpExecArray) => string }> = [
  { pattern: /\bWindows NT ([\d.]+)/, name: 'Windows', version: (m) => windowsVersion(m[1]) },
  // iOS before macOS: an iPhone's header says "like Mac OS X".
  { pattern: /\b(?:iPhone|iPad|iPod)\b.*?\bOS (\d+(?:_\d+)*)/, name: 'iOS', version: (m) => shortVersion(m[1]) },
  { pattern: /\bMac OS X (\d+(?:[_.]\d+)*)/, name: 'macOS', version: (m) => shortVersion(m[1]) },
  { pattern: /\bMacintosh\b/, name: 'macOS', version: () => '' },
  { pattern: /\bAndroid (\d+(?:\.\d+)*)/, name: 'Android', version: (m) => shortVersion(m[1]) },
  { pattern: /\bAndroid\b/, name: 'Android', version: () => '' },
  { pattern: /\bCrOS\b/, name: 'Chrome OS', version: () => '' },
  { pattern: /\bLinux\b/, name: 'Linux', version: () => '' },
];

/** Headers longer than this are not parsed (real ones are a few hundred characters). */
const MAX_LENGTH = 1024;

export function parseUserAgent(ua: string): UserAgentInfo {
  if (ua === '' || ua.length > MAX_LENGTH) return { browser: null, os: null };
  let browser: NameVersion | null = null;
  for (const rule of BROWSERS) {
    const m = rule.pattern.exec(ua);
    if (!m) continue;
    browser = { name: typeof rule.name === 'string' ? rule.name : rule.name(ua), version: shortVersion(m[1]) };
    break;
  }
  let os: NameVersion | null = null;
  for (const rule of SYSTEMS) {
    const m = rule.pattern.exec(ua);
    if (!m) continue;
    os = { name: rule.name, version: rule.version(m) };
    break;
  }
  return { browser, os };
}

function contextName(v: unknown): NameVersion | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const c = v as Record<string, unknown>;
  const name = typeof c.name === 'string' ? c.name.trim() : '';
  return name === '' ? null : { name, version: typeof c.version === 'string' ? c.version : '' };
}

/**
 * Fills in `contexts.browser` / `contexts.os` from the request's User-Agent when the SDK sent none, and tags the
 * event with `browser`, `browser.version`, `os`, `os.version` (the family names: `browser:Chrome` finds Chrome
 * events; the issue search reads `browser.name:` and `os.name:` as these too). Tags and contexts the SDK set win.
 */
export function applyUserAgent(tags: Record<string, string>, contexts: Record<string, unknown>, headers: Record<string, string>): void {
  const header = Object.entries(headers).find(([name]) => name.toLowerCase() === 'user-agent')?.[1] ?? '';
  const parsed = parseUserAgent(header);
  for (const key of ['browser', 'os'] as const) {
    let found = contextName(contexts[key]);
    const derived = parsed[key];
    if (!found && derived && contexts[key] === undefined) {
      contexts[key] = { name: derived.name, ...(derived.version ? { version: derived.version } : {}) };
      found = derived;
    }
    if (!found || Object.hasOwn(tags, key)) continue;
    tags[key] = found.name;
    if (found.version !== '' && !Object.hasOwn(tags, `${key}.version`)) tags[`${key}.version`] = found.version;
  }
}
