/**
 * In-app guesses for frames parsed from text. OTel SDKs do not say which frames are application code, so
 * we infer it from paths and names. Grouping hashes only in-app frames when there are any, so a wrong
 * `true` makes groups too fine (library internals split issues) and a wrong `false` makes them too coarse;
 * the rules below only mark code as a dependency or runtime when the evidence is unambiguous.
 */

/** JavaScript (Node and browsers): dependencies, Node core and browser extensions are not the app. */
export function jsInApp(path: string): boolean {
  if (path === '' || path === '<anonymous>' || path === 'native' || path === '[native code]') return false;
  if (/[/\\]node_modules[/\\]/.test(path)) return false;
  if (path.startsWith('node:') || path.startsWith('internal/')) return false;
  if (/^(?:chrome|moz|safari(?:-web)?)-extension:/.test(path)) return false;
  if (/^[a-z][\w+.-]*:\/\//i.test(path)) return true;
  // Node before v16 reported core modules as bare names (`events.js`); real scripts always have a path.
  return /[/\\]/.test(path);
}

const PYTHON_LIBRARY = /[/\\](?:site-packages|dist-packages)[/\\]|[/\\]lib[/\\]python\d(?:\.\d+)?[/\\]|[/\\]Lib[/\\]/;

/** Python: installed packages and the standard library are not the app; `<frozen …>`, `<string>` have no file. */
export function pythonInApp(path: string): boolean {
  if (path === '' || path.startsWith('<')) return false;
  return !PYTHON_LIBRARY.test(path);
}

/**
 * Java and other JVM languages. The JDK and language runtimes are never the app; a few ubiquitous
 * frameworks are listed too because Java traces are dominated by them, and a Spring or Tomcat frame
 * counted as in-app would make every request path its own issue.
 */
const JVM_LIBRARY_PREFIXES = [
  'java.',
  'javax.',
  'jakarta.',
  'jdk.',
  'sun.',
  'com.sun.',
  'kotlin.',
  'kotlinx.',
  'scala.',
  'groovy.',
  'org.springframework.',
  'org.apache.',
  'org.eclipse.jetty.',
  'org.hibernate.',
  'io.netty.',
  'reactor.',
  'io.micrometer.',
  'io.opentelemetry.',
  'com.fasterxml.jackson.',
  'com.zaxxer.hikari.',
  'ch.qos.logback.',
  'org.slf4j.',
  'org.junit.',
];

export function javaInApp(className: string, hasFile: boolean): boolean {
  if (!hasFile || className === '') return false;
  return !JVM_LIBRARY_PREFIXES.some((prefix) => className.startsWith(prefix));
}

/** Where Go toolchains keep the standard library sources (GOROOT/src), across installs and OSes. */
const GOROOT_SOURCE = /[/\\](?:go|golang)(?:[\d.-][\w.-]*)?[/\\]src[/\\]|[/\\]libexec[/\\]src[/\\]/i;

/**
 * Go: the module cache and vendored code are dependencies. Standard-library packages have no dot in their
 * first path segment (`runtime`, `net/http`), but neither does `main` nor a module named without a domain,
 * so a dotless package whose file lies outside any GOROOT still counts as the app.
 */
export function goInApp(pkg: string, path: string): boolean {
  if (path === '' && pkg === '') return false;
  if (/[/\\]pkg[/\\]mod[/\\]|[/\\]vendor[/\\]/.test(path)) return false;
  if (pkg === 'main') return true;
  const firstSegment = pkg.split('/')[0] ?? '';
  if (firstSegment.includes('.')) return true;
  const absolute = /^(?:\/|[A-Za-z]:[/\\])/.test(path);
  return absolute && !GOROOT_SOURCE.test(path);
}

/**
 * .NET: the base class library and ASP.NET are not the app. Deliberately decided by namespace alone, not by
 * the presence of a file: release builds deployed without PDBs print no file for application frames either.
 */
export function dotnetInApp(typeName: string): boolean {
  if (typeName === '') return false;
  return !/^(?:System|Microsoft|Windows|Newtonsoft|Npgsql|Grpc|Polly|OpenTelemetry)(?:\.|$)/.test(typeName);
}
