// How one output becomes a leaf of its input's output-hashes tree (Cartesi v1 OutputEncoding and
// LibOutputValidation): outputHash = keccak256(abi.encode(...)), and the leaf is that hash seen as
// four 8-byte words of machine memory.
import { AbiCoder, concat, dataSlice, keccak256 } from 'ethers';
import { P3, sparseTree, type Hex, type SparseTree } from './merkle.js';

const abi = AbiCoder.defaultAbiCoder();

/** log2 of the per-input memory range holding output hashes (CanonicalMachine.VOUCHER/NOTICE_METADATA_LOG2_SIZE). */
export const OUTPUT_METADATA_LOG2_SIZE = 21;
/** One keccak hash is 2^5 bytes. */
export const KECCAK_LOG2_SIZE = 5;

export function encodeVoucher(destination: string, payload: string): Hex {
  return abi.encode(['address', 'bytes'], [destination, payload]) as Hex;
}

export function encodeNotice(payload: string): Hex {
  return abi.encode(['bytes'], [payload]) as Hex;
}

export const voucherHash = (destination: string, payload: string): Hex =>
  keccak256(encodeVoucher(destination, payload)) as Hex;
export const noticeHash = (payload: string): Hex => keccak256(encodeNotice(payload)) as Hex;

/** MerkleV2.getMerkleRootFromBytes(abi.encodePacked(hash), 5): the 32-byte hash as a 4-word subtree. */
export function hashRoot(hash: Hex): Hex {
  const w = [0, 8, 16, 24].map((o) => keccak256(dataSlice(hash, o, o + 8)));
  return keccak256(concat([keccak256(concat([w[0]!, w[1]!])), keccak256(concat([w[2]!, w[3]!]))])) as Hex;
}

/** The log2-21 tree of one input's voucher (or notice) hashes, in output order. */
export function outputHashesTree(hashes: readonly Hex[]): SparseTree {
  if (hashes.length > 2 ** (OUTPUT_METADATA_LOG2_SIZE - KECCAK_LOG2_SIZE)) {
    throw new Error(`an input can have at most 65536 vouchers or notices, got ${hashes.length}`);
  }
  return sparseTree(hashes.map(hashRoot), KECCAK_LOG2_SIZE, OUTPUT_METADATA_LOG2_SIZE, P3);
}
