// The page's handle on the model worker: one worker per model source, loaded on first use, with promise-based calls
// and a subscribable load state for the components.
import { TtError, type Hex, type TtErrorCode } from '@tt/client';
import type { DeriveProgress } from './derive-progress.ts';
import type { FromWorker, GenerateRequest, LoadedModel, ModelSource, ToWorker } from './protocol.ts';
import type { Held, VersionJob } from './versionStore.ts';

export type ModelLoad =
  | { phase: 'idle' }
  | { phase: 'loading'; loaded: number; total: number | null }
  | { phase: 'ready'; model: LoadedModel }
  | { phase: 'error'; message: string };

export interface GenerateResultMsg {
  bytes: Uint8Array;
  tokens: number[];
  promptTokens: number;
  ms: number;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  onToken?: (pos: number, steps: number) => void;
  onProgress?: (p: DeriveProgress) => void;
}

export class ModelClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private listeners = new Set<(s: ModelLoad) => void>();
  private loadState: ModelLoad = { phase: 'idle' };
  private readyWaiters: { resolve: (m: LoadedModel) => void; reject: (e: Error) => void }[] = [];
  /** Model hashes the worker holds (the versions it re-derived or was given), lower-case. */
  private held = new Set<string>();

  constructor(readonly source: ModelSource) {}

  get state(): ModelLoad {
    return this.loadState;
  }

  subscribe(fn: (s: ModelLoad) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private setState(s: ModelLoad): void {
    this.loadState = s;
    for (const l of this.listeners) l(s);
  }

  /** Starts loading the model (once); resolves when it is ready. */
  load(): Promise<LoadedModel> {
    if (this.loadState.phase === 'ready') return Promise.resolve(this.loadState.model);
    const waiter = new Promise<LoadedModel>((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
    if (this.loadState.phase !== 'loading') {
      if (!this.worker) {
        this.worker = new Worker(new URL('./model.worker.ts', import.meta.url), {
          type: 'module',
          name: 'tt-model',
        });
        this.worker.onmessage = (ev: MessageEvent<FromWorker>) => this.onMessage(ev.data);
        this.worker.onerror = (ev) => this.failLoad(ev.message || 'The model worker failed to start.');
      }
      this.setState({ phase: 'loading', loaded: 0, total: null });
      this.send({ type: 'load', source: this.source });
    }
    return waiter;
  }

  async countTokens(text: string): Promise<number> {
    await this.load();
    return (await this.call({ type: 'count', id: 0, text })) as number;
  }

  /** Re-runs a response; `modelHash`: a fine-tuned version the worker holds (default: the base). */
  async generate(
    request: GenerateRequest,
    onToken?: (pos: number, steps: number) => void,
    modelHash?: Hex,
  ): Promise<GenerateResultMsg> {
    await this.load();
    return (await this.call(
      { type: 'generate', id: 0, request, ...(modelHash ? { modelHash } : {}) },
      { onToken },
    )) as GenerateResultMsg;
  }

  /** True when the worker holds this model (the base once loaded, or a version derived or given this session). */
  holds(modelHash: string): boolean {
    return this.held.has(modelHash.toLowerCase());
  }

  /** Re-derives a fine-tuned version from what the chain says (job); aborting `signal` stops it. */
  async derive(
    job: VersionJob,
    onProgress?: (p: DeriveProgress) => void,
    signal?: AbortSignal,
  ): Promise<Held> {
    await this.load();
    return this.track(
      this.call({ type: 'derive', id: 0, job }, { onProgress }, (id) => {
        const cancel = () => this.worker?.postMessage({ type: 'cancel', target: id });
        if (signal?.aborted) cancel();
        else signal?.addEventListener('abort', cancel, { once: true });
      }),
    );
  }

  /** A weights file for a version: held when it hashes to the version's registered hash, refused otherwise. */
  async useWeights(bytes: Uint8Array, version: { version: number; modelHash: Hex }): Promise<Held> {
    await this.load();
    return this.track(this.call({ type: 'weights', id: 0, bytes, version }));
  }

  /** The weights of a held version (a copy), to save as a file. */
  async weightsOf(modelHash: Hex): Promise<Uint8Array> {
    await this.load();
    return (await this.call({ type: 'save', id: 0, modelHash })) as Uint8Array;
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    this.held.clear();
    for (const p of this.pending.values()) p.reject(new Error('The model worker was stopped.'));
    this.pending.clear();
  }

  private async track(p: Promise<unknown>): Promise<Held> {
    const held = (await p) as Held;
    this.held.add(held.modelHash.toLowerCase());
    return held;
  }

  private call(
    msg: Extract<ToWorker, { id: number }>,
    hooks: Pick<Pending, 'onToken' | 'onProgress'> = {},
    sent?: (id: number) => void,
  ): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, ...hooks });
      this.send({ ...msg, id });
      sent?.(id);
    });
  }

  private send(msg: ToWorker): void {
    this.worker!.postMessage(msg);
  }

  private failLoad(message: string): void {
    this.setState({ phase: 'error', message });
    for (const w of this.readyWaiters.splice(0)) w.reject(new Error(message));
  }

  private onMessage(msg: FromWorker): void {
    switch (msg.type) {
      case 'progress':
        this.setState({ phase: 'loading', loaded: msg.loaded, total: msg.total });
        return;
      case 'loaded':
        this.held.add(msg.model.modelHash.toLowerCase());
        this.setState({ phase: 'ready', model: msg.model });
        for (const w of this.readyWaiters.splice(0)) w.resolve(msg.model);
        return;
      case 'loadError':
        this.failLoad(`Could not load the model from ${this.source.modelUrl}: ${msg.message}`);
        return;
      case 'count':
        this.pending.get(msg.id)?.resolve(msg.tokens);
        this.pending.delete(msg.id);
        return;
      case 'token':
        this.pending.get(msg.id)?.onToken?.(msg.pos, msg.steps);
        return;
      case 'done':
        this.pending
          .get(msg.id)
          ?.resolve({ bytes: msg.bytes, tokens: msg.tokens, promptTokens: msg.promptTokens, ms: msg.ms });
        this.pending.delete(msg.id);
        return;
      case 'deriveProgress':
        this.pending.get(msg.id)?.onProgress?.(msg.progress);
        return;
      case 'held':
        this.pending.get(msg.id)?.resolve({ modelHash: msg.modelHash, source: msg.source });
        this.pending.delete(msg.id);
        return;
      case 'saved':
        this.pending.get(msg.id)?.resolve(msg.bytes);
        this.pending.delete(msg.id);
        return;
      case 'error':
        this.pending
          .get(msg.id)
          ?.reject(
            msg.code ? new TtError(msg.code as TtErrorCode, msg.message, msg.hint) : new Error(msg.message),
          );
        this.pending.delete(msg.id);
        return;
    }
  }
}

const clients = new Map<string, ModelClient>();

/** One client per model URL for the whole page, so the composer and Verify share a loaded model. */
export function modelClientFor(source: ModelSource): ModelClient {
  const key = source.modelUrl;
  let c = clients.get(key);
  if (!c) clients.set(key, (c = new ModelClient(source)));
  return c;
}
