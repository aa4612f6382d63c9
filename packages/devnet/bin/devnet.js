#!/usr/bin/env node
// Runs the TypeScript sources through tsx, so the devnet needs no build step of its own.
import { register } from 'tsx/esm/api';
register();
const { run } = await import('../src/cli.ts');
run(process.argv.slice(2));
