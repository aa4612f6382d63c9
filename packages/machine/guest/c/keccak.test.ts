// Our C Keccak-256 (guest/c/lib, for the in-machine rollup server's voucher and notice hashes), compiled for this host
// and checked against ethers' keccak256 on messages of every length around the 136-byte block size, and a long one.
import { execFileSync } from 'node:child_process';
import { keccak256 } from 'ethers';
import { describe, expect, it } from 'vitest';
import { buildForHost } from './test/host-build.ts';

describe('Keccak-256 in C', () => {
  it('equals ethers.keccak256 for lengths 0..300 and 100,000 bytes (seeded messages)', () => {
    const bin = buildForHost('keccak-cli', ['test/keccak-cli.c', 'lib/keccak.c']);
    let s = 0x2545f491; // xorshift, seed printed so a failure can be reproduced
    console.log('message seed 0x2545f491');
    const next = () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), s >>> 0) & 0xff;
    const messages = [...Array.from({ length: 301 }, (_, n) => n), 100_000].map((n) =>
      Buffer.from(Array.from({ length: n }, next)),
    );
    const out = execFileSync(bin, {
      input: messages.map((m) => m.toString('hex')).join('\n') + '\n',
      maxBuffer: 1 << 24,
    })
      .toString()
      .trim()
      .split('\n');
    expect(out).toHaveLength(messages.length);
    for (const [i, m] of messages.entries()) expect(`0x${out[i]}`, `length ${m.length}`).toBe(keccak256(m));
  });
});
