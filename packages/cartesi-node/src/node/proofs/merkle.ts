// Sparse Merkle trees in the layout the Cartesi v1 contracts check (MerkleV2): leaves are
// fixed-size blocks at some level, internal node = keccak256(left ‖ right), and every slot past
// the last leaf is a pristine (all-zero) subtree whose hash comes from a precomputed table.
// Only the non-pristine prefix is ever hashed, so a 2^37-byte epoch tree costs O(inputs · 32).
import { concat, keccak256, ZeroHash } from 'ethers';

export type Hex = `0x${string}`;

/** `table[L]` = hash of an all-zero subtree of 2^L bytes, for L in [leafLog2, 64]. */
export function pristineTable(leafLog2: number, leafHash: Hex): Hex[] {
  const table: Hex[] = [];
  table[leafLog2] = leafHash;
  for (let level = leafLog2; level < 64; level++) {
    const h = table[level]!;
    table[level + 1] = keccak256(concat([h, h])) as Hex;
  }
  return table;
}

/** Pristine hashes with 8-byte word leaves: MerkleV2.EMPTY_TREE_HASHES (P3[3] = keccak of 8 zero bytes). */
export const P3: readonly Hex[] = pristineTable(3, keccak256(new Uint8Array(8)) as Hex);
/** Pristine hashes with 32-byte leaves hashed once: the epoch trees' empty slots (P5[5] = keccak of 32 zero bytes). */
export const P5: readonly Hex[] = pristineTable(5, keccak256(new Uint8Array(32)) as Hex);

export interface SparseTree {
  root: Hex;
  /** Siblings of leaf `index`, bottom-up (leaf level to one below the root), as getRootAfterReplacementInDrive wants. */
  siblings(index: number): Hex[];
}

/**
 * Builds a tree of 2^rootLog2 bytes whose first `leaves.length` slots of 2^leafLog2 bytes hold the
 * given node hashes; the remaining slots are pristine according to `pristine`.
 */
export function sparseTree(
  leaves: readonly Hex[],
  leafLog2: number,
  rootLog2: number,
  pristine: readonly Hex[],
): SparseTree {
  if (leafLog2 > rootLog2) throw new Error(`leaf level ${leafLog2} is above root level ${rootLog2}`);
  const capacity = 2 ** (rootLog2 - leafLog2);
  if (leaves.length > capacity)
    throw new Error(`${leaves.length} leaves do not fit a tree with ${capacity} slots`);
  // levels[k] holds the non-pristine nodes at level leafLog2 + k, left-aligned.
  const levels: Hex[][] = [leaves.slice()];
  for (let k = 0; k < rootLog2 - leafLog2; k++) {
    const below = levels[k]!;
    const pad = pristine[leafLog2 + k]!;
    const above: Hex[] = [];
    for (let i = 0; i < below.length; i += 2) {
      above.push(keccak256(concat([below[i]!, below[i + 1] ?? pad])) as Hex);
    }
    levels.push(above);
  }
  const top = levels[rootLog2 - leafLog2]!;
  const root = top[0] ?? pristine[rootLog2]!;
  return {
    root,
    siblings(index: number): Hex[] {
      if (!Number.isInteger(index) || index < 0 || index >= capacity)
        throw new Error(`leaf index ${index} out of range`);
      const out: Hex[] = [];
      let i = index;
      for (let k = 0; k < rootLog2 - leafLog2; k++) {
        out.push(levels[k]![i ^ 1] ?? pristine[leafLog2 + k]!);
        i >>= 1;
      }
      return out;
    },
  };
}

/** What the contracts compute in getRootAfterReplacementInDrive: fold `node` up through `siblings`. */
export function rootFromSiblings(
  position: bigint,
  leafLog2: number,
  node: Hex,
  siblings: readonly Hex[],
): Hex {
  let h = node;
  siblings.forEach((s, i) => {
    const bit = (position >> BigInt(leafLog2 + i)) & 1n;
    h = keccak256(bit === 0n ? concat([h, s]) : concat([s, h])) as Hex;
  });
  return h;
}

export const ZERO_HASH = ZeroHash as Hex;
