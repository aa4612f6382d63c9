// Submits each closed epoch's claim through the Authority, as its owner, exactly once: before
// sending, it asks the chain whether that claim index already exists (a previous run may have
// sent it and died before recording it), and it stops if the chain holds a different claim.
import { Authority__factory, type Authority } from '@tt/cartesi-v1';
import type { Signer } from 'ethers';
import { encodeClaim, encodeContext, type Hex } from '../proofs/index.js';
import type { Store } from '../store/store.js';

export class ClaimMismatchError extends Error {
  override name = 'ClaimMismatchError';
}

export class Claimer {
  private readonly authority: Authority;

  constructor(
    private readonly store: Store,
    owner: Signer,
    authorityAddress: string,
    private readonly dapp: string,
    private readonly log: (line: string) => void,
  ) {
    this.authority = Authority__factory.connect(authorityAddress, owner);
  }

  /** The claim History holds for this dApp at `index`, or null when there is none yet. */
  async onChainClaim(index: number): Promise<{ epochHash: string; first: bigint; last: bigint } | null> {
    try {
      const [epochHash, first, last] = await this.authority.getClaim(this.dapp, encodeContext(index));
      return { epochHash, first, last };
    } catch {
      // InvalidClaimIndex: History has fewer claims for this dApp
      return null;
    }
  }

  /** Claims every closed, unclaimed epoch in order. Returns how many were submitted now. */
  async run(): Promise<number> {
    let submitted = 0;
    for (const epoch of this.store.unclaimedEpochs()) {
      const existing = await this.onChainClaim(epoch.index);
      if (existing) {
        if (
          existing.epochHash !== epoch.epochHash ||
          existing.first !== BigInt(epoch.firstInput) ||
          existing.last !== BigInt(epoch.lastInput)
        ) {
          throw new ClaimMismatchError(
            `the chain already holds claim ${epoch.index} for inputs ${existing.first}..${existing.last} with epoch hash ${existing.epochHash}, ` +
              `but this node computed inputs ${epoch.firstInput}..${epoch.lastInput} with ${epoch.epochHash}. ` +
              'The node state does not belong to this chain: restart the devnet with --fresh.',
          );
        }
        this.store.markClaimed(epoch.index, null);
        continue;
      }
      const data = encodeClaim(this.dapp, epoch.epochHash as Hex, epoch.firstInput, epoch.lastInput);
      const tx = await this.authority.submitClaim(data);
      const receipt = await tx.wait();
      if (!receipt || receipt.status !== 1)
        throw new Error(`claim ${epoch.index} transaction ${tx.hash} failed`);
      this.store.markClaimed(epoch.index, tx.hash);
      this.log(
        `claim ${epoch.index}: inputs ${epoch.firstInput}..${epoch.lastInput}, epoch hash ${epoch.epochHash.slice(0, 10)}…, tx ${tx.hash.slice(0, 10)}…`,
      );
      submitted++;
    }
    return submitted;
  }
}
