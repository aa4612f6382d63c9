// Preference pairs as the trainer takes them: token ids (never text: tokenisation is not unique, so the ids come from
// a deterministic re-run of each response), checked against the model with messages that name the pair and the
// token, and packed into the int32 block c/train.c reads.
import type { ModelConfig } from './checkpoint.ts';
import { llmError } from './errors.ts';

export interface PreferencePair {
  /** The prompt's ids, BOS first, as generation produced them (GenerateResult.tokens up to promptTokens). */
  promptTokens: readonly number[];
  /** The preferred response's ids (the generated ids after the prompt). */
  chosenTokens: readonly number[];
  /** The other response's ids. */
  rejectedTokens: readonly number[];
}

const FIELDS = ['promptTokens', 'chosenTokens', 'rejectedTokens'] as const;

function sameTokens(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

/**
 * Throws LlmError teach-no-pairs / teach-bad-pair unless every pair fits the model: integer ids inside the
 * vocabulary, a prompt and both responses non-empty, prompt + response - 1 <= seqLen (the positions a teacher-forced
 * pass runs; the last token is only predicted), and two different responses.
 */
export function checkPairs(pairs: readonly PreferencePair[], config: ModelConfig): void {
  if (!Array.isArray(pairs) || pairs.length === 0) throw llmError('teach-no-pairs');
  const { vocabSize, seqLen } = config;
  pairs.forEach((pair, i) => {
    const bad = (what: string) =>
      llmError('teach-bad-pair', `pair ${i}: ${what}: fix or leave out that pair`);
    if (typeof pair !== 'object' || pair === null)
      throw bad('not an object {promptTokens, chosenTokens, rejectedTokens}');
    for (const f of FIELDS) {
      const ids = pair[f];
      if (!Array.isArray(ids)) throw bad(`${f} must be an array of token ids`);
      if (ids.length === 0) throw bad(`${f} is empty`);
      ids.forEach((t, k) => {
        if (!Number.isInteger(t) || t < 0 || t >= vocabSize)
          throw bad(`${f}[${k}] = ${String(t)} is outside the model's vocabulary 0..${vocabSize - 1}`);
      });
    }
    for (const f of ['chosenTokens', 'rejectedTokens'] as const) {
      const positions = pair.promptTokens.length + pair[f].length - 1;
      if (positions > seqLen)
        throw bad(
          `the prompt (${pair.promptTokens.length} tokens) and ${f} (${pair[f].length}) need ${positions} positions, more than the model's context ${seqLen}`,
        );
    }
    if (sameTokens(pair.chosenTokens, pair.rejectedTokens))
      throw bad('chosenTokens and rejectedTokens are the same response, so the pair prefers nothing');
  });
}

/** The pair block: n, then per pair P, C, R and the P + C + R ids (int32, the platform's order = little-endian). */
export function encodePairs(pairs: readonly PreferencePair[]): Int32Array {
  let n = 1;
  for (const p of pairs) n += 3 + p.promptTokens.length + p.chosenTokens.length + p.rejectedTokens.length;
  const out = new Int32Array(n);
  out[0] = pairs.length;
  let o = 1;
  for (const p of pairs) {
    out[o++] = p.promptTokens.length;
    out[o++] = p.chosenTokens.length;
    out[o++] = p.rejectedTokens.length;
    for (const f of FIELDS) {
      out.set(p[f], o);
      o += p[f].length;
    }
  }
  return out;
}
