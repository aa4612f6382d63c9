// Checks that the chain behind a provider is the one the deployments describe, with errors that say what to do:
// nothing listening (start the devnet), another chain id (wrong network), no code at the address (stale deployments).
import type { Deployments } from '@tt/protocol';
import type { Provider } from 'ethers';
import { isConnectionRefused, START_DEVNET_HINT, TtError } from './errors.ts';

export async function checkChain(
  provider: Provider,
  deployments: Deployments,
  rpcUrl = 'the RPC',
): Promise<void> {
  let chainId: bigint;
  try {
    chainId = (await provider.getNetwork()).chainId;
    // getNetwork can answer from a static configuration; ask the node itself.
    const live = await (
      provider as Provider & { send?: (m: string, p: unknown[]) => Promise<string> }
    ).send?.('eth_chainId', []);
    if (live !== undefined) chainId = BigInt(live);
  } catch (err) {
    if (isConnectionRefused(err)) {
      throw new TtError('devnet-not-running', `no chain answers at ${rpcUrl}`, START_DEVNET_HINT, {
        cause: err,
      });
    }
    throw new TtError(
      'node-unreachable',
      `cannot talk to the chain at ${rpcUrl}: ${(err as Error).message}`,
      undefined,
      {
        cause: err,
      },
    );
  }
  if (chainId !== BigInt(deployments.chainId)) {
    throw new TtError(
      'wrong-network',
      `wrong network: the chain at ${rpcUrl} has chain id ${chainId}, the deployments are for ${deployments.network} (chain id ${deployments.chainId})`,
      'point --rpc at the chain the deployments describe, or pass --deployments for this chain (in a wallet: switch network)',
    );
  }
  const code = await provider.getCode(deployments.contracts.TrustAndTeach);
  if (code === '0x') {
    throw new TtError(
      'no-deployments',
      `no TrustAndTeach contract at ${deployments.contracts.TrustAndTeach} on chain ${chainId}`,
      'the deployments file is stale: restart the devnet with `pnpm devnet` or pass the right --deployments',
    );
  }
}
