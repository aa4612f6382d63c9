// Every bad input to training gets an LlmError with its code and a message that says what to do, and nothing is
// returned or written: empty or malformed pairs, pairs that do not fit the model, bad hyper-parameters, bad
// checkpoints, NaN/Inf appearing in training, and step files from another run or damaged.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LlmError, createTrainer, teach, type TeachOptions } from '../src/index.ts';
import { trainWasmPaths } from '../src/paths.ts';
import { readStepFile, stepFileWriter } from '../src/teach-files.ts';
import type { PreferencePair } from '../src/teach-pairs.ts';
import { makeRandomCheckpoint, read, type Shape } from './models.ts';
import { randomPairs } from './teach-data.ts';

const SHAPE: Shape = {
  dim: 32,
  hiddenDim: 64,
  nLayers: 1,
  nHeads: 4,
  nKvHeads: 2,
  vocabSize: 100,
  seqLen: 32,
  sharedClassifier: false,
};
const checkpoint = makeRandomCheckpoint(SHAPE, 5);
const tokenizer = new Uint8Array(8);
const pairs = randomPairs(4, SHAPE.vocabSize, { prompt: 4, chosen: 6, rejected: 5 }, 9);
const wasm = { simd: read(trainWasmPaths().simd), scalar: read(trainWasmPaths().scalar) };
const base: TeachOptions = { checkpoint, tokenizer, pairs, wasm, backend: 'scalar', evaluate: false };

async function fails(p: Promise<unknown>, code: string, message?: RegExp): Promise<LlmError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected LlmError ${code}`).toBeInstanceOf(LlmError);
  expect((err as LlmError).code).toBe(code);
  if (message) expect((err as LlmError).message).toMatch(message);
  return err as LlmError;
}

const withPair = (i: number, patch: Partial<PreferencePair>) =>
  pairs.map((p, k) => (k === i ? { ...p, ...patch } : p));

describe('pairs', () => {
  it('an empty list', () =>
    fails(teach({ ...base, pairs: [] }), 'teach-no-pairs', /rank some conversations/));
  it('a token outside the vocabulary', () =>
    fails(
      teach({ ...base, pairs: withPair(2, { chosenTokens: [5, 100, 7] }) }),
      'teach-bad-pair',
      /pair 2: chosenTokens\[1\] = 100 is outside the model's vocabulary 0\.\.99/,
    ));
  it('a negative or fractional id', async () => {
    await fails(
      teach({ ...base, pairs: withPair(0, { promptTokens: [1, -3] }) }),
      'teach-bad-pair',
      /promptTokens\[1\]/,
    );
    await fails(
      teach({ ...base, pairs: withPair(0, { rejectedTokens: [1.5] }) }),
      'teach-bad-pair',
      /rejectedTokens\[0\]/,
    );
  });
  it('an empty response or prompt', async () => {
    await fails(
      teach({ ...base, pairs: withPair(1, { rejectedTokens: [] }) }),
      'teach-bad-pair',
      /pair 1: rejectedTokens is empty/,
    );
    await fails(
      teach({ ...base, pairs: withPair(1, { promptTokens: [] }) }),
      'teach-bad-pair',
      /promptTokens is empty/,
    );
  });
  it('longer than the context', () =>
    fails(
      teach({ ...base, pairs: withPair(3, { chosenTokens: Array.from({ length: 30 }, () => 5) }) }),
      'teach-bad-pair',
      /pair 3: the prompt \(4 tokens\) and chosenTokens \(30\) need 33 positions, more than the model's context 32/,
    ));
  it('exactly the context fits (the last token is only a target)', async () => {
    const r = await teach({
      ...base,
      pairs: withPair(3, { chosenTokens: Array.from({ length: 29 }, () => 5) }),
      hyperParameters: { epochs: 1 },
    });
    expect(r.metrics).toHaveLength(1);
  });
  it('the same response twice', () =>
    fails(
      teach({ ...base, pairs: withPair(0, { rejectedTokens: pairs[0]!.chosenTokens }) }),
      'teach-bad-pair',
      /pair 0: chosenTokens and rejectedTokens are the same response/,
    ));
  it('not arrays', () =>
    fails(
      teach({ ...base, pairs: withPair(0, { chosenTokens: 'abc' as unknown as number[] }) }),
      'teach-bad-pair',
      /chosenTokens must be an array/,
    ));
});

describe('hyper-parameters', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ learningRate: -1 }, /learningRate must be a number in \(0, 1\], got -1/],
    [{ learningRate: Number.NaN }, /learningRate/],
    [{ beta: 0 }, /beta must be/],
    [{ batchSize: 0 }, /batchSize must be an integer >= 1/],
    [{ epochs: 1.5 }, /epochs must be an integer/],
    [{ schedule: 'linear' }, /schedule must be 'cosine' or 'constant', got linear/],
    [{ seed: -1 }, /seed must be an integer/],
    [{ adamBeta2: 1 }, /adamBeta2 must be a number in \[0, 1\)/],
    [{ learnRate: 1e-4 }, /unknown hyper-parameter 'learnRate'/],
  ];
  for (const [hp, msg] of cases)
    it(JSON.stringify(hp), () =>
      fails(
        teach({ ...base, hyperParameters: hp as TeachOptions['hyperParameters'] }),
        'teach-bad-hyperparameter',
        msg,
      ),
    );
});

describe('checkpoints', () => {
  it('a truncated base', () =>
    fails(
      teach({ ...base, checkpoint: checkpoint.subarray(0, checkpoint.length - 4) }),
      'checkpoint-size-mismatch',
    ));
  it('not a checkpoint', () =>
    fails(teach({ ...base, checkpoint: new Uint8Array(10) }), 'checkpoint-truncated'));
  it('the inference .wasm instead of the training one', () =>
    fails(
      teach({ ...base, wasm: read(trainWasmPaths().scalar.replace('llm-train-', 'llm-')) }),
      'wasm-unavailable',
      /not the training module/,
    ));
});

describe('NaN and Inf are refused and nothing is written', () => {
  it('a NaN weight in the base: refused in the reference pass, no step file, no result', async () => {
    const bad = checkpoint.slice();
    new DataView(bad.buffer).setFloat32(28 + 4 * (SHAPE.vocabSize * SHAPE.dim + 3), Number.NaN, true); // rms_att[3]
    let files = 0;
    await fails(
      teach({ ...base, checkpoint: bad, onStepFile: () => void files++ }),
      'teach-non-finite',
      /base model.*check it/,
    );
    expect(files).toBe(0);
  });

  for (const poison of [Number.NaN, Number.POSITIVE_INFINITY]) {
    it(`${Number.isNaN(poison) ? 'NaN' : '+Inf'} appearing in the weights mid-training: the step is refused, weights and optimizer state untouched`, async () => {
      const trainer = await createTrainer({
        checkpoint,
        pairs,
        wasm,
        backend: 'simd',
        hyperParameters: { batchSize: 2 },
      });
      while (trainer.referenceDone < trainer.pairCount) trainer.reference();
      trainer.trainStep();
      // Fault injection: one weight goes bad in memory, as a hardware fault or a bug would leave it. It sits in the
      // embedding row of BOS (id 1), which every pair's prompt starts with.
      const ex = (
        trainer as unknown as { ex: { memory: WebAssembly.Memory; tt_tr_weights(t: number): number } }
      ).ex;
      const tr = (trainer as unknown as { tr: number }).tr;
      new Float32Array(ex.memory.buffer, ex.tt_tr_weights(tr) >>> 0, 2 * SHAPE.dim)[SHAPE.dim + 5] = poison;
      const before = trainer.saveState();
      const err = await fails(
        Promise.resolve().then(() => trainer.trainStep()),
        'teach-non-finite',
      );
      expect(err.message).toMatch(
        /at step 2 of 4: the step was refused and nothing was written; lower the learning rate/,
      );
      expect(trainer.step).toBe(1);
      expect(trainer.saveState()).toEqual(before); // weights, Adam moments, metrics: all as they were
    });
  }
});

describe('step files', () => {
  async function stepFileAfter(steps: number, opts: Partial<TeachOptions> = {}): Promise<Uint8Array> {
    let last: Uint8Array | undefined;
    const ac = new AbortController();
    await teach({
      ...base,
      ...opts,
      signal: ac.signal,
      onStepFile: (s, step) => {
        last = s;
        if (step === steps) ac.abort();
      },
    }).catch(() => undefined);
    return last!;
  }

  it('from other hyper-parameters: says which differ', async () => {
    const state = await stepFileAfter(1);
    await fails(
      teach({ ...base, resume: state, hyperParameters: { learningRate: 1e-4 } }),
      'teach-bad-step-file',
      /other hyper-parameters \(learningRate 0\.00005 there, 0\.0001 here\)/,
    );
  });
  it('from other pairs', async () => {
    const state = await stepFileAfter(1);
    await fails(
      teach({ ...base, resume: state, pairs: withPair(0, { chosenTokens: [9, 9, 9] }) }),
      'teach-bad-step-file',
      /other pairs/,
    );
  });
  it('from another base checkpoint', async () => {
    const state = await stepFileAfter(1);
    await fails(
      teach({ ...base, resume: state, checkpoint: makeRandomCheckpoint(SHAPE, 6) }),
      'teach-bad-step-file',
      /another base checkpoint/,
    );
  });
  it('truncated, damaged, or not a step file', async () => {
    const state = await stepFileAfter(1);
    await fails(
      teach({ ...base, resume: state.subarray(0, state.length - 1) }),
      'teach-bad-step-file',
      /cut short/,
    );
    await fails(
      teach({ ...base, resume: state.subarray(0, 100) }),
      'teach-bad-step-file',
      /less than its 160-byte header/,
    );
    const damaged = state.slice();
    damaged[damaged.length - 1000]! ^= 1;
    await fails(teach({ ...base, resume: damaged }), 'teach-bad-step-file', /damaged/);
    const header = state.slice();
    header[130]! ^= 1;
    await fails(teach({ ...base, resume: header }), 'teach-bad-step-file', /header is damaged/);
    await fails(
      teach({ ...base, resume: new Uint8Array(state.length) }),
      'teach-bad-step-file',
      /not a step file/,
    );
  });
  it('on disk: written atomically, read back, and a missing file means a fresh run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-step-'));
    const path = join(dir, 'teach.step');
    expect(await readStepFile(path)).toBeUndefined();
    const whole = await teach({ ...base, onStepFile: stepFileWriter(path) });
    const saved = await readStepFile(path);
    expect(saved!.length).toBeGreaterThan(160);
    const resumed = await teach({ ...base, resume: saved }); // already complete: no step left to run
    expect(resumed.modelHash).toBe(whole.modelHash);
    await fails(
      stepFileWriter(join(dir, 'no-such-dir', 'x.step'))(new Uint8Array(4)),
      'teach-write-failed',
      /cannot write the step file .*ENOENT.*previous step file is intact/,
    );
  });
});

describe('trainer API misuse', () => {
  it('a step before the reference pass, a pair index out of range, use after dispose', async () => {
    const trainer = await createTrainer({ checkpoint, pairs, wasm, backend: 'scalar' });
    expect(() => trainer.beginStep()).toThrow(/reference log-probabilities of every pair first/);
    expect(() => trainer.evaluate(4)).toThrow(/pair index 4 is outside 0\.\.3/);
    trainer.dispose();
    expect(() => trainer.step).toThrow(/disposed/);
  });
});
