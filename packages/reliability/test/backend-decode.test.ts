// Regression test for a defect the 2 MiB bad-input case found: the backend decoded a huge payload with ethers' general
// ABI coder (decode, then re-encode to check it is canonical, all through hex strings) before looking at the prompt's
// size, which took ~9 s per 2 MiB input on these machines (and would take far longer in the emulated Cartesi machine),
// so a few large inputs could stall the rollup. The backend now decodes with @tt/protocol's codec, which checks the
// fixed layout by hand. The test counts the work that was the defect (calls into the general ABI coder: none); how
// fast decoding is belongs to the benchmark (`pnpm bench:decode`). And the codec must still agree exactly with an
// independent canonical ABI decoder (src/oracle.ts) on canonical and mutated payloads of every size class.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AbiCoder, getBytes, hexlify, toBeHex } from 'ethers';
import { decodePromptPayload, encodePromptPayload, PayloadError } from '@tt/protocol';
import { strictDecode } from '../src/oracle.ts';
import { promptPayload } from '../src/devnet.ts';
import { fuzzSeed, sized } from '../src/models.ts';

function backendDecode(payload: string | Uint8Array): { ok: true; v: unknown } | { ok: false; code: string } {
  try {
    const d = decodePromptPayload(typeof payload === 'string' ? getBytes(payload) : payload);
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
    if (!(e instanceof PayloadError)) throw e;
    return { ok: false, code: e.code };
  }
}

describe('backend payload decoding', () => {
  afterEach(() => vi.restoreAllMocks());

  it('decodes a 2 MiB payload without one call into the general ABI coder', () => {
    const big = (fill: number, steps: number) =>
      encodePromptPayload({
        conversationId: 1n,
        prompt: new Uint8Array(2 * 1024 * 1024 - 1024).fill(fill),
        steps,
        temperatureMilli: 800,
        topPMilli: 900,
      });
    const payloads = [big(0x41, 24), big(0xff, 2 ** 32 - 1)];
    const decode = vi.spyOn(AbiCoder.prototype, 'decode');
    const encode = vi.spyOn(AbiCoder.prototype, 'encode');
    for (const bytes of payloads) {
      const r = backendDecode(bytes);
      expect(r.ok).toBe(true); // canonical: the size rule (prompt-too-long) comes next, in validation
    }
    expect(decode.mock.calls.length + encode.mock.calls.length).toBe(0);
    // the spies do see the general coder: the oracle's decode and re-encode go through it
    strictDecode(hexlify(payloads[0]!.subarray(0, 4 + 7 * 32)));
    expect(decode.mock.calls.length).toBeGreaterThan(0);
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
      { numRuns: sized('TT_FUZZ_RUNS', 150, 3000), seed: fuzzSeed(77) },
    );
  });
});
