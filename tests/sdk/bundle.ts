import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const BRIDGE = join(import.meta.dirname, '..', '..', 'sdk-bridge');
export const BUNDLE = join(BRIDGE, 'dist', 'faultline.browser.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // The Node half is not part of the browser bundle.
    if (entry.isDirectory()) newest = entry.name === 'node' ? newest : Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The prebuilt browser script, as `npm install` leaves it. A bundle older than its sources would test
 * yesterday's code, so that is an error rather than a silent pass.
 */
export function browserBundle(): string {
  if (!existsSync(BUNDLE) || statSync(BUNDLE).mtimeMs < newestSource(join(BRIDGE, 'src'))) {
    throw new Error(`${BUNDLE} is missing or older than sdk-bridge/src: run npm run build -w @faultline/sdk-bridge`);
  }
  return BUNDLE;
}
