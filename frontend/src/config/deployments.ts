// The deployments of a network, checked by @tt/protocol's parser: a local network's node serves its own file
// (docs/interfaces.md; the page retries by itself, so starting `pnpm dev` afterwards is enough); a testnet's is built
// into the UI, since a node could name contracts and a model of its own and the UI would then check it against itself.
import { checkDeployments, TtError } from '@tt/client';
import type { Deployments } from '@tt/protocol';
import type { NetworkConfig } from './networks.ts';

export type { Deployments };

export async function fetchDeployments(network: NetworkConfig, signal?: AbortSignal): Promise<Deployments> {
  if (network.id === 'testnet') return builtInDeployments(network);
  let res: Response;
  try {
    res = await fetch(network.deploymentsUrl, { signal, cache: 'no-store' });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new TtError(
      'devnet-not-running',
      `Can't reach the ${network.label} node at ${network.nodeUrl}.`,
      'Start it with `pnpm dev`; this page connects by itself once it is up.',
    );
  }
  if (!res.ok) {
    throw new TtError(
      'no-deployments',
      `The node answered ${res.status} for ${network.deploymentsUrl}.`,
      'Is this a Trust-and-Teach node? `pnpm dev` serves the deployments file.',
    );
  }
  const d = checkDeployments(await res.json(), network.deploymentsUrl);
  if (d.chainId !== network.chainId) {
    throw new TtError(
      'wrong-network',
      `The deployments are for chain ${d.chainId}, but ${network.label} is chain ${network.chainId}.`,
      'Pick the matching network in the header.',
    );
  }
  return d;
}

/** A testnet's deployments, built into the UI (VITE_TESTNET_DEPLOYMENTS_FILE); never fetched from its node. */
export function builtInDeployments(network: NetworkConfig): Deployments {
  if (!network.deployments) {
    throw new TtError(
      'no-deployments',
      `This UI was built without the contract addresses of ${network.label}.`,
      'Build it with VITE_TESTNET_DEPLOYMENTS_FILE=contracts/deployments/<network>.json (the deploy script writes it).',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(network.deployments);
  } catch (err) {
    throw new TtError(
      'no-deployments',
      `The built-in deployments of ${network.label} are not JSON: ${(err as Error).message}`,
    );
  }
  const d = checkDeployments(json, `the deployments built into this UI for ${network.label}`);
  if (d.chainId !== network.chainId) {
    throw new TtError(
      'wrong-network',
      `The built-in deployments are for chain ${d.chainId}, but ${network.label} is chain ${network.chainId}.`,
      'Rebuild the UI with the deployments file of this network.',
    );
  }
  return d;
}
