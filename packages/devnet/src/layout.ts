// Where the devnet finds the rest of the workspace: it lives at packages/devnet, so the workspace root is two folders
// up. The devnet's own knowledge, not the engine's: local state in <root>/.tt/devnet, the built backend in
// <root>/dapp/dist, the UI in <root>/frontend.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const workspaceRoot = fileURLToPath(new URL('../../..', import.meta.url));

export const defaultStateDir = () => join(workspaceRoot, '.tt', 'devnet');

/** The built backend (docs/interfaces.md "The backend process"). */
export const defaultBackendPath = () => join(workspaceRoot, 'dapp', 'dist', 'backend.mjs');

export const frontendDir = () => join(workspaceRoot, 'frontend');

/** `pnpm machine`'s command line (packages/machine): the devnet asks it for the machine image (--machine cartesi). */
export const machineCli = () => join(workspaceRoot, 'packages', 'machine', 'src', 'cli.ts');
