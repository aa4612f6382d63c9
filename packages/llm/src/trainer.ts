// The trainer as TypeScript sees it: one instance of the training WebAssembly module (dist/llm-train-*.wasm, separate
// from the inference module) per training run. The base checkpoint and the pairs are copied into its memory once;
// every step runs in C. This is the low-level, step-by-step API (a host that trains a bounded number of steps per
// call, like the rollup backend, uses it directly); teach() in teach.ts is the whole run as one function.
import {
  expectedCheckpointBytes,
  readCheckpointHeader,
  readLoadedConfig,
  type ModelConfig,
} from './checkpoint.ts';
import { METRIC_KEYS, type StepMetrics } from './metrics.ts';
import { cError, llmError, LlmError } from './errors.ts';
import { checkPairs, encodePairs, type PreferencePair } from './teach-pairs.ts';
import {
  decodeHyperParameters,
  encodeHyperParameters,
  PARAMS_BYTES,
  resolveHyperParameters,
  type HyperParameters,
} from './teach-params.ts';
import {
  compileWasm,
  pickWasmSource,
  resolveBackend,
  type Backend,
  type BackendChoice,
  type WasmSource,
} from './wasm.ts';

/** The exports of c/train*.c (pointers are byte offsets into `memory`). */
export interface TrainExports {
  memory: WebAssembly.Memory;
  tt_alloc(nbytes: number): number;
  tt_tr_new(base: number, baseBytes: number, params: number, pairs: number, pairsInts: number): number;
  tt_tr_error(tr: number): number;
  tt_tr_error_detail(tr: number): number;
  tt_tr_config(tr: number): number;
  tt_tr_reference(tr: number, pair: number): number;
  tt_tr_reference_done(tr: number): number;
  tt_tr_step_begin(tr: number): number;
  tt_tr_step_pair(tr: number): number;
  tt_tr_step_end(tr: number): number;
  tt_tr_batch_pairs(tr: number): number;
  tt_tr_step(tr: number): number;
  tt_tr_total_steps(tr: number): number;
  tt_tr_steps_per_epoch(tr: number): number;
  tt_tr_metrics(tr: number): number;
  tt_tr_eval_pair(tr: number, pair: number, out: number): number;
  tt_tr_grad_pair(tr: number, pair: number, out: number): number;
  tt_tr_file(tr: number): number;
  tt_tr_file_bytes(tr: number): number;
  tt_tr_grad(tr: number): number;
  tt_tr_weights(tr: number): number;
  tt_tr_state_bytes(tr: number): number;
  tt_tr_state_save_begin(tr: number): number;
  tt_tr_state_read(tr: number, offset: number, out: number, len: number): number;
  tt_tr_state_load_begin(tr: number, header: number, len: number): number;
  tt_tr_state_write(tr: number, offset: number, data: number, len: number): number;
  tt_tr_state_load_end(tr: number): number;
  tt_tr_params_bytes(): number;
  tt_tr_metrics_count(): number;
}

/** Log-probabilities of one pair's responses under the policy now and under the base (the reference). */
export interface PairLogProbs {
  chosen: number;
  rejected: number;
  baseChosen: number;
  baseRejected: number;
}

export type { StepMetrics } from './metrics.ts';

export interface CreateTrainerOptions {
  /** The base llama2.c checkpoint (also the frozen reference model). */
  checkpoint: Uint8Array;
  pairs: readonly PreferencePair[];
  hyperParameters?: Partial<HyperParameters>;
  /** 'auto' (default): SIMD where supported. */
  backend?: BackendChoice;
  /** The training module: one source, or one per backend. Default: this package's dist/llm-train-<backend>.wasm. */
  wasm?: WasmSource | Partial<Record<Backend, WasmSource>>;
}

/** Where the training builds sit next to this package's sources (a literal URL each, so Vite copies them). */
export function defaultTrainWasmUrl(backend: Backend): URL {
  return backend === 'simd'
    ? new URL('../dist/llm-train-simd.wasm', import.meta.url)
    : new URL('../dist/llm-train-scalar.wasm', import.meta.url);
}

/** Turns one row of c/train.h's TT_M_* doubles into StepMetrics. */
export function metricsFromRow(step: number, row: ArrayLike<number>): StepMetrics {
  const m = { step } as StepMetrics;
  METRIC_KEYS.forEach((k, i) => (m[k] = row[i]!));
  return m;
}

const STATE_HEADER = 160;
const STATE_CHUNK = 1 << 20;

/** Instantiates the training module alone (for its kernels; tests use this). */
export async function instantiateTrainModule(
  backend: BackendChoice = 'auto',
  wasm?: CreateTrainerOptions['wasm'],
): Promise<TrainExports> {
  const b = resolveBackend(backend);
  const mod = await compileWasm(pickWasmSource(b, wasm, defaultTrainWasmUrl));
  if (WebAssembly.Module.imports(mod).length > 0)
    throw llmError('wasm-unavailable', 'the training .wasm must import nothing; this one has imports');
  const x = (await WebAssembly.instantiate(mod, {})).exports as unknown as TrainExports;
  if (typeof x.tt_tr_new !== 'function')
    throw llmError(
      'wasm-unavailable',
      'this .wasm is not the training module (dist/llm-train-*.wasm): pass the training build',
    );
  return x;
}

/** Checks the pairs and hyper-parameters, then loads a trainer. Throws LlmError with what to fix. */
export async function createTrainer(opts: CreateTrainerOptions): Promise<Trainer> {
  const header = readCheckpointHeader(opts.checkpoint);
  if (!Array.isArray(opts.pairs) || opts.pairs.length === 0) throw llmError('teach-no-pairs');
  const hp = resolveHyperParameters(opts.hyperParameters, opts.pairs.length);
  // A checkpoint whose header is unusable is reported by the C side's exact checks; pairs need a usable header.
  if (header && header.vocabSize > 0 && header.seqLen > 0) checkPairs(opts.pairs, header);
  const backend = resolveBackend(opts.backend ?? 'auto');
  const x = await instantiateTrainModule(backend, opts.wasm);
  return new Trainer(x, backend, opts.checkpoint, opts.pairs, hp);
}

export class Trainer {
  readonly config: ModelConfig;
  readonly hyperParameters: HyperParameters;
  readonly pairCount: number;
  readonly totalSteps: number;
  readonly stepsPerEpoch: number;
  private ex: TrainExports | null;
  private readonly tr: number;
  private readonly out: number; // 4 doubles of scratch for eval / gradient results
  private chunk = 0;

  /** Use createTrainer(). */
  constructor(
    ex: TrainExports,
    readonly backend: Backend,
    checkpoint: Uint8Array,
    pairs: readonly PreferencePair[],
    hp: HyperParameters,
  ) {
    this.ex = ex;
    this.hyperParameters = hp;
    this.pairCount = pairs.length;
    const base = copyIn(ex, checkpoint, 36);
    const params = copyIn(ex, encodeHyperParameters(hp));
    const block = encodePairs(pairs);
    const pairsPtr = copyIn(ex, new Uint8Array(block.buffer, block.byteOffset, block.byteLength));
    this.tr = ex.tt_tr_new(base, checkpoint.length, params, pairsPtr, block.length) >>> 0;
    if (this.tr === 0) throw llmError('out-of-memory', 'not even the trainer fits in WebAssembly memory');
    const rc = ex.tt_tr_error(this.tr);
    if (rc !== 0) throw this.explain(rc, ex.tt_tr_error_detail(this.tr), checkpoint);
    this.config = readLoadedConfig(ex.memory, ex.tt_tr_config(this.tr));
    this.totalSteps = ex.tt_tr_total_steps(this.tr);
    this.stepsPerEpoch = ex.tt_tr_steps_per_epoch(this.tr);
    this.out = alloc(ex, 32);
  }

  private get x(): TrainExports {
    if (!this.ex) throw llmError('disposed', 'the trainer was disposed');
    return this.ex;
  }

  /** Optimizer steps done. */
  get step(): number {
    return this.x.tt_tr_step(this.tr);
  }

  /** Pairs whose reference log-probabilities are computed (all of them before the first step). */
  get referenceDone(): number {
    return this.x.tt_tr_reference_done(this.tr);
  }

  /** The base model's log-probabilities of the next pair (call until referenceDone === pairCount). */
  reference(): void {
    const x = this.x;
    const i = x.tt_tr_reference_done(this.tr);
    this.check(x.tt_tr_reference(this.tr, i));
  }

  /** Opens the next step; returns its number of pairs. */
  beginStep(): number {
    const x = this.x;
    if (x.tt_tr_reference_done(this.tr) !== this.pairCount)
      throw llmError('bad-argument', 'compute the reference log-probabilities of every pair first');
    if (x.tt_tr_step(this.tr) >= this.totalSteps)
      throw llmError('bad-argument', `training is complete (${this.totalSteps} steps)`);
    this.check(x.tt_tr_step_begin(this.tr));
    return x.tt_tr_batch_pairs(this.tr);
  }

  /** Forward and backward passes of the open step's next pair. */
  stepPair(): void {
    this.check(this.x.tt_tr_step_pair(this.tr));
  }

  /** Clips, checks and applies the open step's update; returns its metrics. */
  endStep(): StepMetrics {
    const x = this.x;
    this.check(x.tt_tr_step_end(this.tr));
    const s = x.tt_tr_step(this.tr) - 1;
    return this.metrics()[s]!;
  }

  /** One whole optimizer step. */
  trainStep(): StepMetrics {
    const n = this.beginStep();
    for (let k = 0; k < n; k++) this.stepPair();
    return this.endStep();
  }

  /** The metrics of every step done so far (kept in the step file too, so a resumed run reports all of them). */
  metrics(): StepMetrics[] {
    const x = this.x;
    const done = x.tt_tr_step(this.tr);
    const nm = x.tt_tr_metrics_count();
    const rows = new Float64Array(x.memory.buffer, x.tt_tr_metrics(this.tr) >>> 0, done * nm);
    return Array.from({ length: done }, (_, s) => metricsFromRow(s, rows.subarray(s * nm, (s + 1) * nm)));
  }

  /** Log-probabilities of pair i under the current policy, and under the base (NaN until its reference pass). */
  evaluate(i: number): PairLogProbs {
    const x = this.x;
    this.checkIndex(i);
    this.check(x.tt_tr_eval_pair(this.tr, i, this.out));
    const r = new Float64Array(x.memory.buffer, this.out, 4);
    return { chosen: r[0]!, rejected: r[1]!, baseChosen: r[2]!, baseRejected: r[3]! };
  }

  /**
   * The gradient of pair i's DPO loss alone with respect to every float of the checkpoint (file order after the
   * 28-byte header), without an update; for gradient checks.
   */
  gradient(i: number): { loss: number; grad: Float32Array } {
    const x = this.x;
    this.checkIndex(i);
    this.check(x.tt_tr_grad_pair(this.tr, i, this.out));
    const n = ((x.tt_tr_file_bytes(this.tr) >>> 0) - 28) / 4;
    return {
      loss: new Float64Array(x.memory.buffer, this.out, 1)[0]!,
      grad: new Float32Array(x.memory.buffer, x.tt_tr_grad(this.tr) >>> 0, n).slice(),
    };
  }

  /** The trained model as a complete llama2.c checkpoint (a copy). */
  checkpoint(): Uint8Array {
    const x = this.x;
    return new Uint8Array(
      x.memory.buffer,
      x.tt_tr_file(this.tr) >>> 0,
      x.tt_tr_file_bytes(this.tr) >>> 0,
    ).slice();
  }

  /** Size in bytes of a step file of this run. */
  get stateBytes(): number {
    return this.x.tt_tr_state_bytes(this.tr) >>> 0;
  }

  /** The whole training state as a step file: resuming from it gives the same final bytes as never stopping. */
  saveState(): Uint8Array {
    const x = this.x;
    this.check(x.tt_tr_state_save_begin(this.tr));
    const total = x.tt_tr_state_bytes(this.tr) >>> 0;
    const out = new Uint8Array(total);
    const chunk = this.chunkBuffer();
    for (let at = 0; at < total; at += STATE_CHUNK) {
      const n = Math.min(STATE_CHUNK, total - at);
      this.check(x.tt_tr_state_read(this.tr, at, chunk, n));
      out.set(new Uint8Array(x.memory.buffer, chunk, n), at);
    }
    return out;
  }

  /** Restores a step file into this trainer, which must be fresh (no reference pass or step done). */
  loadState(bytes: Uint8Array): void {
    const x = this.x;
    const expected = x.tt_tr_state_bytes(this.tr) >>> 0;
    if (bytes.length < STATE_HEADER)
      throw llmError(
        'teach-bad-step-file',
        `the step file has ${bytes.length} bytes, less than its ${STATE_HEADER}-byte header: it is not a step file or was cut short; start again without it`,
      );
    const chunk = this.chunkBuffer();
    new Uint8Array(x.memory.buffer, chunk, STATE_HEADER).set(bytes.subarray(0, STATE_HEADER));
    const rc = x.tt_tr_state_load_begin(this.tr, chunk, STATE_HEADER);
    if (rc !== 0) throw this.explainState(rc, x.tt_tr_error_detail(this.tr), bytes);
    if (bytes.length !== expected)
      throw llmError(
        'teach-bad-step-file',
        `the step file has ${bytes.length} bytes but a step file of this run has ${expected}: it was cut short or changed; resume from an earlier one or start again without it`,
      );
    for (let at = 0; at < bytes.length; at += STATE_CHUNK) {
      const n = Math.min(STATE_CHUNK, bytes.length - at);
      new Uint8Array(x.memory.buffer, chunk, n).set(bytes.subarray(at, at + n));
      this.check(x.tt_tr_state_write(this.tr, at, chunk, n));
    }
    const end = x.tt_tr_state_load_end(this.tr);
    if (end !== 0) {
      this.ex = null; // its weights were overwritten by the damaged file: the trainer cannot be used any more
      throw llmError(
        'teach-bad-step-file',
        'the step file is damaged (its contents do not match its fingerprint): resume from an earlier one or start again without it',
      );
    }
  }

  /** Releases the instance and its memory. */
  dispose(): void {
    this.ex = null;
  }

  private chunkBuffer(): number {
    if (this.chunk === 0) this.chunk = alloc(this.x, STATE_CHUNK);
    return this.chunk;
  }

  private checkIndex(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.pairCount)
      throw llmError('bad-argument', `pair index ${i} is outside 0..${this.pairCount - 1}`);
  }

  private check(rc: number): void {
    if (rc !== 0) throw this.explain(rc, this.x.tt_tr_error_detail(this.tr));
  }

  private explain(rc: number, detail: number, checkpoint?: Uint8Array): LlmError {
    if (rc === 20) {
      const where =
        detail >= 0
          ? `pair ${detail} gave a non-finite log-probability or loss`
          : detail === -1
            ? 'the gradient is not finite'
            : 'the update would make a weight, or Adam state, not finite';
      const phase =
        this.ex && this.ex.tt_tr_reference_done(this.tr) < this.pairCount
          ? 'while computing the base model’s log-probabilities: the base checkpoint has NaN/Inf weights or overflows; check it'
          : `at step ${this.ex ? this.ex.tt_tr_step(this.tr) + 1 : '?'} of ${this.totalSteps}: the step was refused and nothing was written; lower the learning rate (now ${this.hyperParameters.learningRate}) or check the base checkpoint`;
      return llmError('teach-non-finite', `training produced NaN or Inf (${where}) ${phase}`);
    }
    if (rc === 22) return llmError('teach-bad-pair', `pair ${detail} does not fit the model`);
    if (rc === 23)
      return llmError('teach-bad-hyperparameter', `hyper-parameter field ${detail} out of range`);
    if (rc === 24) return llmError('bad-argument', 'trainer calls out of order');
    return cError(rc, checkpoint ? checkpointDetail(checkpoint) : undefined);
  }

  private explainState(rc: number, detail: number, bytes: Uint8Array): LlmError {
    if (rc !== 21) return this.explain(rc, detail);
    const what: Record<number, string> = {
      1: 'it is not a step file of the trainer',
      2: 'it was written by another version of the trainer',
      3: 'it was made from another base checkpoint',
      4: 'it was made from other pairs',
      5: `it was made with other hyper-parameters (${diffParams(bytes, this.hyperParameters)})`,
      6: 'its step counts do not fit this run',
      7: 'its header is damaged',
    };
    return llmError(
      'teach-bad-step-file',
      `the step file does not belong to this run: ${what[detail] ?? 'unknown reason'}; resume with the same base, pairs and hyper-parameters, or start again without it`,
    );
  }
}

function checkpointDetail(bytes: Uint8Array): string {
  const c = readCheckpointHeader(bytes);
  if (!c || c.dim <= 0 || c.nHeads <= 0 || c.dim % c.nHeads !== 0 || c.nKvHeads <= 0)
    return `the base checkpoint has ${bytes.length} bytes`;
  return `the base checkpoint's header needs ${expectedCheckpointBytes(c)} bytes, the file has ${bytes.length}`;
}

function diffParams(bytes: Uint8Array, now: HyperParameters): string {
  const then = decodeHyperParameters(bytes.subarray(32, 32 + PARAMS_BYTES));
  const keys = Object.keys(now) as (keyof HyperParameters)[];
  return (
    keys
      .filter((k) => then[k] !== now[k])
      .map((k) => `${k} ${String(then[k])} there, ${String(now[k])} here`)
      .join('; ') || 'same values'
  );
}

function alloc(x: TrainExports, n: number): number {
  const p = x.tt_alloc(n) >>> 0; // pointers and sizes are unsigned 32-bit: above 2 GiB they arrive negative
  if (p === 0) throw llmError('out-of-memory', `could not get ${n} bytes of WebAssembly memory for training`);
  return p;
}

/** Copies bytes into the instance's memory, `skew` bytes past a 64-byte boundary (36: checkpoint floats on lines). */
function copyIn(x: TrainExports, bytes: Uint8Array, skew = 0): number {
  const base = alloc(x, bytes.length + 64);
  const p = base + ((skew - (base % 64) + 64) % 64);
  new Uint8Array(x.memory.buffer, p, bytes.length).set(bytes);
  return p;
}
