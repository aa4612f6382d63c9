// The handlers behind the /finish loop: an advance is a prompt to answer twice, an inspect is a question about the
// model. Every way an input can be wrong ends in one report (docs/interfaces.md, "Reports"): a reject, or, when the
// input is a TrustAndTeach prompt refused for a reason of its own (it would be refused on every run), an accept with
// the report and a rejectPrompt voucher, so the chain can show the conversation Rejected (Cartesi v1 drops a rejected
// input's outputs). The loop turns anything that still escapes into an internal-error report through `failed`.
import type { AdvanceRequest, FinishStatus, InspectRequest, RollupRequest } from '@tt/cartesi-v1';
import {
  deriveSeed,
  encodeErrorReport,
  encodeInfoReport,
  encodeResponseNotice,
  encodeTeachNotice,
  fromHex,
  rejectionReasonCode,
  samplingFloats,
  type Hex,
  type ResponseNotice,
  type TeachInput,
} from '@tt/protocol';
import type { BackendEngine } from './engine.ts';
import { decodeInput, type PromptInput } from './input/decode.ts';
import { RejectError } from './input/errors.ts';
import { validatePromptInput } from './input/validate.ts';
import { postResponseCallData, registerModelCallData, rejectPromptCallData } from './outputs/voucher.ts';
import type { Teacher } from './teach/teacher.ts';
import type { RollupClient } from './rollup/client.ts';
import { describe, type Logger, type RequestHandlers } from './rollup/loop.ts';

export interface BackendOptions {
  client: RollupClient;
  /** TrustAndTeach: the only sender accepted and the only voucher destination */
  contract: string;
  model: { name: string; license: string; hash: Hex };
  engineVersion: string;
  /** Complete pieces in the tokenizer file, shown beside the checkpoint's vocabSize in the info report's config (a
   * mismatch makes every response unreadable; the UI's model card says so). */
  tokenizerPieces?: number | null;
  /** Loads a fresh engine; called at start and again after an engine error, since a trapped wasm instance is suspect. */
  loadEngine: () => Promise<BackendEngine>;
  /** Loads an engine for a fine-tuned version's checkpoint (same tokenizer); without it only the base is served. */
  loadModelEngine?: (checkpoint: Uint8Array) => Promise<BackendEngine>;
  /** Fine-tuning inside the rollup; without it teach inputs are refused. */
  teacher?: Teacher;
  log: Logger;
}

export interface Counters {
  processed: number;
  accepted: number;
  rejected: number;
}

export const INSPECT_PATHS = ['info'] as const;

export class Backend implements RequestHandlers {
  readonly counters: Counters = { processed: 0, accepted: 0, rejected: 0 };
  private engine: BackendEngine | undefined;
  /** The one fine-tuned version kept loaded beside the base (a version's engine holds a whole checkpoint). */
  private versionEngine: { hash: string; engine: BackendEngine } | undefined;
  private readonly contract: string;

  constructor(private readonly opts: BackendOptions) {
    this.contract = opts.contract.toLowerCase();
  }

  /** Loads the engine now, so a missing or broken model stops the start-up instead of the first prompt. */
  async start(): Promise<BackendEngine> {
    return this.currentEngine();
  }

  async advance(request: AdvanceRequest): Promise<FinishStatus> {
    const { metadata } = request.data;
    const tag = `input ${metadata.input_index}`;
    let answered = false;
    try {
      await this.answer(request, tag);
      answered = true;
      return 'accept';
    } catch (err) {
      if (!(err instanceof RejectError)) throw err; // the loop reports it as internal-error
      await this.opts.client.report(encodeErrorReport(err.code, err.message));
      const reason = err.conversationId === undefined ? null : rejectionReasonCode(err.code);
      if (reason === null) {
        this.opts.log.warn(`${tag}: rejected (${err.code}): ${err.message}`);
        return 'reject';
      }
      this.opts.log.warn(
        `${tag}: conversation ${err.conversationId} rejected (${err.code}, recorded on chain as reason ${reason}): ${err.message}`,
      );
      await this.opts.client.voucher(this.opts.contract, rejectPromptCallData(err.conversationId!, reason));
      return 'accept';
    } finally {
      this.counters.processed++;
      if (answered) this.counters.accepted++;
      else this.counters.rejected++;
    }
  }

  async inspect(request: InspectRequest): Promise<FinishStatus> {
    try {
      return await this.answerInspect(request);
    } catch (err) {
      if (!(err instanceof RejectError)) throw err;
      await this.opts.client.report(encodeErrorReport(err.code, err.message));
      return 'reject';
    }
  }

  private async answerInspect(request: InspectRequest): Promise<FinishStatus> {
    // GET /inspect/<path> delivers the path's bytes as the payload; a query string, if any, is appended after '?'.
    const raw = new TextDecoder().decode(fromHex(request.data.payload));
    const path = raw.split('?')[0]!.replace(/^\/+|\/+$/g, '');
    if (path === 'info') {
      const engine = await this.currentEngine();
      await this.opts.client.report(
        encodeInfoReport({
          model: {
            ...this.opts.model,
            config: { ...engine.config, tokenizerPieces: this.opts.tokenizerPieces ?? null },
          },
          engineVersion: this.opts.engineVersion,
          contract: this.opts.contract,
          counters: { ...this.counters },
        }),
      );
      return 'accept';
    }
    const shown = raw.length > 80 ? `${raw.slice(0, 80)}…` : raw;
    await this.opts.client.report(
      encodeErrorReport(
        'unknown-inspect-path',
        `unknown inspect path '${shown}'; available: ${INSPECT_PATHS.map((p) => `'${p}' (GET /inspect/${p})`).join(', ')}`,
      ),
    );
    return 'reject';
  }

  async failed(request: RollupRequest, error: unknown): Promise<void> {
    const what = request.request_type === 'advance_state' ? 'input' : 'inspect request';
    await this.opts.client.report(
      encodeErrorReport(
        'internal-error',
        `the backend failed unexpectedly on this ${what} (${describe(error)}); it was rejected and the backend goes on. ` +
          'This is a bug in the backend: please report it with this message.',
      ),
    );
  }

  async unreadable(error: Error): Promise<void> {
    await this.opts.client.report(
      encodeErrorReport(
        'internal-error',
        `the node sent a request the backend cannot read (${error.message}); it was rejected and the backend goes on`,
      ),
    );
  }

  private async answer(request: AdvanceRequest, tag: string): Promise<void> {
    const { metadata, payload } = request.data;
    if (metadata.msg_sender !== this.contract) {
      throw new RejectError(
        'unknown-sender',
        `input from ${metadata.msg_sender} rejected: this application only takes prompts from the TrustAndTeach contract ` +
          `${this.opts.contract}; send prompts through TrustAndTeach.sendPrompt(...)`,
      );
    }
    const decoded = decodeInput(fromHex(payload));
    if (decoded.kind === 'teach') return this.teach(decoded, metadata.input_index, tag);
    const { kind: _, ...input } = decoded;
    const modelHash = (input.modelHash ?? this.opts.model.hash).toLowerCase() as Hex;
    let engine: BackendEngine;
    let promptTokens: number;
    try {
      engine = await this.engineFor(modelHash);
      promptTokens = validatePromptInput(input, {
        seqLen: engine.config.seqLen,
        countPromptTokens: (prompt) =>
          this.engineCall(
            () => engine.encode(prompt, { bos: true, eos: false }).length,
            'tokenizing the prompt',
          ),
      });
    } catch (err) {
      if (err instanceof RejectError) err.conversationId = input.conversationId;
      throw err;
    }
    this.opts.log.info(
      `${tag}: conversation ${input.conversationId}, ${input.prompt.length} prompt bytes = ${promptTokens} tokens, steps ${input.steps}, ` +
        `temperature ${input.temperatureMilli / 1000}, top-p ${input.topPMilli / 1000}` +
        (input.modelHash ? `, model ${modelHash.slice(0, 10)}…` : ''),
    );

    // Both responses are generated before anything is emitted, so a failure in the second leaves no half-answer behind
    // in the log (the node would discard it on reject anyway).
    const notices: ResponseNotice[] = [];
    for (const responseIndex of [0, 1] as const) {
      notices.push(await this.generate(engine, input, responseIndex, metadata.input_index, tag, modelHash));
    }
    this.opts.teacher?.recordAnswer(input.conversationId, {
      modelHash,
      steps: input.steps,
      generations: [notices[0]!, notices[1]!],
    });
    for (const notice of notices) {
      await this.opts.client.notice(encodeResponseNotice(notice));
      await this.opts.client.voucher(this.opts.contract, postResponseCallData(notice));
    }
  }

  private async generate(
    engine: BackendEngine,
    input: PromptInput,
    responseIndex: 0 | 1,
    inputIndex: number,
    tag: string,
    modelHash: Hex,
  ): Promise<ResponseNotice> {
    const seed = deriveSeed(input.conversationId, responseIndex);
    const started = performance.now();
    const result = await this.engineCall(
      () => engine.generate({ prompt: input.prompt, steps: input.steps, ...samplingFloats(input), seed }),
      `generating response ${responseIndex}`,
    );
    const seconds = (performance.now() - started) / 1000;
    const generated = result.tokens.length - result.promptTokens;
    this.opts.log.info(
      `${tag}: response ${responseIndex}: ${generated} tokens, ${result.bytes.length} bytes in ${seconds.toFixed(2)} s ` +
        `(${(generated / Math.max(seconds, 1e-9)).toFixed(1)} tokens/s, ${engine.backend})`,
    );
    return {
      conversationId: input.conversationId,
      responseIndex,
      inputIndex,
      bytes: result.bytes,
      tokens: [...result.tokens],
      promptTokens: result.promptTokens,
      seed,
      steps: input.steps,
      temperatureMilli: input.temperatureMilli,
      topPMilli: input.topPMilli,
      modelHash,
      engineVersion: this.opts.engineVersion,
    };
  }

  /**
   * A teach input: its preferences join the training queue (a refused one changes nothing), then a bounded number of
   * steps run; a finished version is announced by a `model` notice and a registerModel voucher. Training failures are
   * reported and the job dropped, but the input is accepted: the failure is a pure function of the inputs, so every
   * replay drops it the same way (a reject would roll the machine back while a host-mode process keeps its state).
   */
  private async teach(input: TeachInput, inputIndex: number, tag: string): Promise<void> {
    const teacher = this.opts.teacher;
    if (!teacher)
      throw new RejectError(
        'bad-payload',
        'this backend was started without fine-tuning, so it cannot take teach inputs; deploy it with training enabled',
      );
    if (input.conversationIds.length > 0) {
      const q = teacher.enqueue(input, inputIndex);
      this.opts.log.info(
        `${tag}: teach: ${q.pairs} pair(s) (${q.identical} with identical responses left out), dataset ${q.commitment}` +
          (q.ahead > 0 ? `, ${q.ahead} job(s) ahead` : ''),
      );
    } else if (!teacher.busy) {
      await this.opts.client.report(
        encodeErrorReport(
          'teach-nothing-to-train',
          'nothing to train: no teach input is waiting or in training; send one with TrustAndTeach.teach(ids)',
        ),
      );
      return;
    }
    const started = performance.now();
    const work = await teacher.work();
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (work.failed) {
      this.opts.log.error(
        `${tag}: training the dataset of input ${work.failed.teachInputIndex} failed: ${work.failed.message}`,
      );
      await this.opts.client.report(
        encodeErrorReport(
          'teach-failed',
          `training the dataset of teach input ${work.failed.teachInputIndex} failed (${work.failed.message}); it was ` +
            'dropped and the next teach input starts from the latest model',
        ),
      );
    }
    if (work.progress) {
      const p = work.progress;
      const last = p.metrics[p.metrics.length - 1];
      this.opts.log.info(
        `${tag}: trained ${p.metrics.length} step(s) of input ${p.teachInputIndex}'s ${p.pairs} pairs in ${seconds} s: ` +
          `step ${p.step}/${p.totalSteps}${last ? `, loss ${last.loss.toFixed(4)}` : ''}`,
      );
      await this.opts.client.notice(encodeTeachNotice(p));
    }
    if (work.model) {
      this.opts.log.info(
        `${tag}: model version ${work.model.modelHash} complete (parent ${work.model.parentHash})`,
      );
      await this.opts.client.notice(encodeTeachNotice(work.model));
      await this.opts.client.voucher(this.opts.contract, registerModelCallData(work.model));
    }
  }

  /** The engine of a model: the base, or a fine-tuned version the teacher made (loaded on first use). */
  private async engineFor(hash: Hex): Promise<BackendEngine> {
    if (hash === this.opts.model.hash.toLowerCase()) return this.currentEngine();
    if (this.versionEngine?.hash === hash) return this.versionEngine.engine;
    const checkpoint = this.opts.teacher?.checkpointOf(hash);
    if (!checkpoint || !this.opts.loadModelEngine)
      throw new RejectError(
        'unknown-model',
        `model ${hash} is neither the base nor a version this backend trained; prompt a version registered on chain`,
      );
    const previous = this.versionEngine;
    this.versionEngine = undefined;
    previous?.engine.dispose();
    const engine = await this.engineCall(
      () => this.opts.loadModelEngine!(checkpoint),
      `loading model ${hash}`,
    );
    this.versionEngine = { hash, engine };
    return engine;
  }

  /** Runs an engine call; a throw becomes an engine-error reject and the engine is reloaded before its next use. */
  private engineCall<T>(fn: () => T, what: string): T {
    try {
      const out = fn();
      if (out instanceof Promise) {
        return out.catch((err: unknown) => {
          throw this.engineFailed(err, what);
        }) as T;
      }
      return out;
    } catch (err) {
      throw this.engineFailed(err, what);
    }
  }

  private engineFailed(err: unknown, what: string): RejectError {
    this.opts.log.error(`engine failed while ${what}: ${describe(err, true)}; it will be reloaded`);
    const broken = this.engine;
    this.engine = undefined;
    const version = this.versionEngine;
    this.versionEngine = undefined;
    try {
      version?.engine.dispose();
      broken?.dispose();
    } catch {
      // already broken; the reload replaces it
    }
    return new RejectError(
      'engine-error',
      `the inference engine failed while ${what} (${describe(err)}); the input was rejected and the engine reloaded. ` +
        'Sending the same prompt again gives the same result, so this is a bug: please report it with this message.',
    );
  }

  private async currentEngine(): Promise<BackendEngine> {
    if (this.engine) return this.engine;
    try {
      this.engine = await this.opts.loadEngine();
    } catch (err) {
      this.opts.log.error(`could not load the engine: ${describe(err, true)}`);
      throw new RejectError(
        'engine-error',
        `the inference engine could not be loaded (${describe(err)}); the input was rejected`,
      );
    }
    return this.engine;
  }
}
