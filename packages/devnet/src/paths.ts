import { join } from 'node:path';
// The workspace root (where pnpm-workspace.yaml is) is found the one way the engine package finds it: state lives in
// <root>/.tt/, the built backend in <root>/dapp/dist/.
import { repoRoot } from '@tt/llm/node';

export { repoRoot };

export const defaultStateDir = () => join(repoRoot(), '.tt', 'devnet');
/** The built backend (docs/interfaces.md "The backend process"). */
export const defaultBackendPath = () => join(repoRoot(), 'dapp', 'dist', 'backend.mjs');
