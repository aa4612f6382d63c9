import { AbiCoder, concat, getBytes, id, toBeHex } from 'ethers';
import { describe, expect, it } from 'vitest';
import { bytesEqual } from './bytes.ts';
import { PayloadError } from './errors.ts';
import {
  decodePromptPayload,
  decodeTeachPayload,
  decodeTrustAndTeachInput,
  encodePromptPayload,
  encodeTeachPayload,
  MAX_TEACH_CONVERSATIONS,
  PROMPT_SELECTOR,
  PROMPT_SIGNATURE,
  PROMPT_WITH_MODEL_SIGNATURE,
  TEACH_SELECTOR,
  TEACH_SIGNATURE,
  type PromptInput,
  type TeachInput,
} from './payload.ts';

// An independent encoder: ethers' general ABI coder for the same argument types.
function ethersEncode(i: PromptInput): Uint8Array {
  const args = AbiCoder.defaultAbiCoder().encode(
    ['uint256', 'bytes', 'uint32', 'uint32', 'uint32'],
    [i.conversationId, i.prompt, i.steps, i.temperatureMilli, i.topPMilli],
  );
  return getBytes(concat([id(PROMPT_SIGNATURE).slice(0, 10), args]));
}

const input = (length: number, fill = 0x61): PromptInput => ({
  conversationId: 7n,
  prompt: new Uint8Array(length).fill(fill),
  steps: 64,
  temperatureMilli: 800,
  topPMilli: 900,
});

function rejection(payload: Uint8Array): string {
  try {
    decodePromptPayload(payload);
  } catch (err) {
    expect(err).toBeInstanceOf(PayloadError);
    expect((err as PayloadError).code).toBe('bad-payload');
    return (err as PayloadError).message;
  }
  throw new Error('expected a bad-payload rejection');
}

describe('the input payload codec', () => {
  it('writes exactly what a general ABI encoder writes, for every padding case', () => {
    for (let length = 0; length <= 70; length++) {
      const i = { ...input(length), conversationId: BigInt(length) * 0x1234567n };
      expect(encodePromptPayload(i)).toEqual(ethersEncode(i));
    }
    const extremes: PromptInput = {
      conversationId: 2n ** 256n - 1n,
      prompt: Uint8Array.of(0xff, 0x00, 0xc3, 0x28, 0x41), // not UTF-8, with a NUL
      steps: 2 ** 32 - 1,
      temperatureMilli: 0,
      topPMilli: 2 ** 32 - 1,
    };
    expect(encodePromptPayload(extremes)).toEqual(ethersEncode(extremes));
    expect(PROMPT_SELECTOR).toBe(id(PROMPT_SIGNATURE).slice(0, 10));
  });

  it('gives back exactly the arguments, raw prompt bytes included', () => {
    for (const length of [0, 1, 31, 32, 33, 4096, 2 * 1024 * 1024 - 1024]) {
      const { prompt, ...fields } = input(length, 0xe2);
      const decoded = decodePromptPayload(encodePromptPayload({ prompt, ...fields }));
      expect({ ...decoded, prompt: undefined }).toEqual({ ...fields, prompt: undefined });
      expect(bytesEqual(decoded.prompt, prompt)).toBe(true); // toEqual walks 2 MiB element by element: slow
    }
  });

  it('refuses values the wire cannot carry instead of truncating them', () => {
    expect(() => encodePromptPayload({ ...input(1), steps: 2 ** 32 })).toThrow(/steps must be a uint32/);
    expect(() => encodePromptPayload({ ...input(1), conversationId: -1n })).toThrow(/uint256/);
  });

  it('rejects short payloads and other selectors, naming the function', () => {
    expect(rejection(Uint8Array.of(1, 2, 3))).toMatch(/3 byte\(s\), shorter than a 4-byte selector/);
    expect(rejection(Uint8Array.of(0xde, 0xad, 0xbe, 0xef))).toMatch(
      /prompt\(uint256,bytes,uint32,uint32,uint32\) call: selector 0xdeadbeef is not/,
    );
    expect(rejection(encodePromptPayload(input(1)).subarray(0, 100))).toMatch(/ABI decoding failed/);
  });

  it('rejects trailing bytes, naming how many', () => {
    expect(rejection(getBytes(concat([encodePromptPayload(input(1)), '0x0000'])))).toMatch(/2 trailing byte/);
  });

  it('rejects a length past the end', () => {
    const p = encodePromptPayload(input(3));
    p.set(getBytes(toBeHex(1n << 255n, 32)), 4 + 5 * 32);
    expect(rejection(p)).toMatch(/ABI decoding failed/);
  });

  it('rejects every non-canonical form: an integer wider than uint32, another offset, non-zero padding', () => {
    const wide = encodePromptPayload(input(1));
    wide[4 + 2 * 32 + 27] = 1; // a bit above the low 4 bytes of steps
    const offset = encodePromptPayload(input(1));
    offset[4 + 32 + 31] = 0xc0;
    const padding = encodePromptPayload(input(1));
    padding[padding.length - 1] = 1;
    for (const p of [wide, offset, padding]) expect(rejection(p)).toMatch(/not the canonical ABI encoding/);
  });
});

describe('promptWithModel and teach payloads', () => {
  const HASH = `0x${'ab'.repeat(32)}` as const;

  it('promptWithModel writes what a general ABI encoder writes and reads back the model hash', () => {
    for (const length of [0, 1, 31, 32, 33, 100]) {
      const i = { ...input(length), modelHash: HASH };
      const args = AbiCoder.defaultAbiCoder().encode(
        ['uint256', 'bytes', 'uint32', 'uint32', 'uint32', 'bytes32'],
        [i.conversationId, i.prompt, i.steps, i.temperatureMilli, i.topPMilli, i.modelHash],
      );
      const expected = getBytes(concat([id(PROMPT_WITH_MODEL_SIGNATURE).slice(0, 10), args]));
      expect(bytesEqual(encodePromptPayload(i), expected)).toBe(true);
      const back = decodePromptPayload(expected);
      expect(back).toEqual(i);
      expect(decodeTrustAndTeachInput(expected)).toEqual({ kind: 'prompt', ...i });
    }
    // A base prompt has no modelHash at all.
    expect('modelHash' in decodePromptPayload(encodePromptPayload(input(5)))).toBe(false);
  });

  it('teach round-trips ids and chosen indices, the empty "go on" input included', () => {
    for (const t of [
      { conversationIds: [], chosenIndices: [] },
      { conversationIds: [0n, 3n, 2n ** 64n], chosenIndices: [1, 0, 1] },
    ] as TeachInput[]) {
      const payload = encodeTeachPayload(t);
      expect(id(TEACH_SIGNATURE).slice(0, 10)).toBe(TEACH_SELECTOR);
      expect(decodeTeachPayload(payload)).toEqual(t);
      expect(decodeTrustAndTeachInput(payload)).toEqual({ kind: 'teach', ...t });
    }
  });

  it('teach refuses unsorted or repeated ids, indices other than 0/1, unequal lengths and trailing bytes', () => {
    const raw = (ids: bigint[], chosen: bigint[], extra = '') =>
      getBytes(
        concat([
          TEACH_SELECTOR,
          AbiCoder.defaultAbiCoder().encode(['uint256[]', 'uint256[]'], [ids, chosen]),
          extra || '0x',
        ]),
      );
    const message = (p: Uint8Array) => {
      try {
        decodeTeachPayload(p);
      } catch (err) {
        expect(err).toBeInstanceOf(PayloadError);
        return (err as Error).message;
      }
      throw new Error('expected a bad-payload rejection');
    };
    expect(message(raw([2n, 1n], [0n, 0n]))).toMatch(/strictly increasing at position 1/);
    expect(message(raw([1n, 1n], [0n, 0n]))).toMatch(/strictly increasing/);
    expect(message(raw([1n], [2n]))).toMatch(/not 0 or 1/);
    expect(message(raw([1n, 2n], [0n]))).toMatch(/2 conversation ids but 1 chosen/);
    expect(message(raw([1n], [1n], '0x00'))).toMatch(/canonical|decoding/);
    const tooMany = Array.from({ length: MAX_TEACH_CONVERSATIONS + 1 }, (_, k) => BigInt(k));
    expect(
      message(
        raw(
          tooMany,
          tooMany.map(() => 0n),
        ),
      ),
    ).toMatch(/more than/);
    expect(message(getBytes('0x12345678'))).toMatch(/selector 0x12345678/);
  });
});
