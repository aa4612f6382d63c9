// The model versions the Verify worker holds, by model hash: the base the node serves (its hash checked against the
// contract's), and fine-tuned versions, each either re-derived from the chain alone (@tt/client rederiveVersion: its
// teach inputs replayed, parents first, every response re-run and checked, then trained with @tt/llm's deterministic
// trainer; the result must hash to what the chain registered) or read from a weights file whose hash is the
// registered one. What is held stays for the session: a second Verify of another response of v1 does not train again.
// Runs in the worker (no DOM); the engine and trainer builds are passed in (pinned ones in the browser).
import { rederiveVersion, TtError, type Hex, type ModelVersion, type RederiveInputs } from '@tt/client';
import {
  decodeHyperParameters,
  LlmError,
  modelHash,
  resolveBackend,
  teach,
  type Backend,
  type Engine,
} from '@tt/llm';
import { fromHex } from '@tt/protocol';
import type { DeriveProgress } from './derive-progress.ts';

/** What the page read from the chain for one re-derivation (@tt/client readRederiveInputs). */
export type VersionJob = RederiveInputs;

export interface VersionStoreOptions {
  baseCheckpoint: Uint8Array;
  tokenizer: Uint8Array;
  /** sha256(base checkpoint ‖ tokenizer), as the worker computed it. */
  baseHash: Hex;
  /** An engine running a checkpoint with the tokenizer. */
  loadEngine: (checkpoint: Uint8Array) => Promise<Engine>;
  /** The trainer build for a backend (in the browser: the UI's own, checked against its pin). */
  trainerWasm: (backend: Backend) => Promise<Uint8Array>;
}

export interface Held {
  modelHash: Hex;
  /** chain: re-derived just now; file: a weights file; cache: held from earlier in the session. */
  source: 'chain' | 'file' | 'cache';
}

const lower = (h: string) => h.toLowerCase();
/** Lets the worker read messages (a cancel) between two pieces of synchronous work. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function cancelled(version: number): TtError {
  return new TtError(
    'cancelled',
    `re-deriving version ${version} was cancelled`,
    'press Verify again when you like: the versions derived before it are kept',
  );
}

export class VersionStore {
  /** By lower-case model hash: every checkpoint here hashes (with the tokenizer) to its key. */
  private readonly checkpoints = new Map<string, Uint8Array>();
  private readonly engines = new Map<string, Promise<Engine>>();
  /** One re-derivation at a time: a second Verify of the same version then finds it held. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: VersionStoreOptions) {
    this.checkpoints.set(lower(opts.baseHash), opts.baseCheckpoint);
  }

  holds(hash: string): boolean {
    return this.checkpoints.has(lower(hash));
  }

  /** The weights of a held version (for saving them as a file). */
  checkpointOf(hash: string): Uint8Array {
    const ck = this.checkpoints.get(lower(hash));
    if (!ck)
      throw new TtError(
        'bad-argument',
        `model ${hash} is not held in this page: verify one of its responses first`,
      );
    return ck;
  }

  /** An engine for a held model (made once, kept). */
  engine(hash: string): Promise<Engine> {
    const key = lower(hash);
    let e = this.engines.get(key);
    if (!e) {
      const ck = this.checkpoints.get(key);
      if (!ck)
        return Promise.reject(
          new TtError(
            'bad-argument',
            `model ${hash} is not held in this page: re-derive it or choose its weights file`,
          ),
        );
      e = this.opts.loadEngine(ck);
      e.catch(() => this.engines.delete(key));
      this.engines.set(key, e);
    }
    return e;
  }

  dispose(): void {
    for (const e of this.engines.values()) void e.then((x) => x.dispose()).catch(() => undefined);
    this.engines.clear();
  }

  /** Re-derives `job.version` from the chain (unless held), checking each step; the registered hash on success. */
  derive(
    job: VersionJob,
    onProgress: (p: DeriveProgress) => void = () => undefined,
    signal?: AbortSignal,
  ): Promise<Held> {
    const run = this.queue.then(() => this.deriveNow(job, onProgress, signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async deriveNow(
    job: VersionJob,
    onProgress: (p: DeriveProgress) => void,
    signal?: AbortSignal,
  ): Promise<Held> {
    const target = job.versions[job.version];
    if (!target || job.version < 1)
      throw new TtError('bad-argument', `there is no fine-tuned model version ${job.version} on chain`);
    if (this.holds(target.modelHash)) return { modelHash: target.modelHash, source: 'cache' };
    if (signal?.aborted) throw cancelled(job.version);
    const base = job.versions[0]!;
    if (lower(base.modelHash) !== lower(this.opts.baseHash))
      throw new TtError(
        'base-mismatch',
        `the node serves a base model that hashes to ${this.opts.baseHash}, but the contract's base model is ${base.modelHash}: a version cannot be re-derived from other weights`,
        `choose the weights file of v${job.version} instead, or use a node that serves the contract's base model`,
      );
    // The trainer is checked against its pin before any work: a swapped trainer is refused at once.
    const backend = resolveBackend('auto');
    const trainer = await this.opts.trainerWasm(backend);
    const tokenizer = this.opts.tokenizer;
    try {
      await rederiveVersion({
        version: job.version,
        versions: job.versions,
        requests: job.requests,
        conversations: new Map(job.conversations.map((c) => [c.id, c])),
        baseCheckpoint: this.opts.baseCheckpoint,
        checkpoints: this.checkpoints,
        signal,
        onProgress,
        engineFor: async (checkpoint) => {
          const engine = await this.engine(await this.hashOf(checkpoint));
          // no dispose: the engine stays with the store for later Verify runs
          return {
            generate: async (args) => {
              await nextTask();
              return engine.generate(args);
            },
          };
        },
        train: async ({ checkpoint, pairs, hyperParameters, version }) => {
          const r = await teach({
            checkpoint,
            tokenizer,
            pairs,
            hyperParameters: decodeHyperParameters(fromHex(hyperParameters)),
            backend,
            wasm: trainer,
            evaluate: false,
            signal,
            onProgress: (p) =>
              onProgress(
                p.phase === 'reference'
                  ? { version, phase: 'reference', done: p.pairsDone, of: p.of }
                  : { version, phase: 'step', done: p.step, of: p.totalSteps },
              ),
          });
          return { checkpoint: r.checkpoint, modelHash: r.modelHash };
        },
      });
    } catch (err) {
      if (err instanceof LlmError && err.code === 'teach-aborted') throw cancelled(job.version);
      throw err;
    }
    return { modelHash: target.modelHash, source: 'chain' };
  }

  /**
   * A weights file for `version`: held only when sha256(file ‖ tokenizer) is the hash the chain registered for it,
   * so the file may come from anywhere.
   */
  async addWeights(bytes: Uint8Array, version: Pick<ModelVersion, 'version' | 'modelHash'>): Promise<Held> {
    const hash = await modelHash(bytes, this.opts.tokenizer);
    if (lower(hash) !== lower(version.modelHash))
      throw new TtError(
        'version-mismatch',
        `the weights file hashes to ${hash} with the node's tokenizer, but the chain registered ${version.modelHash} for v${version.version}: it is not that version's checkpoint`,
        `choose the checkpoint file of v${version.version}, or press Verify to re-derive it from the chain`,
      );
    const source = this.holds(hash) ? 'cache' : 'file';
    this.checkpoints.set(lower(hash), bytes);
    return { modelHash: version.modelHash, source };
  }

  private async hashOf(checkpoint: Uint8Array): Promise<string> {
    for (const [h, c] of this.checkpoints) if (c === checkpoint) return h;
    const h = await modelHash(checkpoint, this.opts.tokenizer);
    this.checkpoints.set(lower(h), checkpoint);
    return h;
  }
}
