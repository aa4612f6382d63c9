import { describe, expect, it } from 'vitest';
import { RejectError } from './errors.ts';
import { validatePromptInput } from './validate.ts';

// One token per byte plus BOS: enough to exercise the context rule without a tokenizer (the end-to-end tests use the real one).
const ctx = { seqLen: 256, countPromptTokens: (p: Uint8Array) => p.length + 1 };
const ok = {
  conversationId: 1n,
  prompt: new TextEncoder().encode('Once'),
  steps: 64,
  temperatureMilli: 800,
  topPMilli: 900,
};

function codeOf(input: Partial<typeof ok>): string | undefined {
  try {
    validatePromptInput({ ...ok, ...input }, ctx);
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(RejectError);
    return (err as RejectError).code;
  }
}

describe('validatePromptInput', () => {
  it('accepts the edges of every range and returns the prompt token count', () => {
    expect(validatePromptInput(ok, ctx)).toBe(5);
    expect(codeOf({ prompt: new Uint8Array(4096).fill(0x61), steps: 256 })).toBe('prompt-exceeds-context');
    expect(codeOf({ temperatureMilli: 0 })).toBeUndefined();
    expect(codeOf({ temperatureMilli: 2000 })).toBeUndefined();
    expect(codeOf({ topPMilli: 1 })).toBeUndefined();
    expect(codeOf({ topPMilli: 1000 })).toBeUndefined();
    expect(codeOf({ steps: 256 })).toBeUndefined();
    expect(codeOf({ steps: 5 })).toBeUndefined(); // 5 prompt tokens: the last prompt position generates one token
  });

  it('rejects each bad field with its own code', () => {
    expect(codeOf({ prompt: new Uint8Array() })).toBe('empty-prompt');
    expect(codeOf({ prompt: new Uint8Array(4097).fill(0x61) })).toBe('prompt-too-long');
    expect(codeOf({ steps: 0 })).toBe('bad-steps');
    expect(codeOf({ steps: 1 })).toBe('bad-steps'); // MIN_STEPS: BOS and one prompt token take two positions
    expect(codeOf({ steps: 257 })).toBe('bad-steps');
    expect(codeOf({ temperatureMilli: 2001 })).toBe('bad-temperature');
    expect(codeOf({ temperatureMilli: 2 ** 32 - 1 })).toBe('bad-temperature');
    expect(codeOf({ topPMilli: 0 })).toBe('bad-top-p');
    expect(codeOf({ topPMilli: 1001 })).toBe('bad-top-p');
    expect(codeOf({ steps: 4 })).toBe('prompt-exceeds-context');
    expect(codeOf({ prompt: new Uint8Array(300).fill(0x61) })).toBe('prompt-exceeds-context');
  });

  it('says what to do in the message', () => {
    try {
      validatePromptInput({ ...ok, steps: 3 }, ctx);
    } catch (err) {
      expect((err as Error).message).toMatch(
        /5 tokens.*length \(steps\) is 3.*raise the length \(steps\) to at least 5/,
      );
    }
    expect.assertions(1);
  });
});
