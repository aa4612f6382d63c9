// Loads the deployments file a network's node serves (docs/interfaces.md), checked by @tt/protocol's parser, and says
// what to do when it is missing: the page retries by itself, so starting `pnpm dev` afterwards is enough.
import { checkDeployments, TtError } from '@tt/client';
import type { Deployments } from '@tt/protocol';
import type { NetworkConfig } from './networks.ts';

export type { Deployments };

export async function fetchDeployments(network: NetworkConfig, signal?: AbortSignal): Promise<Deployments> {
  let res: Response;
  try {
    res = await fetch(network.deploymentsUrl, { signal, cache: 'no-store' });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new TtError(
      'devnet-not-running',
      `Can't reach the ${network.label} node at ${network.nodeUrl}.`,
      network.id === 'testnet'
        ? 'Check VITE_TESTNET_NODE_URL and that the node is up.'
        : 'Start it with `pnpm dev`; this page connects by itself once it is up.',
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
