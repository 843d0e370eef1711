#!/usr/bin/env node
// The CLI entry point. Run through npm (`npm start`, `npm run faultline -- …`) so the pinned Node 24 runs it.

// Embedded chDB runs each statement on libuv's thread pool, 4 threads unless told otherwise, shared with gzip and
// file work: with two span inserts, the writer and a buffer flush at work, API reads queued for a thread (measured:
// a `SELECT 1` waited 478 ms behind four half-second statements; 6 ms with 16 threads). The pool starts with its
// first task, so this must run before anything else; a value the user set wins.
process.env.UV_THREADPOOL_SIZE ??= '16';

const { run } = await import('../cli/src/main.ts');
run(process.argv.slice(2));
