// The rollup memory ranges' encodings against ethers' ABI coder (Solidity's abi.encode).
import { AbiCoder, hexlify, randomBytes } from 'ethers';
import { describe, expect, it } from 'vitest';
import { decodeBytes, decodeVoucher, encodeMetadata, encodeRx } from './encoding.js';

const abi = AbiCoder.defaultAbiCoder();

describe('rollup memory range encodings', () => {
  it('writes the input metadata as the five words the machine reads', () => {
    const m = {
      msg_sender: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
      block_number: 41,
      timestamp: 1_700_000_123,
      epoch_index: 0,
      input_index: 7,
    };
    expect(`0x${encodeMetadata(m)}`).toBe(
      abi.encode(
        ['address', 'uint256', 'uint256', 'uint256', 'uint256'],
        [m.msg_sender, m.block_number, m.timestamp, m.epoch_index, m.input_index],
      ),
    );
    expect(() => encodeMetadata({ ...m, msg_sender: '0x1234' })).toThrow(/not an address/);
  });

  it('writes the payload as abi.encode(bytes), and reads vouchers, notices and reports back', () => {
    for (const n of [0, 1, 31, 32, 33, 1000]) {
      const payload = hexlify(randomBytes(n));
      expect(`0x${encodeRx(payload)}`).toBe(abi.encode(['bytes'], [payload]));
      expect(decodeBytes(encodeRx(payload), 'notice')).toBe(payload);
      const destination = hexlify(randomBytes(20));
      const voucher = abi.encode(['address', 'bytes'], [destination, payload]).slice(2);
      expect(decodeVoucher(voucher)).toEqual({ destination, payload });
    }
  });

  it('refuses an output that is not the canonical encoding', () => {
    const notice = encodeRx('0x0102');
    const otherOffset = `${'0'.repeat(62)}40${notice.slice(64)}`;
    expect(() => decodeBytes(otherOffset, 'notice')).toThrow(/canonical/);
    expect(() => decodeBytes(`${notice}ff`, 'report')).toThrow(/not a canonical abi.encode\(bytes\)/);
  });
});
