// The same token ids and the same logits bits from the SIMD build, the scalar build and the native gcc build.
import { describe, expect, it } from 'vitest';
import { loadEngine, type Engine, type GenerateOptions } from '../src/index.ts';
import { nativePath, wasmPaths } from '../src/paths.ts';
import { runNative } from '../src/native.ts';
import { logitsHash, STORIES15M_SHAPE_CASES, STORIES260K_CASES, type BitExactCase } from '../src/bitexact.ts';
import {
  MISSING_MODELS,
  STORIES15M_SHAPE,
  anyTokenizerPath,
  haveStories260K,
  randomCheckpointPath,
  read,
  stories260KPath,
  tokenizerPath,
} from './models.ts';

const haveNative = nativePath() !== null;
const NO_NATIVE = 'dist/llm-native missing (no gcc when `pnpm --filter @tt/llm build` ran)';

interface Run {
  tokens: number[];
  hashes: string[];
  bytes: number[];
}

function runWasm(engine: Engine, opts: Omit<GenerateOptions, 'onLogits'>): Run {
  const hashes: string[] = [];
  const r = engine.generate({ ...opts, onLogits: (l) => hashes.push(logitsHash(l)) });
  return { tokens: r.tokens, hashes, bytes: [...r.bytes] };
}

async function checkAllBackends(
  checkpointPath: string,
  tokPath: string,
  cases: readonly BitExactCase[],
): Promise<void> {
  const checkpoint = read(checkpointPath);
  const tokenizer = read(tokPath);
  const simd = await loadEngine({ checkpoint, tokenizer, backend: 'simd', wasm: read(wasmPaths().simd) });
  const scalar = await loadEngine({
    checkpoint,
    tokenizer,
    backend: 'scalar',
    wasm: read(wasmPaths().scalar),
  });
  for (const c of cases) {
    const a = runWasm(simd, c);
    const b = runWasm(scalar, c);
    expect(a.hashes.length, c.name).toBeGreaterThan(0);
    // A run meant to cover the whole context must not stop early at a BOS.
    if (c.fullLength) expect(a.hashes.length, `${c.name}: forward passes`).toBe(c.steps);
    expect(b.tokens, `${c.name}: scalar tokens`).toEqual(a.tokens);
    expect(b.hashes, `${c.name}: scalar logits`).toEqual(a.hashes);
    expect(b.bytes, `${c.name}: scalar bytes`).toEqual(a.bytes);
    if (haveNative) {
      const { name: _name, fullLength: _full, ...gen } = c;
      const n = await runNative({ ...gen, checkpointPath, tokenizerPath: tokPath, logitsHash: true });
      expect(n.tokens, `${c.name}: native tokens`).toEqual(a.tokens);
      expect(n.logitsHash, `${c.name}: native logits`).toEqual(a.hashes);
      expect([...n.bytes], `${c.name}: native bytes`).toEqual(a.bytes);
    }
  }
}

describe(`bit-exact across simd, scalar${haveNative ? ', native' : ` (native SKIPPED: ${NO_NATIVE})`}`, () => {
  if (!haveNative) it.skip(`native comparison — SKIPPED: ${NO_NATIVE}`, () => {});

  it.skipIf(!haveStories260K)(
    `stories260K: greedy, sampled, top-p, full seq_len ${haveStories260K ? '' : `— SKIPPED: ${MISSING_MODELS}`}`,
    async () => {
      await checkAllBackends(stories260KPath, tokenizerPath, STORIES260K_CASES);
    },
  );

  it('random stories15M-shaped model: greedy, sampled and the full seq_len of 256', async () => {
    await checkAllBackends(
      randomCheckpointPath(STORIES15M_SHAPE, 15),
      anyTokenizerPath(),
      STORIES15M_SHAPE_CASES,
    );
  });
});
