/**
 * Builds dist/faultline.browser.js, the script-tag version of the browser SDK (`window.Faultline`), and
 * prints its size: the bundle is meant to stay small (< 30 kB gzip), so growth should be noticed here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = import.meta.dirname;
const outfile = join(root, 'dist', 'faultline.browser.js');

await build({
  entryPoints: [join(root, 'src', 'browser', 'global.ts')],
  outfile,
  bundle: true,
  format: 'iife',
  globalName: 'Faultline',
  minify: true,
  sourcemap: true,
  // Browsers from 2020 on: keepalive fetch, optional chaining and PerformanceNavigationTiming are all there.
  target: ['es2020'],
  legalComments: 'none',
  banner: { js: '/*! @faultline/sdk-bridge browser | Apache-2.0 */' },
  logLevel: 'warning',
});

// The package's entry points as plain ES modules (Node does not strip types inside node_modules): each entry
// with its own sources inlined, every dependency left as an import, so bundlers can still tree-shake.
await build({
  entryPoints: { node: join(root, 'src', 'node', 'index.ts'), browser: join(root, 'src', 'browser', 'index.ts'), traceparent: join(root, 'src', 'traceparent.ts') },
  outdir: join(root, 'dist'),
  bundle: true,
  packages: 'external',
  format: 'esm',
  platform: 'neutral',
  target: ['es2022'],
  sourcemap: true,
  logLevel: 'warning',
});

const code = readFileSync(outfile);
const kb = (n: number): string => `${(n / 1024).toFixed(1)} kB`;
console.log(`sdk-bridge: dist/faultline.browser.js ${kb(code.length)} (${kb(gzipSync(code, { level: 9 }).length)} gzip)`);
