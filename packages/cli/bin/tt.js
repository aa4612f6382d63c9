#!/usr/bin/env node
// The bin runs the TypeScript sources through tsx, so the workspace needs no build step for the CLI.
// Both hooks: @tt/contracts is a CommonJS package of .ts files (typechain), which the ESM hook alone cannot require.
import { register } from 'tsx/esm/api';
import { register as registerCjs } from 'tsx/cjs/api';
register();
registerCjs();
await import('../src/main.ts');
