// @tt/client/node: the Node-only helpers (files, the repository layout). Nothing in the browser entry imports this.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDeployments } from '@tt/contracts/deployments';
import { ProtocolError, type Deployments } from '@tt/protocol';
import { deploymentsUrlFor, fetchDeployments } from './deployments.ts';
import { TtError } from './errors.ts';

export const DEFAULT_RPC_URL = 'http://127.0.0.1:8545';
export const DEFAULT_GRAPHQL_URL = 'http://127.0.0.1:8080/graphql';

/** The workspace root: the nearest folder above `from` with pnpm-workspace.yaml, else the one this package lives in. */
export function findRepoRoot(from = process.cwd()): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) break;
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
}

export function defaultDeploymentsPath(root = findRepoRoot()): string {
  return join(root, '.tt', 'devnet', 'deployments.json');
}

/** Reads and checks a deployments file; a missing or malformed one is `no-deployments`, naming the file. */
export async function readDeploymentsFile(path: string): Promise<Deployments> {
  try {
    return await readDeployments(path);
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
    throw new TtError(
      'no-deployments',
      err.message,
      'check the --deployments path, or pass the file the deploy wrote',
      {
        cause: err,
      },
    );
  }
}

/**
 * Finds the deployments the way `tt` documents it: an explicit file; else, when a node URL was given, that node's
 * /deployments.json (a running devnet is the truth); else the devnet's file under the repo, else the default node's.
 */
export async function resolveDeployments(opts: { file?: string; graphqlUrl?: string }): Promise<Deployments> {
  if (opts.file) return readDeploymentsFile(opts.file);
  if (opts.graphqlUrl) return fetchDeployments(deploymentsUrlFor(opts.graphqlUrl));
  const local = defaultDeploymentsPath();
  if (existsSync(local)) return readDeploymentsFile(local);
  try {
    return await fetchDeployments(deploymentsUrlFor(DEFAULT_GRAPHQL_URL));
  } catch (err) {
    if (err instanceof TtError && err.code === 'devnet-not-running') {
      throw new TtError(
        'devnet-not-running',
        `no deployments: ${local} does not exist and no devnet answers at ${DEFAULT_GRAPHQL_URL}`,
        'start the local devnet with `pnpm devnet`, or pass --deployments FILE for another network',
        { cause: err },
      );
    }
    throw err;
  }
}
