// What the rollup memory ranges of a Cartesi v1 machine hold (../shared/docs/cartesi-machine-here.md): the node
// writes an input's metadata and payload in, and reads each output back from the tx buffer, ABI-encoded exactly as
// the output hash covers it (OutputEncoding), so the node checks the machine's hashes against its own keccak.
import type { AdvanceMetadata } from '@tt/cartesi-v1';
import { encodeNotice, encodeVoucher } from '../proofs/index.js';

const word = (n: number | bigint) => BigInt(n).toString(16).padStart(64, '0');

/** input metadata: msg_sender, block_number, timestamp, epoch_index, input_index, each a 32-byte word (hex, no 0x). */
export function encodeMetadata(m: AdvanceMetadata): string {
  const sender = m.msg_sender.slice(2).toLowerCase();
  if (!/^[0-9a-f]{40}$/.test(sender)) throw new Error(`not an address: ${m.msg_sender}`);
  return (
    sender.padStart(64, '0') +
    word(m.block_number) +
    word(m.timestamp) +
    word(m.epoch_index) +
    word(m.input_index)
  );
}

/** rx buffer: abi.encode(bytes payload) (hex, no 0x). */
export function encodeRx(payload: string): string {
  return encodeNotice(payload).slice(2);
}

const lengthAt = (hex: string, wordIndex: number) =>
  Number.parseInt(hex.slice(64 * wordIndex, 64 * wordIndex + 64), 16);

/** A voucher from the tx buffer: [destination word][0x40][length][payload, padded]. Canonical or an error. */
export function decodeVoucher(hex: string): { destination: string; payload: string } {
  const length = lengthAt(hex, 2);
  const destination = `0x${hex.slice(24, 64)}`;
  const payload = `0x${hex.slice(192, 192 + 2 * length)}`;
  if (`0x${hex}` !== encodeVoucher(destination, payload))
    throw new Error('the machine yielded a voucher that is not a canonical abi.encode(address, bytes)');
  return { destination, payload };
}

/** A notice, report or exception payload from the tx buffer: [0x20][length][payload, padded]. */
export function decodeBytes(hex: string, what: string): string {
  const payload = `0x${hex.slice(128, 128 + 2 * lengthAt(hex, 1))}`;
  if (`0x${hex}` !== encodeNotice(payload))
    throw new Error(`the machine yielded a ${what} that is not a canonical abi.encode(bytes)`);
  return payload;
}
