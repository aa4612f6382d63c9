#!/usr/bin/env node
// The bin runs the TypeScript sources through tsx, so the workspace needs no build step for the CLI.
import { register } from 'tsx/esm/api';
register();
await import('../src/main.ts');
