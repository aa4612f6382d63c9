// The page's handle on the model worker: one worker per model source, loaded on first use, with promise-based calls
// and a subscribable load state for the components.
import type { FromWorker, GenerateRequest, LoadedModel, ModelSource, ToWorker } from './protocol.ts';

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
}

export class ModelClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private listeners = new Set<(s: ModelLoad) => void>();
  private loadState: ModelLoad = { phase: 'idle' };
  private readyWaiters: { resolve: (m: LoadedModel) => void; reject: (e: Error) => void }[] = [];

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

  async generate(
    request: GenerateRequest,
    onToken?: (pos: number, steps: number) => void,
  ): Promise<GenerateResultMsg> {
    await this.load();
    return (await this.call({ type: 'generate', id: 0, request }, onToken)) as GenerateResultMsg;
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    for (const p of this.pending.values()) p.reject(new Error('The model worker was stopped.'));
    this.pending.clear();
  }

  private call(msg: Extract<ToWorker, { id: number }>, onToken?: Pending['onToken']): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onToken });
      this.send({ ...msg, id });
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
      case 'error':
        this.pending.get(msg.id)?.reject(new Error(msg.message));
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
