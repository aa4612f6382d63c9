// Where every package's tests and benchmarks find the small real model (stories260K + the Llama 2 tokenizer): the
// shared folder beside the repository (../shared/models, see its README), or $TT_MODELS_DIR. One rule for all, so a
// developer who keeps the models elsewhere sets one variable, and a missing model is reported the same way everywhere.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.ts';

export interface SharedModels {
  dir: string;
  checkpoint: string;
  tokenizer: string;
  /** Both files exist. */
  available: boolean;
  /** Why the files cannot be used (for a visible skip), or null when they can. */
  missingReason: string | null;
}

export function sharedModels(env: Record<string, string | undefined> = process.env): SharedModels {
  const dir = env.TT_MODELS_DIR || join(repoRoot(), '..', 'shared', 'models');
  const checkpoint = join(dir, 'stories260K.bin');
  const tokenizer = join(dir, 'tokenizer.bin');
  const missing = [checkpoint, tokenizer].filter((p) => !existsSync(p));
  return {
    dir,
    checkpoint,
    tokenizer,
    available: missing.length === 0,
    missingReason: missing.length
      ? `model files not found: ${missing.join(', ')} (set TT_MODELS_DIR to the folder with stories260K.bin and tokenizer.bin)`
      : null,
  };
}
