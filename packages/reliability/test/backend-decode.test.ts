// Regression test for a defect the 2 MiB bad-input case found: the backend decoded a huge payload with ethers (decode,
// then re-encode to check it is canonical) before looking at the prompt's size, which took ~9 s per 2 MiB input on
// these machines (and would take far longer in the emulated Cartesi machine), so a few large inputs could stall the
// rollup. A large payload must be refused quickly, and the backend's decoding must still agree exactly with an
// independent canonical ABI decoder (src/oracle.ts) on canonical and mutated payloads of every size class.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getBytes, hexlify, toBeHex } from 'ethers';
import { contractInterfaces } from '../../../dapp/src/abi.ts';
import { decodePromptPayload } from '../../../dapp/src/input/decode.ts';
import { RejectError } from '../../../dapp/src/input/errors.ts';
import { strictDecode } from '../src/oracle.ts';
import { promptPayload } from '../src/devnet.ts';
import { sized } from '../src/models.ts';

const iface = contractInterfaces().input;

function backendDecode(payload: string | Uint8Array): { ok: true; v: unknown } | { ok: false; code: string } {
  try {
    const d = decodePromptPayload(iface, typeof payload === 'string' ? getBytes(payload) : payload);
    return {
      ok: true,
      v: [
        d.conversationId,
        hexlify(d.prompt),
        BigInt(d.steps),
        BigInt(d.temperatureMilli),
        BigInt(d.topPMilli),
      ],
    };
  } catch (e) {
    if (!(e instanceof RejectError)) throw e;
    return { ok: false, code: e.code };
  }
}

describe('backend payload decoding', () => {
  it('refuses or decodes a 2 MiB payload in well under a second', () => {
    for (const payload of [
      promptPayload({ prompt: new Uint8Array(2 * 1024 * 1024 - 1024).fill(0x41) }),
      promptPayload({ prompt: new Uint8Array(2 * 1024 * 1024 - 1024).fill(0xff), steps: 2 ** 32 - 1 }),
    ]) {
      const bytes = Buffer.from(payload.slice(2), 'hex'); // as the backend gets it (hexToBytes)
      const t = performance.now();
      const r = backendDecode(new Uint8Array(bytes));
      const ms = performance.now() - t;
      expect(r.ok).toBe(true); // canonical: the size rule (prompt-too-long) comes next, in validation
      expect(ms, `decoding took ${ms.toFixed(0)} ms`).toBeLessThan(1500);
    }
  });

  it('agrees with an independent canonical decoder on small and large, canonical and mutated payloads', () => {
    const sizes = fc.oneof(
      fc.integer({ min: 0, max: 64 }),
      fc.integer({ min: 4000, max: 4400 }),
      fc.integer({ min: 8_000, max: 12_000 }),
    );
    fc.assert(
      fc.property(
        fc.record({
          id: fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
          len: sizes,
          steps: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          t: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          p: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          mutation: fc.oneof(
            fc.constant({ kind: 'none' as const }),
            fc.record({
              kind: fc.constant('word' as const),
              word: fc.nat(6),
              value: fc.oneof(
                fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
                fc.constantFrom(0n, 0x20n, 0xa0n, 0xc0n, 1n << 32n, 1n << 255n),
              ),
            }),
            fc.record({
              kind: fc.constant('byte' as const),
              at: fc.nat(),
              value: fc.integer({ min: 0, max: 255 }),
            }),
            fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
            fc.record({
              kind: fc.constant('extend' as const),
              extra: fc.uint8Array({ minLength: 1, maxLength: 40 }),
            }),
          ),
        }),
        ({ id, len, steps, t, p, mutation }) => {
          let b = getBytes(
            promptPayload({
              id,
              prompt: new Uint8Array(len).fill(0x61),
              steps,
              temperatureMilli: t,
              topPMilli: p,
            }),
          );
          if (mutation.kind === 'word' && 4 + 32 * mutation.word + 32 <= b.length)
            b.set(getBytes(toBeHex(mutation.value, 32)), 4 + 32 * mutation.word);
          if (mutation.kind === 'byte') b[mutation.at % b.length] = mutation.value;
          if (mutation.kind === 'cut') b = b.subarray(0, mutation.at % b.length);
          if (mutation.kind === 'extend') b = Uint8Array.from([...b, ...mutation.extra]);
          const payload = hexlify(b);
          const want = strictDecode(payload);
          const got = backendDecode(payload);
          if (want === null) expect(got).toEqual({ ok: false, code: 'bad-payload' });
          else
            expect(got).toEqual({
              ok: true,
              v: [want.id, hexlify(want.prompt), want.steps, want.temperatureMilli, want.topPMilli],
            });
        },
      ),
      { numRuns: sized('TT_FUZZ_RUNS', 150, 3000), seed: Number(process.env.TT_FUZZ_SEED ?? 77) },
    );
  });
});
