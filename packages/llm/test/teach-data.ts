// Preference pairs for the training tests and benchmark: real responses from the engine on stories260K (ids from the
// generation itself, never re-encoded), and seeded random ids for random models of any shape.
import { loadEngine } from '../src/engine.ts';
import { wasmPaths } from '../src/paths.ts';
import type { PreferencePair } from '../src/teach-pairs.ts';
import { read } from './models.ts';

/** xorshift32: a fixed stream of uniform numbers in [0, 1) for a seed (tests print their seeds). */
export function uniform(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

/** A response that ended because the model sampled BOS keeps that BOS as its last token: "the story ends here". */
function withEnd(tokens: number[], steps: number): number[] {
  return tokens.length < steps + 1 ? [...tokens, 1] : tokens;
}

/**
 * n pairs from stories260K: two sampled stories per pair (seeds 2c+1, 2c+2); the prompt is the first tokens of the
 * first story (BOS and up to two more), chosen its continuation, rejected the second story after its BOS.
 */
export async function stories260KPairs(
  checkpointPath: string,
  tokenizerPath: string,
  n: number,
  steps = 48,
): Promise<PreferencePair[]> {
  const engine = await loadEngine({
    checkpoint: read(checkpointPath),
    tokenizer: read(tokenizerPath),
    backend: 'scalar',
    wasm: read(wasmPaths().scalar),
  });
  const pairs: PreferencePair[] = [];
  for (let c = 0; c < n; c++) {
    const gen = { prompt: '', steps, temperature: 1, topp: 0.9 };
    const a = withEnd(engine.generate({ ...gen, seed: 2 * c + 1 }).tokens, steps);
    const b = withEnd(engine.generate({ ...gen, seed: 2 * c + 2 }).tokens, steps);
    const k = Math.min(3, a.length - 1);
    pairs.push({ promptTokens: a.slice(0, k), chosenTokens: a.slice(k), rejectedTokens: b.slice(1) });
  }
  engine.dispose();
  return pairs;
}

/** n pairs of seeded random ids: BOS + prompt, then responses of the given lengths. */
export function randomPairs(
  n: number,
  vocab: number,
  lengths: { prompt: number; chosen: number; rejected: number },
  seed: number,
): PreferencePair[] {
  let s = seed >>> 0 || 1;
  const id = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % vocab;
  };
  const ids = (k: number) => Array.from({ length: k }, id);
  return Array.from({ length: n }, () => ({
    promptTokens: [1, ...ids(lengths.prompt - 1)],
    chosenTokens: ids(lengths.chosen),
    rejectedTokens: ids(lengths.rejected),
  }));
}
