// Preference pairs for the training tests and benchmark: real responses from the engine on stories260K (ids from the
// generation itself, never re-encoded), and seeded random ids for random models of any shape.
import { loadEngine } from '../src/engine.ts';
import { wasmPaths } from '../src/paths.ts';
import type { PreferencePair } from '../src/teach-pairs.ts';
import { read } from './models.ts';
import { sampledPairs } from '../src/testing.ts';

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

/** n pairs from stories260K (@tt/llm/testing's sampledPairs with the scalar build). */
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
  const pairs = sampledPairs(engine, n, steps);
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
