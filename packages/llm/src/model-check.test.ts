import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCheckpointHeader } from './checkpoint.ts';
import { checkModelPair, countTokenizerPieces } from './model-check.ts';
import { makeSyntheticTokenizer, sharedModels } from './testing.ts';

const shared = sharedModels();

describe('tokenizer pieces and the checkpoint vocabulary', () => {
  it('counts every piece of a tokenizer file, and not a torn last one', () => {
    const tok = makeSyntheticTokenizer(600);
    expect(countTokenizerPieces(tok)).toBe(600);
    expect(countTokenizerPieces(tok.subarray(0, tok.length - 1))).toBe(599);
    expect(countTokenizerPieces(new Uint8Array(2))).toBeNull();
    expect(countTokenizerPieces(new Uint8Array(8))).toBeNull(); // max_token_length 0
  });

  it('a matching pair has no warning; more pieces than ids warn that the text is unreadable', () => {
    expect(checkModelPair({ vocabSize: 600 }, 600)).toMatchObject({ matches: true, warning: null });
    const more = checkModelPair({ vocabSize: 512 }, 32000);
    expect(more.matches).toBe(false);
    expect(more.warning).toMatch(/32,000 pieces.*512 tokens.*unreadable/);
    expect(checkModelPair({ vocabSize: 32000 }, 512).warning).toMatch(/cannot be loaded/);
    expect(checkModelPair({ vocabSize: 512 }, null).warning).toMatch(/not a llama2.c tokenizer/);
  });

  it.skipIf(!shared.available)('the shared stories260K with the Llama 2 tokenizer is a mismatch', () => {
    const header = readCheckpointHeader(new Uint8Array(readFileSync(shared.checkpoint).subarray(0, 28)))!;
    const pieces = countTokenizerPieces(new Uint8Array(readFileSync(shared.tokenizer)));
    expect(pieces).toBe(32000);
    expect(checkModelPair(header, pieces).matches).toBe(false);
  });
});
