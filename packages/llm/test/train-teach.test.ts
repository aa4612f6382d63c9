// teach() end to end: the same checkpoint bytes (and metrics) from the SIMD, scalar and native builds and from two
// runs; DPO moves the chosen-minus-rejected margin the way the preferences say; an interrupted run resumed from its
// step file ends with the same bytes as an uninterrupted one, in any build.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LlmError, modelHash, teach, type TeachOptions, type TeachResult } from '../src/index.ts';
import { trainNativePath, trainWasmPaths } from '../src/paths.ts';
import { runTeachNative } from '../src/teach-native.ts';
import type { PreferencePair } from '../src/teach-pairs.ts';
import {
  MISSING_MODELS,
  STORIES15M_SHAPE,
  anyTokenizerPath,
  haveStories260K,
  makeRandomCheckpoint,
  randomCheckpointPath,
  read,
  stories260KPath,
  tokenizerPath,
  type Shape,
} from './models.ts';
import { randomPairs, stories260KPairs } from './teach-data.ts';

const haveNative = trainNativePath() !== null;
const NO_NATIVE = 'dist/llm-train-native missing (no gcc when `pnpm --filter @tt/llm build` ran)';
const wasm = { simd: read(trainWasmPaths().simd), scalar: read(trainWasmPaths().scalar) };
const tmp = mkdtempSync(join(tmpdir(), 'tt-teach-test-'));

/** Small, with GQA, a separate classifier and dims that are not multiples of 16. */
const SMALL: Shape = {
  dim: 48,
  hiddenDim: 100,
  nLayers: 2,
  nHeads: 4,
  nKvHeads: 2,
  vocabSize: 300,
  seqLen: 64,
  sharedClassifier: false,
};
const SEED = 4242;

async function run(opts: TeachOptions): Promise<TeachResult> {
  return teach({ ...opts, wasm });
}

/** Trains natively on a checkpoint file; returns the modelHash of its output. */
async function nativeHash(
  checkpointPath: string,
  tokenizer: Uint8Array,
  pairs: PreferencePair[],
  hyperParameters: TeachOptions['hyperParameters'],
) {
  const outPath = join(tmp, `native-${Math.random().toString(36).slice(2)}.bin`);
  const r = await runTeachNative({ checkpointPath, pairs, hyperParameters, outPath });
  expect(r.written).toBe(true);
  return { hash: await modelHash(read(outPath), tokenizer), metrics: r.metrics };
}

describe(`trained checkpoint bytes across builds and runs${haveNative ? '' : ` (native SKIPPED: ${NO_NATIVE})`}`, () => {
  it.skipIf(!haveStories260K)(
    `stories260K, 20 real pairs: one modelHash from simd, scalar, native and a second run; the margin grows ${haveStories260K ? '' : `— SKIPPED: ${MISSING_MODELS}`}`,
    async () => {
      const checkpoint = read(stories260KPath);
      const tokenizer = read(tokenizerPath);
      const pairs = await stories260KPairs(stories260KPath, tokenizerPath, 20);
      const hp = { epochs: 2, batchSize: 4 };
      const a = await run({ checkpoint, tokenizer, pairs, hyperParameters: hp, backend: 'simd' });
      const b = await run({
        checkpoint,
        tokenizer,
        pairs,
        hyperParameters: hp,
        backend: 'scalar',
        evaluate: false,
      });
      const again = await run({
        checkpoint,
        tokenizer,
        pairs,
        hyperParameters: hp,
        backend: 'simd',
        evaluate: false,
      });
      expect(a.metrics).toHaveLength(10);
      expect(b.modelHash).toBe(a.modelHash);
      expect(again.modelHash).toBe(a.modelHash);
      expect(b.metrics).toEqual(a.metrics);
      expect(a.modelHash).not.toBe(a.parentHash);
      expect(a.manifest).toMatchObject({
        pairs: 20,
        steps: 10,
        parentHash: a.parentHash,
        modelHash: a.modelHash,
      });
      if (haveNative) {
        const n = await nativeHash(stories260KPath, tokenizer, pairs, hp);
        expect(n.hash).toBe(a.modelHash);
        expect(n.metrics).toEqual(a.metrics);
      }
      // The DPO objective did its job on the training pairs.
      const ev = a.evaluation!;
      expect(ev.trainedMargin).toBeGreaterThan(ev.baseMargin);
      expect(ev.improvedPairs).toBeGreaterThan(15);
      expect(a.metrics[0]!.loss).toBeCloseTo(Math.LN2, 12); // the policy starts as the reference
      expect(a.metrics.at(-1)!.loss).toBeLessThan(Math.LN2);
    },
  );

  it('random stories15M-shaped model (dim 288, vocab 32000): one step, identical from simd, scalar and native', async () => {
    const path = randomCheckpointPath(STORIES15M_SHAPE, 15);
    const checkpoint = read(path);
    const tokenizer = read(anyTokenizerPath());
    const pairs = randomPairs(1, 32000, { prompt: 8, chosen: 24, rejected: 20 }, SEED);
    const hp = { epochs: 1, batchSize: 1 };
    const hashes = [];
    for (const backend of ['simd', 'scalar'] as const) {
      const r = await run({ checkpoint, tokenizer, pairs, hyperParameters: hp, backend, evaluate: false });
      hashes.push(r.modelHash);
      expect(r.checkpoint.length).toBe(checkpoint.length);
    }
    if (haveNative) hashes.push((await nativeHash(path, tokenizer, pairs, hp)).hash);
    expect(new Set(hashes).size).toBe(1);
    expect(hashes[0]).not.toBe(await modelHash(checkpoint, tokenizer));
  });
});

describe(`DPO on a small random model (seed ${SEED})`, () => {
  const checkpoint = makeRandomCheckpoint(SMALL, SEED);
  const tokenizer = new Uint8Array([1, 2, 3]); // only hashed
  const pairs = randomPairs(6, SMALL.vocabSize, { prompt: 5, chosen: 12, rejected: 9 }, SEED);
  const hp = { learningRate: 1e-3, epochs: 3, batchSize: 2 };

  it('moves the chosen-minus-rejected margin up, and down when the preferences are swapped', async () => {
    const up = await run({ checkpoint, tokenizer, pairs, hyperParameters: hp, backend: 'simd' });
    const swapped = pairs.map((p) => ({
      ...p,
      chosenTokens: p.rejectedTokens,
      rejectedTokens: p.chosenTokens,
    }));
    const down = await run({ checkpoint, tokenizer, pairs: swapped, hyperParameters: hp, backend: 'simd' });
    const u = up.evaluation!;
    const d = down.evaluation!;
    expect(u.trainedMargin).toBeGreaterThan(u.baseMargin + 1);
    expect(u.improvedPairs).toBe(6);
    expect(d.baseMargin).toBeCloseTo(-u.baseMargin, 9);
    // Trained on the swapped preferences, the margin in the original orientation falls instead.
    expect(d.trainedMargin).toBeGreaterThan(d.baseMargin + 1);
    expect(d.improvedPairs).toBe(6);
    expect(-d.trainedMargin).toBeLessThan(u.baseMargin - 1);
    expect(up.metrics.at(-1)!.accuracy).toBe(1);
  });

  it('an interrupted run resumed from its step file gives the same bytes, in wasm, natively, and across the two', async () => {
    const whole = await run({
      checkpoint,
      tokenizer,
      pairs,
      hyperParameters: hp,
      backend: 'simd',
      evaluate: false,
    });
    expect(whole.metrics).toHaveLength(9);

    // wasm: stop after step 4 (from a progress callback, like Ctrl-C), then resume from the last step file.
    const files: { step: number; state: Uint8Array }[] = [];
    const ac = new AbortController();
    const stopped = await run({
      checkpoint,
      tokenizer,
      pairs,
      hyperParameters: hp,
      backend: 'scalar',
      evaluate: false,
      signal: ac.signal,
      onStepFile: (state, step) => void files.push({ step, state }),
      onProgress: (p) => {
        if (p.metrics?.step === 3) ac.abort();
      },
    }).catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(LlmError);
    expect((stopped as LlmError).code).toBe('teach-aborted');
    expect((stopped as LlmError).message).toMatch(/after step 4 of 9/);
    expect(files.map((f) => f.step)).toEqual([0, 1, 2, 3, 4]); // after the reference pass, then every step
    const resumed = await run({
      checkpoint,
      tokenizer,
      pairs,
      hyperParameters: hp,
      backend: 'simd',
      evaluate: false,
      resume: files.at(-1)!.state,
    });
    expect(resumed.modelHash).toBe(whole.modelHash);
    expect(resumed.metrics).toEqual(whole.metrics);

    if (haveNative) {
      const ckPath = join(tmp, 'small.bin');
      writeFileSync(ckPath, checkpoint);
      const state = join(tmp, 'small.step');
      const out = join(tmp, 'small-out.bin');
      const first = await runTeachNative({
        checkpointPath: ckPath,
        pairs,
        hyperParameters: hp,
        outPath: out,
        stateOut: state,
        stopAfter: 4,
      });
      expect(first).toMatchObject({ steps: 4, written: false });
      // the native step file is the same bytes as the wasm one after the same step
      expect(read(state)).toEqual(files.at(-1)!.state);
      const second = await runTeachNative({
        checkpointPath: ckPath,
        pairs,
        hyperParameters: hp,
        outPath: out,
        stateIn: state,
      });
      expect(second.written).toBe(true);
      expect(await modelHash(read(out), tokenizer)).toBe(whole.modelHash);
      expect(second.metrics).toEqual(whole.metrics);
    }
  });
});
