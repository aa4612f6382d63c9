import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { P3, P5, rootFromSiblings } from './merkle.js';
import { buildEpochProofs, encodeClaim, encodeContext } from './epoch.js';
import { hashRoot, noticeHash, outputHashesTree, voucherHash } from './outputs.js';
import type { Hex } from './merkle.js';

// The real node's proofs (rollups-node v1.5.1 test data), kept read-only beside the repository.
const fixturePath = fileURLToPath(
  new URL(
    '../../../../../../shared/fixtures/rollups-node-v1.5.1-echo-input-with-proofs.json',
    import.meta.url,
  ),
);
const fixture = JSON.parse(readFileSync(fixturePath, 'utf8'));

describe('pristine tables', () => {
  it('match the values in MerkleV2.EMPTY_TREE_HASHES and the epoch tree', () => {
    expect(P3[3]).toBe('0x011b4d03dd8c01f1049143cf9c4c817e4b167f1d1b83e5c6f0f10d89ba1e7bce');
    expect(P3[5]).toBe('0xae39ce8537aca75e2eff3e38c98011dfe934e700a0967732fc07b430dd656a23');
    expect(P3[21]).toBe('0x27d86025599a41233848702f0cfc0437b445682df51147a632a0a083d2d38b5e');
    expect(P5[5]).toBe('0x290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e563');
    expect(P3.length).toBe(65);
  });
  it('an input with no outputs has the P3[21] root', () => {
    expect(outputHashesTree([]).root).toBe(P3[21]);
  });
});

describe('real node fixture (echo input 0)', () => {
  const proofs = buildEpochProofs(
    [
      {
        accepted: true,
        vouchers: fixture.vouchers.map((v: { destination: string; payload: string }) => v),
        notices: fixture.notices.map((n: { payload: string }) => n),
      },
    ],
    fixture.notices[0].proof.machineStateHash,
  );
  const context = encodeContext(0);

  for (const kind of ['vouchers', 'notices'] as const) {
    it(`reproduces every field of the ${kind} proof byte for byte`, () => {
      const expected = fixture[kind][0].proof;
      const ours = proofs[kind][0]![0]!;
      expect({ ...ours, context }).toEqual(expected);
    });
  }

  it('the siblings fold up to the served roots, as the contracts check them', () => {
    const p = proofs.vouchers[0]![0]!;
    const leaf = hashRoot(voucherHash(fixture.vouchers[0].destination, fixture.vouchers[0].payload));
    expect(rootFromSiblings(0n, 5, leaf, p.outputHashInOutputHashesSiblings)).toBe(p.outputHashesRootHash);
    expect(rootFromSiblings(0n, 5, p.outputHashesRootHash, p.outputHashesInEpochSiblings)).toBe(
      p.vouchersEpochRootHash,
    );
  });
});

describe('epochs with several inputs', () => {
  const d = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
  const inputs = [
    { accepted: true, vouchers: [{ destination: d, payload: '0x01' }], notices: [{ payload: '0x' }] },
    { accepted: false, vouchers: [{ destination: d, payload: '0x02' }], notices: [] },
    { accepted: true, vouchers: [0, 1, 2].map((i) => ({ destination: d, payload: `0x0${i}` })), notices: [] },
  ];
  const proofs = buildEpochProofs(inputs);

  it('a rejected input is a zero leaf and has no proofs', () => {
    expect(proofs.vouchers[1]).toEqual([]);
    const p = proofs.vouchers[0]![0]!;
    // the sibling of input 0 at the leaf level is input 1's leaf: 32 zero bytes, not hashed
    expect(p.outputHashesInEpochSiblings[0]).toBe(`0x${'00'.repeat(32)}`);
  });

  it('every proof verifies against the epoch roots at its position', () => {
    for (const [i, input] of inputs.entries()) {
      proofs.vouchers[i]!.forEach((p, k) => {
        const leaf = hashRoot(voucherHash(d, input.vouchers[k]!.payload));
        expect(rootFromSiblings(BigInt(k) << 5n, 5, leaf, p.outputHashInOutputHashesSiblings)).toBe(
          p.outputHashesRootHash,
        );
        expect(
          rootFromSiblings(BigInt(i) << 5n, 5, p.outputHashesRootHash, p.outputHashesInEpochSiblings),
        ).toBe(proofs.vouchersEpochRootHash);
        expect(p.outputHashInOutputHashesSiblings).toHaveLength(16);
        expect(p.outputHashesInEpochSiblings).toHaveLength(32);
      });
    }
    const n = proofs.notices[0]![0]!;
    expect(rootFromSiblings(0n, 5, hashRoot(noticeHash('0x')), n.outputHashInOutputHashesSiblings)).toBe(
      n.outputHashesRootHash,
    );
  });

  it('a tampered payload does not verify', () => {
    const p = proofs.vouchers[2]![1]!;
    const leaf = hashRoot(voucherHash(d, '0x09'));
    expect(rootFromSiblings(1n << 5n, 5, leaf, p.outputHashInOutputHashesSiblings)).not.toBe(
      p.outputHashesRootHash,
    );
  });

  it('claim data is 128 bytes: dapp then the static (epochHash, first, last) tuple', () => {
    const data = encodeClaim(d, proofs.epochHash, 3, 5);
    expect((data.length - 2) / 2).toBe(128);
    expect(data.slice(2 + 64 * 2, 2 + 96 * 2)).toBe(`${'00'.repeat(31)}03`);
    expect(encodeContext(1)).toBe(`0x${'00'.repeat(31)}01` as Hex);
  });
});

describe('output encoding', () => {
  it('matches the ABI coder for vouchers and notices of every padding length', async () => {
    const { AbiCoder } = await import('ethers');
    const { encodeNotice, encodeVoucher } = await import('./outputs.js');
    const abi = AbiCoder.defaultAbiCoder();
    for (const len of [0, 1, 31, 32, 33, 64, 100]) {
      const payload = `0x${'a7'.repeat(len)}`;
      expect(encodeNotice(payload)).toBe(abi.encode(['bytes'], [payload]));
      const dest = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
      expect(encodeVoucher(dest, payload)).toBe(abi.encode(['address', 'bytes'], [dest, payload]));
    }
  });
});
