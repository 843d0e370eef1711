import { defineConfig } from 'vitest/config';

// chDB binds one data directory per process, so every test file runs in its own forked process.
export default defineConfig({
  test: {
    include: ['{proto,storage,collector,query,cli,sdk-bridge,tests}/**/*.test.ts', 'ui/src/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    pool: 'forks',
    isolate: true,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
