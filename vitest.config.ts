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
    // expect.poll gives up after 1 s by default: a browser page's first fetches took longer than that on a slow
    // phase of the 2-core VM (the logs histogram test failed at every commit then). A poll ends when it matches,
    // so the longer limit only delays a real failure.
    expect: { poll: { timeout: 10_000 } },
  },
});
