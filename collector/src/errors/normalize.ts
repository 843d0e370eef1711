/**
 * Normalisation for grouping: everything that varies between two occurrences of the same bug (ids in
 * messages, build hashes in bundle names, compiler-numbered lambdas) is replaced by something stable,
 * while what tells two bugs apart (names of files, functions, types) is kept.
 */

/** Messages longer than this are cut before normalising; the tail of a huge message does not identify it. */
const MAX_MESSAGE = 1024;

/**
 * Order matters: timestamps and UUIDs contain digits and hex that the later, broader rules would shred
 * into several placeholders.
 */
const MESSAGE_RULES: [RegExp, string][] = [
  [/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g, '<date>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, '<email>'],
  [/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b/g, '<ip>'],
  [/(?<![\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:])/gi, '<ip>'],
  [
    /(?<![\w:])(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?|::[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)(?![\w:])/gi,
    '<ip>',
  ],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  // 8+ hex characters mixing digits and letters are an id or hash; letters only are probably a word, and
  // digits only are a number (so `order 1234` and `order 12345678` normalise alike).
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<hex>'],
  [/\b\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\b/g, '<time>'],
  // Numbers stand alone or after punctuation (`order_1234`, `#42`, `'1234'`); digits inside a word
  // (`utf8`, `http2`, `base64`) are part of the word.
  [/(?<![A-Za-z\d.])\d+(?:\.\d+)*/g, '<num>'],
];

/** A message with its variable parts replaced by placeholders (`Order <num> not found for <email>`). */
export function normalizeMessage(message: string): string {
  let text = message.slice(0, MAX_MESSAGE);
  for (const [pattern, placeholder] of MESSAGE_RULES) text = text.replace(pattern, placeholder);
  return text
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A build hash inside a file name: 6+ hex characters with a digit (webpack, CRA), or 8 base64url
 * characters mixing letters and digits (Vite, esbuild, Rollup `index-BmX3kP9a.js`).
 */
function isBuildHash(token: string): boolean {
  if (/^(?=[0-9a-f]*\d)[0-9a-f]{6,}$/i.test(token)) return true;
  return /^[A-Za-z0-9_]{8}$/.test(token) && /\d/.test(token) && /[a-z]/.test(token) && /[A-Z]/.test(token);
}

/**
 * The basename used in grouping: no query string or fragment, no build hashes (`app.3f2a1c.js` → `app.js`),
 * no version numbers (`jquery-3.7.1.min.js` → `jquery.min.js`).
 */
export function normalizeFilename(path: string): string {
  const clean = path.replace(/[?#].*$/, '').replace(/[/\\]+$/, '');
  const base = clean.slice(Math.max(clean.lastIndexOf('/'), clean.lastIndexOf('\\')) + 1);
  const withoutVersion = base.replace(/[-_.@]v?\d+(?:\.\d+){1,3}(?=[.-])/g, '');
  const tokens = withoutVersion.split(/([.-])/);
  const kept: string[] = [];
  for (let i = 0; i < tokens.length; i += 2) {
    const token = tokens[i] ?? '';
    // The first token is the name itself; only later tokens can be hashes (`a1b2c3d4.js` stays).
    if (i > 0 && isBuildHash(token)) continue;
    if (kept.length > 0) kept.push(tokens[i - 1] ?? '.');
    kept.push(token);
  }
  return kept.join('');
}

/**
 * Generated JVM class names carry counters and addresses that change between runs and builds:
 * `Foo$$Lambda$12/0x0000000800c0b448`, `Foo$$Lambda/0x…`, `$Proxy123`, CGLIB `$$EnhancerBySpringCGLIB$$1a2b3c`.
 */
export function normalizeModule(module: string): string {
  return module
    .replace(/\$\$Lambda(?:\$\d+)?(?:\/(?:0x)?[0-9a-fA-F]+)?/g, '$$$$Lambda')
    .replace(/\$\$(EnhancerBySpringCGLIB|SpringCGLIB|FastClassBySpringCGLIB|HibernateProxy)\$\$[0-9a-zA-Z]+/g, '$$$$$1')
    .replace(/\$Proxy\d+/g, '$$Proxy')
    .replace(/\bjdk\.proxy\d+\b/g, 'jdk.proxy')
    .replace(/\bGeneratedMethodAccessor\d+\b/g, 'GeneratedMethodAccessor')
    .replace(/\bGeneratedConstructorAccessor\d+\b/g, 'GeneratedConstructorAccessor')
    .replace(DOTNET_GENERATED, '$1');
}

/** C# compiler-generated names: async state machines `<Post>d__4`, closures `<>c__DisplayClass2_0`, `<Run>b__0`. */
const DOTNET_GENERATED = /(d__|b__|c__DisplayClass|lambda_method)\d+(?:_\d+)?/g;

/**
 * Function names as the same code reports them across runs, engines' decorations aside: V8's
 * `async `, `Object.`, `<anonymous>`, `[as alias]`; Firefox's `/<` and `*` markers; numbered Java and Scala
 * lambdas (`lambda$handle$0`, `$anonfun$run$1`); Go closures (`handler.func1.2` → `handler.func`).
 * Python's `<lambda>`, `<listcomp>`, `<module>` are stable already and stay.
 */
export function normalizeFunction(name: string): string {
  let fn = name.trim();
  fn = fn.replace(/^(?:async[\s*]+)+/, '');
  fn = fn.replace(/\s*\[as [^\]]*\]$/, '');
  fn = fn.replace(/^Object\./, '');
  fn = fn.replace(/<anonymous>/g, '');
  fn = fn.replace(/(?:\/<)+$/, '').replace(/[*<]+$/, '');
  fn = fn.replace(/\blambda\$(.+?)\$\d+$/, 'lambda$$$1');
  fn = fn.replace(/\$anonfun\$(.+?)\$\d+$/, '$$anonfun$$$1');
  fn = fn.replace(/\.func\d+(?:\.\d+)*/g, '.func').replace(/\.gowrap\d+/g, '.gowrap');
  fn = fn.replace(/(?<=\w)\$\d+$/, '').replace(DOTNET_GENERATED, '$1');
  return fn.replace(/\.$/, '').trim();
}
