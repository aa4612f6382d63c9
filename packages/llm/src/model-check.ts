// Does this tokenizer belong to this checkpoint? llama2.c reads exactly vocab_size pieces from tokenizer.bin and never
// says whether the file had more: stories260K (512 ids) with the Llama 2 tokenizer (32,000 pieces) runs, but every id
// maps to the wrong piece and the text is unreadable. Counting the file's pieces finds that in microseconds, in plain
// TypeScript (no engine build needed), so the devnet, the CLI, the backend and the UI can all say so at load.
import type { ModelConfig } from './checkpoint.ts';

/**
 * The complete pieces in a llama2.c tokenizer file (`int32 max_token_length`, then per piece `float32 score,
 * int32 len, len bytes`), or null when the header is missing or a length is negative.
 */
export function countTokenizerPieces(bytes: Uint8Array): number | null {
  if (bytes.length < 4) return null;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (v.getInt32(0, true) <= 0) return null;
  let at = 4;
  let pieces = 0;
  while (at + 8 <= bytes.length) {
    const len = v.getInt32(at + 4, true);
    if (len < 0) return null;
    if (at + 8 + len > bytes.length) break; // a torn last piece is not a piece
    at += 8 + len;
    pieces++;
  }
  return pieces;
}

export interface ModelPairCheck {
  /** The checkpoint's vocabulary (ids the model can produce). */
  vocabSize: number;
  /** Complete pieces in the tokenizer file (null: not a tokenizer file). */
  tokenizerPieces: number | null;
  /** True when every id has exactly its own piece: the text the model writes is readable. */
  matches: boolean;
  /** A sentence for people when it does not match, with what to do; null when it matches. */
  warning: string | null;
}

/** Compares a checkpoint's vocabulary with its tokenizer's pieces; the warning says what follows and what to do. */
export function checkModelPair(
  config: Pick<ModelConfig, 'vocabSize'>,
  tokenizerPieces: number | null,
): ModelPairCheck {
  const { vocabSize } = config;
  const matches = tokenizerPieces === vocabSize;
  let warning: string | null = null;
  if (tokenizerPieces === null) {
    warning =
      'the tokenizer file is not a llama2.c tokenizer.bin: pass the tokenizer the checkpoint was trained with';
  } else if (!matches) {
    warning =
      `the tokenizer has ${tokenizerPieces.toLocaleString('en-US')} pieces but the checkpoint's vocabulary is ` +
      `${vocabSize.toLocaleString('en-US')} tokens, so ` +
      (tokenizerPieces > vocabSize
        ? 'every token is shown as the wrong piece and the responses are unreadable (they are still deterministic and verifiable: fine for a smoke test, not for a dataset)'
        : 'the model cannot be loaded') +
      '. Use the tokenizer the checkpoint was trained with (stories15M: the default `pnpm dev`; or --checkpoint/--tokenizer with a matching pair)';
  }
  return { vocabSize, tokenizerPieces, matches, warning };
}
