#!/usr/bin/env node
// The CLI entry point. Run through npm (`npm start`, `npm run faultline -- …`) so the pinned Node 24 runs it.
import { run } from '../cli/src/main.ts';

run(process.argv.slice(2));
