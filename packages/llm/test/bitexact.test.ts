// The same token ids and the same logits bits from the SIMD build, the scalar build and the native gcc build.
import { describe, expect, it } from 'vitest';
import { loadEngine, type Engine, type GenerateOptions } from '../src/index.ts';
import { nativePath, wasmPaths } from '../src/paths.ts';
import { runNative } from '../src/native.ts';
import { logitsHash } from './hash.ts';
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

type Case = Omit<GenerateOptions, 'onLogits' | 'onToken'> & { name: string; fullLength?: boolean };

async function checkAllBackends(checkpointPath: string, tokPath: string, cases: Case[]): Promise<void> {
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
      await checkAllBackends(stories260KPath, tokenizerPath, [
        { name: 'greedy', prompt: '', steps: 64, temperature: 0, topp: 0.9, seed: 0n },
        { name: 'sampled', prompt: '', steps: 64, temperature: 1, topp: 1, seed: 12345678901234567890n },
        { name: 'top-p with prompt', prompt: 'Once upon', steps: 64, temperature: 0.8, topp: 0.9, seed: 42n },
        {
          name: 'full seq_len',
          prompt: '',
          steps: 512,
          temperature: 1.2,
          topp: 0.95,
          seed: 2n, // reaches the full context (no BOS sampled) under the engine's summation order (c/matmul.c)
          fullLength: true,
        },
      ]);
    },
  );

  it('random stories15M-shaped model: greedy, sampled and the full seq_len of 256', async () => {
    await checkAllBackends(randomCheckpointPath(STORIES15M_SHAPE, 15), anyTokenizerPath(), [
      { name: 'greedy', prompt: 'Once upon a time', steps: 24, temperature: 0, topp: 0.9, seed: 0n },
      { name: 'sampled', prompt: '', steps: 24, temperature: 1, topp: 0, seed: 2n ** 64n - 1n },
      {
        name: 'full seq_len, top-p',
        prompt: 'Hello',
        steps: 256,
        temperature: 0.8,
        topp: 0.9,
        seed: 99n,
        fullLength: true,
      },
    ]);
  });
});
