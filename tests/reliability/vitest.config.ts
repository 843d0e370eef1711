import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Long-running reliability tests (real processes, kill -9, overload): `npm run test:reliability`, not `npm test`.
// The files end in `.reliability.ts`, so the root config's `tests/**/*.test.ts` never picks them up.
export default defineConfig({
  root: join(import.meta.dirname, '..', '..'),
  test: {
    include: ['tests/reliability/**/*.reliability.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    pool: 'forks',
    isolate: true,
    // One at a time: each file runs a real server and loads the machine on purpose.
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
