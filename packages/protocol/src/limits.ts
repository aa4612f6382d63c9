// The limits and defaults of a prompt (docs/interfaces.md, "Sampling parameters on the wire" and "Input payload").
// TrustAndTeach.sol enforces the same numbers on chain (a contracts test checks they agree), the backend checks them
// again, and the CLI and the UI check them before anything is sent, so a user hears about a bad value first.

/**
 * Longest prompt, in bytes (not characters). The model's context is the tighter limit in practice: a prompt must have
 * at most `steps` tokens, BOS included (promptContextProblem), and steps at most the model's context length.
 */
export const MAX_PROMPT_BYTES = 4096;

/**
 * Fewest steps: BOS and at least one prompt token already take two positions (steps counts positions from BOS on),
 * so with one step every prompt would be rejected.
 */
export const MIN_STEPS = 2;

/** Temperature in thousandths: 0 (greedy) ..= 2000. */
export const MAX_TEMPERATURE_MILLI = 2000;

/** Top-p in thousandths: 1 ..= 1000. */
export const MIN_TOP_P_MILLI = 1;
export const MAX_TOP_P_MILLI = 1000;

/** What `sendPrompt(prompt, steps)` uses, and what the CLI and the UI start from. */
export const DEFAULT_TEMPERATURE_MILLI = 800;
export const DEFAULT_TOP_P_MILLI = 900;

/** Every prompt is answered twice: response indices 0 and 1, one notice and one voucher each. */
export const RESPONSES_PER_PROMPT = 2;

/**
 * Why a prompt of `promptTokens` tokens (BOS included) cannot be answered with `steps` on a model whose context is
 * `seqLen`, or null when it can. steps counts positions from BOS on and the last prompt position already yields the
 * first generated token (llama2.c's loop), so steps == promptTokens still gives a one-token response. The backend
 * rejects with exactly this (code and message), and `tt prompt` and the UI say it before anything is sent.
 */
export function promptContextProblem(
  promptTokens: number,
  steps: number,
  seqLen: number,
): { code: 'prompt-exceeds-context'; message: string } | null {
  if (promptTokens <= steps) return null;
  const fix =
    promptTokens > seqLen
      ? `the model's whole context is ${seqLen} tokens: shorten the prompt`
      : `raise the length (steps) to at least ${promptTokens} (at most ${seqLen}) or shorten the prompt`;
  return {
    code: 'prompt-exceeds-context',
    message: `the prompt is ${promptTokens} tokens (BOS included) but the length (steps) is ${steps}, which leaves no position to generate from; ${fix}`,
  };
}
