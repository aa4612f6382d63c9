import { concat, getBytes, toBeHex } from 'ethers';
import { describe, expect, it } from 'vitest';
import { contractInterfaces } from '../abi.ts';
import { decodePromptPayload } from './decode.ts';
import { RejectError } from './errors.ts';

const iface = contractInterfaces().input;
const encode = (prompt: Uint8Array, id = 7n) =>
  getBytes(iface.encodeFunctionData('prompt', [id, prompt, 64, 800, 900]));

function rejection(payload: Uint8Array): string {
  try {
    decodePromptPayload(iface, payload);
  } catch (err) {
    expect(err).toBeInstanceOf(RejectError);
    expect((err as RejectError).code).toBe('bad-payload');
    return (err as RejectError).message;
  }
  throw new Error('expected a bad-payload rejection');
}

describe('decodePromptPayload', () => {
  it('gives back exactly the arguments TrustAndTeach encoded, raw prompt bytes included', () => {
    const prompt = Uint8Array.of(0xff, 0x00, 0xc3, 0x28, 0x41); // not UTF-8, with a NUL
    expect(decodePromptPayload(iface, encode(prompt, 2n ** 256n - 1n))).toEqual({
      conversationId: 2n ** 256n - 1n,
      prompt,
      steps: 64,
      temperatureMilli: 800,
      topPMilli: 900,
    });
  });

  it('rejects trailing bytes, naming how many', () => {
    expect(rejection(getBytes(concat([encode(Uint8Array.of(1)), '0x0000'])))).toMatch(/2 trailing byte/);
  });

  it('rejects a length ethers only complains about when the value is read (a deferred decoding error)', () => {
    const p = encode(Uint8Array.of(1, 2, 3));
    p.set(getBytes(toBeHex(1n << 255n, 32)), 4 + 5 * 32);
    expect(rejection(p)).toMatch(/ABI decoding failed/);
  });

  it('rejects an integer wider than uint32 that ethers would silently mask', () => {
    const p = encode(Uint8Array.of(1));
    p[4 + 2 * 32 + 27] = 1; // a bit above the low 4 bytes of steps
    expect(rejection(p)).toMatch(/not the canonical ABI encoding/);
  });
});
