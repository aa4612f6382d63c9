import { describe, expect, it } from 'vitest';
import { clampSteps, composerProblem, defaultSteps } from './composer.ts';

const ok = {
  prompt: 'Once upon a time',
  steps: 64,
  temperatureMilli: 800,
  topPMilli: 900,
  promptTokens: 5,
  seqLen: 256,
};

describe('composer rules', () => {
  it('accepts a valid form', () => {
    expect(composerProblem(ok)).toBeNull();
  });
  it('says what to fix', () => {
    expect(composerProblem({ ...ok, prompt: '  ' })).toMatch(/Write a prompt/);
    expect(composerProblem({ ...ok, prompt: 'é'.repeat(2049) })).toMatch(/4098 bytes/);
    expect(composerProblem({ ...ok, steps: 300 })).toMatch(/context of 256/);
    // one step leaves no room even for BOS and one token: the contract refuses it too
    expect(composerProblem({ ...ok, steps: 1, promptTokens: null })).toMatch(/between 2 and/);
    expect(composerProblem({ ...ok, steps: 5 })).toMatch(/exceed the prompt's 5 tokens/);
    expect(composerProblem({ ...ok, promptTokens: 256 })).toMatch(/fills the model's context/);
    expect(composerProblem({ ...ok, temperatureMilli: 2001 })).toMatch(/Temperature/);
    expect(composerProblem({ ...ok, topPMilli: 0 })).toMatch(/Top-p/);
  });
  it('keeps steps within bounds', () => {
    expect(defaultSteps(512)).toBe(128);
    expect(defaultSteps(64)).toBe(64);
    expect(clampSteps(3, 10, 256)).toBe(11);
    expect(clampSteps(999, 10, 256)).toBe(256);
    expect(clampSteps(40, null, 256)).toBe(40);
  });
});
