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

/** Fields whose difference means two deployments files describe different deployments. */
export function deploymentDifferences(a: Deployments, b: Deployments): string[] {
  const out: string[] = [];
  if (a.chainId !== b.chainId) out.push(`chain id ${a.chainId} vs ${b.chainId}`);
  const ta = a.contracts.TrustAndTeach.toLowerCase();
  const tb = b.contracts.TrustAndTeach.toLowerCase();
  if (ta !== tb) out.push(`TrustAndTeach ${a.contracts.TrustAndTeach} vs ${b.contracts.TrustAndTeach}`);
  if (a.trustAndTeachDeploymentBlock !== b.trustAndTeachDeploymentBlock)
    out.push(`deployment block ${a.trustAndTeachDeploymentBlock} vs ${b.trustAndTeachDeploymentBlock}`);
  if (a.model?.hash !== b.model?.hash) out.push(`model ${a.model?.hash} vs ${b.model?.hash}`);
  return out;
}

/** How long a node gets to answer for its /deployments.json before the file is used instead. */
const NODE_TIMEOUT_MS = 5_000;

/**
 * Finds the deployments the way `tt` documents it: an explicit file wins. Otherwise a running node is the truth: its
 * /deployments.json (the node given with --graphql, else the default one), and the devnet's file under the repo is
 * the fallback when no node answers. When both exist and disagree (a devnet started with another --state-dir, or a
 * file left from an earlier chain), `onNote` is told and the node's is used.
 */
export async function resolveDeployments(opts: {
  file?: string;
  graphqlUrl?: string;
  onNote?: (line: string) => void;
}): Promise<Deployments> {
  if (opts.file) return readDeploymentsFile(opts.file);
  const nodeUrl = deploymentsUrlFor(opts.graphqlUrl ?? DEFAULT_GRAPHQL_URL);
  const local = defaultDeploymentsPath();
  const timed: typeof fetch = (input, init) =>
    fetch(input, { ...init, signal: AbortSignal.timeout(NODE_TIMEOUT_MS) });
  let fromNode: Deployments | null = null;
  let nodeError: unknown = null;
  try {
    fromNode = await fetchDeployments(nodeUrl, timed);
  } catch (err) {
    nodeError = err;
  }
  const fromFile = existsSync(local) ? await readDeploymentsFile(local).catch(() => null) : null;
  if (fromNode) {
    const diff = fromFile ? deploymentDifferences(fromFile, fromNode) : [];
    if (diff.length)
      opts.onNote?.(
        `note: ${local} does not match the running node's ${nodeUrl} (${diff.join('; ')}); using the node's`,
      );
    return fromNode;
  }
  // A node named on the command line is what the user asked for: its failure is the answer.
  if (opts.graphqlUrl) throw nodeError;
  if (fromFile) return fromFile;
  if (nodeError instanceof TtError && nodeError.code === 'devnet-not-running') {
    throw new TtError(
      'devnet-not-running',
      `no deployments: no devnet answers at ${DEFAULT_GRAPHQL_URL} and ${local} does not exist`,
      'start the local devnet with `pnpm devnet`, or pass --deployments FILE for another network',
      { cause: nodeError },
    );
  }
  throw nodeError;
}
