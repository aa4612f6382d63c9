// Where the machine builder finds its inputs and keeps its outputs.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '@tt/llm/node';

export const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Built images and every intermediate step, keyed by their inputs (never committed: .cache is gitignored). */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.TT_MACHINE_CACHE ? resolve(env.TT_MACHINE_CACHE) : join(repoRoot(), '.cache', 'cartesi-machine');
}

/**
 * The Cartesi source archives (emulator, OpenSBI, tools), which cannot be downloaded here: beside the repository in
 * ../shared/vendor/cartesi like the models, or wherever $TT_CARTESI_VENDOR says.
 */
export function vendorDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.TT_CARTESI_VENDOR
    ? resolve(env.TT_CARTESI_VENDOR)
    : join(repoRoot(), '..', 'shared', 'vendor', 'cartesi');
}

export { repoRoot };
