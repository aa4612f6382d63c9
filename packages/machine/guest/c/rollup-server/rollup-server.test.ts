// The in-machine rollup server's pieces, compiled for this host: the output encodings hash exactly like the Solidity
// encodings the v1 contracts prove (abi.encode(address, bytes) for vouchers, abi.encode(bytes) for notices, checked
// with ethers), and its JSON reader takes what the backend sends and refuses what it must.
import { execFileSync } from 'node:child_process';
import { AbiCoder, keccak256 } from 'ethers';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildForHost } from '../test/host-build.ts';
let bin: string;
const run = (lines: string[]) =>
  execFileSync(bin, { input: lines.join('\n') + '\n', maxBuffer: 1 << 26 })
    .toString()
    .trimEnd()
    .split('\n');

beforeAll(() => {
  bin = buildForHost('rollup-cli', [
    'test/rollup-cli.c',
    'rollup-server/abi.c',
    'rollup-server/http.c',
    'lib/keccak.c',
  ]);
});

describe('rollup server encodings', () => {
  const abi = AbiCoder.defaultAbiCoder();
  const address = '0x90f79bf6eb2c4f870365e785982e1f101e93b906';
  const payloads = [0, 1, 31, 32, 33, 64, 100, 1000, 70_000].map((n) =>
    Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + n) & 0xff)),
  );

  it('voucher hashes equal keccak256(abi.encode(address, bytes)), notice hashes keccak256(abi.encode(bytes))', () => {
    const out = run([
      ...payloads.map((p) => `voucher ${address.slice(2)} ${p.toString('hex')}`),
      ...payloads.map((p) => `notice ${p.toString('hex')}`),
    ]);
    payloads.forEach((p, i) => {
      const voucher = abi.encode(['address', 'bytes'], [address, p]);
      expect(`0x${out[i]!.split(' ')[1]}`, `voucher encoding, ${p.length} bytes`).toBe(voucher);
      expect(`0x${out[i]!.split(' ')[0]}`).toBe(keccak256(voucher));
      const notice = abi.encode(['bytes'], [p]);
      expect(`0x${out[payloads.length + i]!.split(' ')[1]}`, `notice encoding, ${p.length} bytes`).toBe(
        notice,
      );
      expect(`0x${out[payloads.length + i]!.split(' ')[0]}`).toBe(keccak256(notice));
    });
  });

  it('reads string fields of the JSON the backend posts, and refuses malformed bodies', () => {
    expect(
      run([
        'json status {"status":"accept"}',
        'json payload { "destination" : "0xab", "payload": "0x0102" }',
        'json payload {"n": 12, "ok": true, "payload":"0x"}',
        'json status {"status":"accept"',
        'json status {"status": 1}',
        'json status {"status":"acc\\"ept"}',
        'json status {"other":"x"}',
        'json status {"nested":{"status":"accept"}}',
        'json status {"status":"accept"} trailing',
      ]),
    ).toEqual(['accept', '0x0102', '0x', '-', '-', '-', '-', '-', '-']);
  });
});
