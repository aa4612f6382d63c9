// The limits a prompt must meet before the engine sees it (@tt/protocol, docs/interfaces.md). TrustAndTeach checks
// the same limits; the backend checks them again so that a contract bug can never hand the engine something it cannot
// take.
import {
  MAX_PROMPT_BYTES,
  MAX_TEMPERATURE_MILLI,
  MAX_TOP_P_MILLI,
  MIN_STEPS,
  MIN_TOP_P_MILLI,
  promptContextProblem,
  type PromptInput,
} from '@tt/protocol';
import { RejectError } from './errors.ts';

export interface ValidationContext {
  /** the model's context length: steps may not exceed it */
  seqLen: number;
  /** number of tokens the engine will put before generation starts, BOS included */
  countPromptTokens(prompt: Uint8Array): number;
}

/** @returns the prompt's token count (BOS included), which the caller logs and the notices carry */
export function validatePromptInput(input: PromptInput, ctx: ValidationContext): number {
  const { prompt, steps, temperatureMilli, topPMilli } = input;
  if (prompt.length === 0)
    throw new RejectError('empty-prompt', 'the prompt is empty; write at least one character');
  if (prompt.length > MAX_PROMPT_BYTES) {
    throw new RejectError(
      'prompt-too-long',
      `the prompt is ${prompt.length} bytes; the limit is ${MAX_PROMPT_BYTES} bytes: shorten it`,
    );
  }
  if (steps < MIN_STEPS || steps > ctx.seqLen) {
    throw new RejectError(
      'bad-steps',
      `the length (steps) is ${steps}; it must be ${MIN_STEPS}..${ctx.seqLen} (the model's context length), counting BOS and the prompt's tokens`,
    );
  }
  if (temperatureMilli > MAX_TEMPERATURE_MILLI) {
    throw new RejectError(
      'bad-temperature',
      `temperatureMilli is ${temperatureMilli}; it must be 0..${MAX_TEMPERATURE_MILLI} (thousandths: 800 means 0.8, 0 means greedy)`,
    );
  }
  if (topPMilli < MIN_TOP_P_MILLI || topPMilli > MAX_TOP_P_MILLI) {
    throw new RejectError(
      'bad-top-p',
      `topPMilli is ${topPMilli}; it must be ${MIN_TOP_P_MILLI}..${MAX_TOP_P_MILLI} (thousandths: 900 means 0.9)`,
    );
  }
  // Tokenizing is the costliest check, so it comes last, after the byte limit has bounded its work.
  const promptTokens = ctx.countPromptTokens(prompt);
  const problem = promptContextProblem(promptTokens, steps, ctx.seqLen);
  if (problem) throw new RejectError(problem.code, problem.message);
  return promptTokens;
}
