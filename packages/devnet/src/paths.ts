import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The workspace root (where pnpm-workspace.yaml is): state lives in <root>/.tt/. */
export function repoRoot(): string {
  let dir = packageDir;
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const up = dirname(dir);
    if (up === dir) return packageDir;
    dir = up;
  }
}

export const defaultStateDir = () => join(repoRoot(), '.tt', 'devnet');
/** The built backend (docs/interfaces.md "The backend process"). */
export const defaultBackendPath = () => join(repoRoot(), 'dapp', 'dist', 'backend.mjs');
