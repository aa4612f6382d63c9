// Encoding and decoding with the llama2.c rules, on the real tokenizer.bin.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEngine, type Engine } from '../src/index.ts';
import { wasmPaths } from '../src/paths.ts';
import {
  MISSING_MODELS,
  TINY_SHAPE,
  haveTokenizer,
  makeRandomCheckpoint,
  read,
  tokenizerPath,
} from './models.ts';

/** Concatenated bytes of ids[1..] decoded one after another, as generation decodes them. */
function decodeAll(engine: Engine, ids: number[]): Uint8Array {
  const parts: number[] = [];
  for (let i = 1; i < ids.length; i++) parts.push(...engine.decode(ids[i - 1]!, ids[i]!));
  return new Uint8Array(parts);
}

describe.skipIf(!haveTokenizer)(
  `tokenizer.bin ${haveTokenizer ? '' : `— SKIPPED: ${MISSING_MODELS}`}`,
  () => {
    let engine: Engine;
    beforeAll(async () => {
      // A small random model with the Llama vocabulary size is enough to exercise the tokenizer.
      engine = await loadEngine({
        checkpoint: makeRandomCheckpoint(TINY_SHAPE, 3),
        tokenizer: read(tokenizerPath),
        backend: 'scalar',
        wasm: read(wasmPaths().scalar),
      });
    });

    it('encodes "Once upon a time" as llama2.c does: 1 9038 2501 263 931', () => {
      expect(engine.encode('Once upon a time')).toEqual([1, 9038, 2501, 263, 931]);
    });

    it('adds BOS and EOS only when asked, and nothing for empty text', () => {
      expect(engine.encode('')).toEqual([1]);
      expect(engine.encode('', { bos: false })).toEqual([]);
      expect(engine.encode('Once upon a time', { bos: false, eos: true })).toEqual([9038, 2501, 263, 931, 2]);
    });

    it.each([
      'Once upon a time, there was a little girl named Lily.',
      'Hello world!\nNew line\ttab   spaces',
      'naïve café — “quotes” 日本語 🙂 emoji',
      '  leading spaces and trailing  ',
      '1234567890 !@#$%^&*()',
    ])('round-trips %j', (text) => {
      const ids = engine.encode(text);
      expect(ids[0]).toBe(1);
      expect(new TextDecoder().decode(decodeAll(engine, ids))).toBe(text);
    });

    it('falls back to byte tokens <0xXX> = byte + 3 for invalid UTF-8 and decodes back to the same bytes', () => {
      const bytes = new Uint8Array([0x41, 0xff, 0xc3, 0x28, 0x80, 0x42]);
      const ids = engine.encode(bytes);
      expect(ids).toContain(0xff + 3);
      expect(ids).toContain(0x80 + 3);
      expect([...decodeAll(engine, ids)]).toEqual([...bytes]);
    });

    it('decodes byte pieces as raw bytes and strips the dummy-prefix space only after BOS', () => {
      expect([...engine.decode(5, 0x0a + 3)]).toEqual([0x0a]);
      expect(new TextDecoder().decode(engine.decode(1, 9038))).toBe('Once');
      expect(new TextDecoder().decode(engine.decode(9038, 2501))).toBe(' upon');
    });

    it('prefers the highest-scoring merge', () => {
      // "the" is one piece in the Llama vocabulary; the merges must reach it rather than stop at "th" + "e".
      const ids = engine.encode('the', { bos: false });
      expect(ids).toHaveLength(1);
      expect(new TextDecoder().decode(engine.decode(1, ids[0]!))).toBe('the');
    });
  },
);

describe.skipIf(!haveTokenizer)(
  `a tokenizer without a model ${haveTokenizer ? '' : `— SKIPPED: ${MISSING_MODELS}`}`,
  () => {
    it('uses every piece of the file and encodes like the engine', async () => {
      const { loadTokenizer } = await import('../src/index.ts');
      const tok = await loadTokenizer({
        tokenizer: read(tokenizerPath),
        backend: 'simd',
        wasm: read(wasmPaths().simd),
      });
      expect(tok.vocabSize).toBe(32000);
      expect(tok.encode('Once upon a time')).toEqual([1, 9038, 2501, 263, 931]);
    });
  },
);
