// How one output becomes a leaf of its input's output-hashes tree (Cartesi v1 OutputEncoding and
// LibOutputValidation): outputHash = keccak256(abi.encode(...)), and the leaf is that hash seen as
// four 8-byte words of machine memory.
import { concat, dataSlice, keccak256 } from 'ethers';
import { P3, sparseTree, type Hex, type SparseTree } from './merkle.js';

/** log2 of the per-input memory range holding output hashes (CanonicalMachine.VOUCHER/NOTICE_METADATA_LOG2_SIZE). */
export const OUTPUT_METADATA_LOG2_SIZE = 21;
/** One keccak hash is 2^5 bytes. */
export const KECCAK_LOG2_SIZE = 5;

/** 32-byte big-endian word of a non-negative integer, as hex without 0x. */
const word = (n: number) => n.toString(16).padStart(64, '0');

/** The tail of `bytes` in ABI encoding: length word, then the data right-padded to a multiple of 32 bytes. */
function bytesTail(payload: string): string {
  const hex = payload.slice(2);
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex))
    throw new Error(`not a hex byte string: ${payload.slice(0, 20)}…`);
  const padded = Math.ceil(hex.length / 64) * 64;
  return word(hex.length / 2) + hex.toLowerCase().padEnd(padded, '0');
}

// Written by hand (these layouts are fixed) because ethers' ABI coder takes seconds on a 2 MiB payload.

/** abi.encode(address destination, bytes payload): the bytes a voucher hash covers (OutputEncoding.encodeVoucher). */
export function encodeVoucher(destination: string, payload: string): Hex {
  const address = destination.slice(2).toLowerCase();
  if (!/^[0-9a-f]{40}$/.test(address)) throw new Error(`not an address: ${destination}`);
  return `0x${address.padStart(64, '0')}${word(64)}${bytesTail(payload)}`;
}

/** abi.encode(bytes payload): the bytes a notice hash covers (OutputEncoding.encodeNotice). */
export function encodeNotice(payload: string): Hex {
  return `0x${word(32)}${bytesTail(payload)}`;
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
