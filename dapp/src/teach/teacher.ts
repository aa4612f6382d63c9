// Fine-tuning inside the rollup. The backend wrote every response, so it keeps each conversation's token ids; a teach
// input names conversations and their preferred responses, and becomes a dataset with exactly the bytes (and the
// commitment) @tt/protocol's encodeDataset gives the client's buildPreferenceDataset. Training runs as a queue of jobs,
// one per teach input, each trained from the latest version the backend made (the base at first), a bounded number of
// optimizer steps per input: the machine keeps the trainer (weights, optimizer state) between inputs. Everything here
// is a pure function of the accepted inputs, so a host-mode backend that replays them after a restart ends in the same
// state, like the real machine's snapshot.
import {
  createTrainer,
  encodeHyperParameters,
  modelHash,
  TEACH_ENGINE_VERSION,
  type BackendChoice,
  type CreateTrainerOptions,
  type HyperParameters,
  type StepMetrics,
  type Trainer,
} from '@tt/llm';
import {
  datasetCommitment,
  pairFromGenerations,
  toHex,
  type DatasetPair,
  type Hex,
  type ModelNotice,
  type TeachInput,
  type TeachProgressNotice,
  type TrainStepMetrics,
} from '@tt/protocol';
import { RejectError } from '../input/errors.ts';

export interface TeacherOptions {
  /** The base checkpoint and the tokenizer (modelHash = sha256(checkpoint ‖ tokenizer)). */
  checkpoint: Uint8Array;
  tokenizer: Uint8Array;
  baseHash: Hex;
  /**
   * Most optimizer steps one input runs. A job's reference pass (each pair forward once with the parent's weights)
   * comes first and counts a third of a pair's training pass, so an input never does more than this many steps' work.
   */
  stepsPerInput: number;
  hyperParameters: Partial<HyperParameters>;
  backend?: BackendChoice;
  wasm?: CreateTrainerOptions['wasm'];
}

interface Generation {
  tokens: readonly number[];
  promptTokens: number;
}

interface Answered {
  modelHash: Hex;
  steps: number;
  generations: [Generation, Generation];
}

interface Job {
  teachInputIndex: number;
  pairs: DatasetPair[];
  commitment: Hex;
}

interface Running {
  job: Job;
  parentHash: Hex;
  trainer: Trainer;
}

/** What one input's work did: progress of the job in hand, and a finished version if it completed. */
export interface TeachWork {
  progress: TeachProgressNotice | null;
  model: ModelNotice | null;
  /** A job whose training failed (e.g. a non-finite loss): dropped, with why. */
  failed: { teachInputIndex: number; message: string } | null;
}

/** What enqueue made of a teach input. */
export interface Enqueued {
  pairs: number;
  identical: number;
  commitment: Hex;
  /** Jobs before it in the queue (0: it is trained next, or now). */
  ahead: number;
}

const stepMetrics = (m: StepMetrics): TrainStepMetrics => ({
  step: m.step,
  loss: m.loss,
  accuracy: m.accuracy,
  rewardMargin: m.rewardMargin,
  learningRate: m.learningRate,
});

export class Teacher {
  private readonly answered = new Map<bigint, Answered>();
  /** Trained checkpoints by model hash (the base is opts.checkpoint). */
  private readonly trained = new Map<string, Uint8Array>();
  private latest: Hex;
  private readonly queue: Job[] = [];
  private running: Running | null = null;

  constructor(private readonly opts: TeacherOptions) {
    if (!Number.isInteger(opts.stepsPerInput) || opts.stepsPerInput < 1)
      throw new RangeError(`stepsPerInput must be an integer >= 1, not ${opts.stepsPerInput}`);
    this.latest = opts.baseHash.toLowerCase() as Hex;
  }

  /** The model new training starts from: the last version this backend completed, or the base. */
  get latestHash(): Hex {
    return this.latest;
  }

  /** The checkpoint of a model this backend can serve (the base or a version it trained), or undefined. */
  checkpointOf(hash: string): Uint8Array | undefined {
    const h = hash.toLowerCase();
    if (h === this.opts.baseHash.toLowerCase()) return this.opts.checkpoint;
    return this.trained.get(h);
  }

  /** Whether a job is being trained or waits. */
  get busy(): boolean {
    return this.running !== null || this.queue.length > 0;
  }

  /** Keeps the ids both responses of a conversation were generated with (called once both are done). */
  recordAnswer(conversationId: bigint, answer: Answered): void {
    this.answered.set(conversationId, answer);
  }

  /**
   * Turns a teach input into a job at the end of the queue. Throws RejectError (and changes nothing) for a conversation
   * the backend never answered, or when every pair has identical responses.
   */
  enqueue(input: TeachInput, teachInputIndex: number): Enqueued {
    const unknown = input.conversationIds.filter((id) => !this.answered.has(id));
    if (unknown.length > 0)
      throw new RejectError(
        'teach-unknown-conversation',
        `teach input names conversation(s) ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ', …' : ''} ` +
          'that this backend has not answered (both responses); teach only conversations whose responses are posted',
      );
    const pairs: DatasetPair[] = [];
    input.conversationIds.forEach((id, i) => {
      const a = this.answered.get(id)!;
      const pair = pairFromGenerations({
        conversationId: id,
        modelHash: a.modelHash,
        chosenIndex: input.chosenIndices[i]!,
        steps: a.steps,
        generations: a.generations,
      });
      if (pair) pairs.push(pair);
    });
    const identical = input.conversationIds.length - pairs.length;
    if (pairs.length === 0)
      throw new RejectError(
        'teach-nothing-to-train',
        `every one of the ${identical} conversation(s) has two identical responses, so none prefers anything`,
      );
    const job = { teachInputIndex, pairs, commitment: datasetCommitment(pairs) };
    const ahead = this.queue.length + (this.running ? 1 : 0);
    this.queue.push(job);
    return { pairs: pairs.length, identical, commitment: job.commitment, ahead };
  }

  /** Runs up to stepsPerInput optimizer steps of the job in hand (starting the next one if none is). */
  async work(): Promise<TeachWork> {
    const idle: TeachWork = { progress: null, model: null, failed: null };
    if (!this.running) {
      const job = this.queue.shift();
      if (!job) return idle;
      const parentHash = this.latest;
      try {
        const trainer = await createTrainer({
          checkpoint: this.checkpointOf(parentHash)!,
          pairs: job.pairs,
          hyperParameters: this.opts.hyperParameters,
          ...(this.opts.backend ? { backend: this.opts.backend } : {}),
          ...(this.opts.wasm ? { wasm: this.opts.wasm } : {}),
        });
        this.running = { job, parentHash, trainer };
      } catch (err) {
        return { ...idle, failed: { teachInputIndex: job.teachInputIndex, message: (err as Error).message } };
      }
    }
    const { job, parentHash, trainer } = this.running;
    const ran: TrainStepMetrics[] = [];
    // The work of one input is at most that of stepsPerInput optimizer steps, counted in forward passes of a pair:
    // a step runs batchSize pairs forward and backward (3 each), a pair's reference pass runs it forward once (1).
    // So a large dataset's reference pass is spread over inputs too, and no input does more than the budget.
    const stepCost = 3 * trainer.hyperParameters.batchSize;
    let budget = this.opts.stepsPerInput * stepCost;
    try {
      for (; trainer.referenceDone < trainer.pairCount && budget >= 1; budget -= 1) trainer.reference();
      if (trainer.referenceDone === trainer.pairCount)
        for (; trainer.step < trainer.totalSteps && budget >= stepCost; budget -= stepCost)
          ran.push(stepMetrics(trainer.trainStep()));
    } catch (err) {
      this.drop();
      return { ...idle, failed: { teachInputIndex: job.teachInputIndex, message: (err as Error).message } };
    }
    const progress: TeachProgressNotice = {
      type: 'teach',
      teachInputIndex: job.teachInputIndex,
      parentHash,
      datasetCommitment: job.commitment,
      pairs: job.pairs.length,
      referenceDone: trainer.referenceDone,
      step: trainer.step,
      totalSteps: trainer.totalSteps,
      metrics: ran,
    };
    if (trainer.step < trainer.totalSteps) return { ...idle, progress };

    const checkpoint = trainer.checkpoint();
    const metrics = trainer.metrics().map(stepMetrics);
    const hp = trainer.hyperParameters;
    this.drop();
    const hash = await modelHash(checkpoint, this.opts.tokenizer);
    this.trained.set(hash.toLowerCase(), checkpoint);
    this.latest = hash.toLowerCase() as Hex;
    const model: ModelNotice = {
      type: 'model',
      modelHash: this.latest,
      parentHash,
      datasetCommitment: job.commitment,
      teachInputIndex: job.teachInputIndex,
      pairs: job.pairs.length,
      steps: metrics.length,
      loss: metrics[metrics.length - 1]!.loss,
      metrics,
      hyperParameters: { ...hp },
      hyperParametersHex: toHex(encodeHyperParameters(hp)),
      engineVersion: TEACH_ENGINE_VERSION,
    };
    return { ...idle, progress, model };
  }

  private drop(): void {
    try {
      this.running?.trainer.dispose();
    } finally {
      this.running = null;
    }
  }

  dispose(): void {
    this.drop();
  }
}
