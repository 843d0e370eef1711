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

const code = readFileSync(outfile);
const kb = (n: number): string => `${(n / 1024).toFixed(1)} kB`;
console.log(`sdk-bridge: dist/faultline.browser.js ${kb(code.length)} (${kb(gzipSync(code, { level: 9 }).length)} gzip)`);
