// Facts about a chain that are recorded once, when they happen, and never derived again: the block a contract was
// deployed in, above all. Deriving it later (a binary search over eth_getCode at past blocks) is wrong on Hardhat
// across ranges mined with hardhat_mine, which report no code at blocks inside them: after `hardhat_mine 0xbb8` a
// restart moved TrustAndTeach's deployment block from 17 to 6044, past every event the dataset is built from.
// The file names the chain it belongs to, so a recreated chain never inherits another one's facts.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Provider } from 'ethers';

interface FactsFile {
  kind: 'tt-devnet-chain-facts';
  chainIdentity: string;
  blocks: Record<string, number>;
}

export class ChainFacts {
  private blocks: Record<string, number> = {};

  constructor(
    private readonly path: string,
    private readonly chainIdentity: string,
  ) {
    if (!existsSync(path)) return;
    try {
      const f = JSON.parse(readFileSync(path, 'utf8')) as FactsFile;
      if (f.kind === 'tt-devnet-chain-facts' && f.chainIdentity === chainIdentity)
        this.blocks = { ...f.blocks };
    } catch {
      // unreadable: the facts are looked up again below, once, and recorded
    }
  }

  /** The block recorded under `name`, if any. */
  block(name: string): number | undefined {
    const b = this.blocks[name];
    return Number.isSafeInteger(b) && b! >= 0 ? b : undefined;
  }

  /** Records `name` once; a later call with another value keeps the first (the first one saw it happen). */
  record(name: string, block: number): number {
    const known = this.block(name);
    if (known !== undefined) return known;
    this.blocks[name] = block;
    const file: FactsFile = {
      kind: 'tt-devnet-chain-facts',
      chainIdentity: this.chainIdentity,
      blocks: this.blocks,
    };
    // written whole and renamed into place: a crash leaves the old file or the new one
    writeFileSync(`${this.path}.tmp`, JSON.stringify(file, null, 2) + '\n');
    renameSync(`${this.path}.tmp`, this.path);
    return block;
  }

  /**
   * The recorded block, else the one `known` gives (a receipt just seen), else the first block with code at
   * `address`, found by walking up from block 0, recorded either way.
   */
  async deploymentBlock(
    name: string,
    provider: Provider,
    address: string,
    known?: number | null,
  ): Promise<number> {
    const recorded = this.block(name);
    if (recorded !== undefined) return recorded;
    return this.record(name, known ?? (await firstBlockWithCode(provider, address)));
  }
}

/**
 * The first block at which `address` has code, walking up from block 0. Unlike a binary search this is right on
 * Hardhat across hardhat_mine ranges (blocks inside them report no code, also after the deployment): walking up, a
 * block before the deployment has no code whether it is inside such a range or not, and the walk stops at the
 * deployment itself. A devnet deploys its contracts in its first blocks, so the walk is short; it gives up (0, always
 * a safe block to read events from) after `maxBlocks`.
 */
export async function firstBlockWithCode(
  provider: Provider,
  address: string,
  maxBlocks = 5_000,
): Promise<number> {
  const latest = await provider.getBlockNumber();
  for (let b = 0; b <= Math.min(latest, maxBlocks); b++) {
    if ((await provider.getCode(address, b)) !== '0x') return b;
  }
  return 0;
}
