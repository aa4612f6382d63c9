// The prompt form's rules, kept out of the component so they are tested on their own. The limits are @tt/protocol's,
// which the contract and the backend enforce (docs/interfaces.md): prompt 1..MAX_PROMPT_BYTES bytes, steps MIN_STEPS..seqLen
// counting BOS and the prompt, temperature and top-p in thousandths.
import {
  MAX_PROMPT_BYTES,
  MAX_TEMPERATURE_MILLI,
  MAX_TOP_P_MILLI,
  MIN_STEPS,
  MIN_TOP_P_MILLI,
} from '@tt/protocol';

export interface ComposerInput {
  prompt: string;
  steps: number;
  temperatureMilli: number;
  topPMilli: number;
  /** BOS + prompt tokens, when the tokenizer has counted them. */
  promptTokens: number | null;
  seqLen: number;
}

/** The first thing wrong with the form, worded as what to do; null when it can be sent. */
export function composerProblem(f: ComposerInput): string | null {
  const bytes = new TextEncoder().encode(f.prompt).length;
  if (f.prompt.trim() === '') return 'Write a prompt first.';
  if (bytes > MAX_PROMPT_BYTES)
    return `The prompt is ${bytes} bytes; the limit is ${MAX_PROMPT_BYTES}. Shorten it.`;
  if (!Number.isInteger(f.steps) || f.steps < MIN_STEPS || f.steps > f.seqLen)
    return `Total tokens must be between ${MIN_STEPS} and the model's context of ${f.seqLen}.`;
  if (f.promptTokens !== null && f.promptTokens >= f.seqLen)
    return `The prompt alone is ${f.promptTokens} tokens, which fills the model's context of ${f.seqLen}. Shorten it.`;
  if (f.promptTokens !== null && f.steps <= f.promptTokens)
    return `Total tokens must exceed the prompt's ${f.promptTokens} tokens so the model can write something.`;
  if (
    !Number.isInteger(f.temperatureMilli) ||
    f.temperatureMilli < 0 ||
    f.temperatureMilli > MAX_TEMPERATURE_MILLI
  )
    return `Temperature must be between 0 and ${MAX_TEMPERATURE_MILLI / 1000}.`;
  if (!Number.isInteger(f.topPMilli) || f.topPMilli < MIN_TOP_P_MILLI || f.topPMilli > MAX_TOP_P_MILLI)
    return `Top-p must be between ${MIN_TOP_P_MILLI / 1000} and ${MAX_TOP_P_MILLI / 1000}.`;
  return null;
}

/** A sensible default for total tokens: the whole context for small models, capped so a first run is quick. */
export function defaultSteps(seqLen: number): number {
  return Math.min(seqLen, 128);
}

/** Keeps `steps` valid as the prompt grows: never below prompt + 1, never above the context. */
export function clampSteps(steps: number, promptTokens: number | null, seqLen: number): number {
  const min = Math.min(seqLen, (promptTokens ?? 1) + 1);
  return Math.max(min, Math.min(seqLen, Math.round(steps)));
}
