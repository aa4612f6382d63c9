import { describe, expect, it } from 'vitest';
import { MIN_STEPS, promptContextProblem } from './limits.ts';

describe('promptContextProblem: the one message for a prompt that does not fit', () => {
  it('lets a prompt of exactly `steps` tokens through (one generated token), refuses one more', () => {
    expect(promptContextProblem(10, 10, 256)).toBeNull();
    expect(promptContextProblem(11, 10, 256)).toEqual({
      code: 'prompt-exceeds-context',
      message:
        'the prompt is 11 tokens (BOS included) but the length (steps) is 10, which leaves no position to generate from; raise the length (steps) to at least 11 (at most 256) or shorten the prompt',
    });
  });

  it('says to shorten the prompt when it is longer than the whole context', () => {
    expect(promptContextProblem(300, 256, 256)?.message).toMatch(
      /whole context is 256 tokens: shorten the prompt$/,
    );
  });

  it('makes one step useless for any prompt: BOS and one token are two', () => {
    expect(MIN_STEPS).toBe(2);
    expect(promptContextProblem(2, MIN_STEPS - 1, 256)).not.toBeNull();
  });
});
