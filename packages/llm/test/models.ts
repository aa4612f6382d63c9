// Test inputs of this package's tests: the real model files beside the project (or $TT_MODELS_DIR), and the seeded
// synthetic checkpoints and tokenizers of @tt/llm/testing (re-exported here, where the tests and the benchmark
// import them from).
import { existsSync, readFileSync } from 'node:fs';
import { sharedModels } from '../src/testing.ts';

export {
  STORIES15M_SHAPE,
  TINY_SHAPE,
  anyTokenizerPath,
  makeRandomCheckpoint,
  makeSyntheticTokenizer,
  randomCheckpointPath,
  writeCheckpointHeader,
  type Shape,
} from '../src/testing.ts';

const shared = sharedModels();
export const modelsDir = shared.dir;
export const stories260KPath = shared.checkpoint;
export const tokenizerPath = shared.tokenizer;
export const haveStories260K = shared.available;
export const haveTokenizer = existsSync(tokenizerPath);
/** Shown as the skip reason, so a run without the files says so instead of passing silently. */
export const MISSING_MODELS = `model files not found in ${modelsDir} (set TT_MODELS_DIR to the folder with stories260K.bin and tokenizer.bin)`;

export const read = (p: string) => new Uint8Array(readFileSync(p));
