#!/usr/bin/env node
// Runs the TypeScript sources through tsx, so the devnet needs no build step of its own. Both hooks:
// @tt/contracts is CommonJS TypeScript, the rest of the workspace is ESM TypeScript.
import { register } from 'tsx/esm/api';
import { register as registerCjs } from 'tsx/cjs/api';
register();
registerCjs();
await import('../src/cli.ts');
