/// <reference lib="webworker" />
// Runs the deterministic engine off the main thread: the page stays responsive while a response is re-generated token
// by token. The model is fetched from the node once, hashed (the caller compares the hash with the contract's), and
// kept for later requests. The engine is this UI's own, checked against the hashes pinned at build time (pinned.ts):
// nothing the node serves is ever executed. Fine-tuned versions are re-derived here too, with the UI's own pinned
// trainer, and kept by model hash for the session (versionStore.ts).
import { TtError } from '@tt/client';
import { loadEngine, modelHash, type Engine } from '@tt/llm';
import { ENGINE_SHA256 } from 'virtual:tt-engine-pins';
import { pinnedEngine, pinnedTrainer } from './pinned.ts';
import type { FromWorker, GenerateRequest, ModelSource, ToWorker } from './protocol.ts';
import { VersionStore } from './versionStore.ts';

declare const self: DedicatedWorkerGlobalScope;

/** The base model's engine and the versions held, once the base is loaded. */
let loaded: Promise<{ engine: Engine; store: VersionStore }> | null = null;
/** Re-derivations running, by request id, to cancel them. */
const running = new Map<number, AbortController>();

function post(msg: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer);
}

/** Downloads several files and reports the combined progress (total known once every server sent a length). */
async function fetchAll(urls: string[]): Promise<Uint8Array[]> {
  const responses = await Promise.all(
    urls.map(async (u) => {
      const r = await fetch(u);
      if (!r.ok) throw new Error(`GET ${u} answered ${r.status}`);
      return r;
    }),
  );
  const lengths = responses.map((r) => Number(r.headers.get('content-length') ?? NaN));
  const total = lengths.every(Number.isFinite) ? lengths.reduce((a, b) => a + b, 0) : null;
  let loaded = 0;
  let lastPost = 0;
  return Promise.all(
    responses.map(async (r) => {
      if (!r.body) return new Uint8Array(await r.arrayBuffer());
      const chunks: Uint8Array[] = [];
      const reader = r.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        loaded += value.length;
        const now = performance.now();
        if (now - lastPost > 100) {
          lastPost = now;
          post({ type: 'progress', loaded, total });
        }
      }
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let o = 0;
      for (const c of chunks) {
        out.set(c, o);
        o += c.length;
      }
      return out;
    }),
  );
}

/** /models/manifest.json as the devnet writes it; every field optional so another node's file still works. */
interface Manifest {
  files?: { checkpoint?: { url?: string }; tokenizer?: { url?: string } };
}

/**
 * Threads for the engine: the cores the browser reports (at most 4: stories-sized models gain little beyond), where
 * the page is cross-origin isolated (SharedArrayBuffer); the engine itself falls back to one thread otherwise and
 * says why. The bits are the same on any number of threads.
 */
function engineThreads(): number {
  if (!self.crossOriginIsolated) return 1;
  return Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1));
}

async function load(source: ModelSource): Promise<{ engine: Engine; store: VersionStore }> {
  const base = `${source.modelUrl}/`;
  let manifest: Manifest = {};
  try {
    const r = await fetch(new URL('manifest.json', base));
    if (r.ok) manifest = (await r.json()) as Manifest;
  } catch {
    // No manifest: use the documented file names.
  }
  const [checkpoint, tokenizer] = await fetchAll([
    new URL(manifest.files?.checkpoint?.url ?? 'checkpoint.bin', base).href,
    new URL(manifest.files?.tokenizer?.url ?? 'tokenizer.bin', base).href,
  ]);
  // every build loadEngine may pick, each checked against its pin: no build is ever fetched from elsewhere
  const wasm = await pinnedEngine();
  const baseHash = await modelHash(checkpoint!, tokenizer!);
  const store = new VersionStore({
    baseCheckpoint: checkpoint!,
    tokenizer: tokenizer!,
    baseHash,
    loadEngine: (ck) =>
      loadEngine({ checkpoint: ck, tokenizer: tokenizer!, backend: 'auto', wasm, threads: engineThreads() }),
    trainerWasm: pinnedTrainer,
  });
  const e = await store.engine(baseHash);
  const build = e.threads > 1 ? 'simd-threads' : e.backend;
  post({
    type: 'loaded',
    model: {
      config: {
        dim: e.config.dim,
        nLayers: e.config.nLayers,
        vocabSize: e.config.vocabSize,
        seqLen: e.config.seqLen,
      },
      modelHash: baseHash,
      backend: e.backend,
      threads: e.threads,
      threadsNote: e.threadsUnavailable ?? e.simdRefused,
      bytes: checkpoint!.length + tokenizer!.length,
      engine: { file: `llm-${build}.wasm`, sha256: ENGINE_SHA256[`llm-${build}.wasm`]! },
    },
  });
  return { engine: e, store };
}

function generate(e: Engine, id: number, req: GenerateRequest): void {
  const started = performance.now();
  let lastPost = 0;
  const result = e.generate({
    prompt: req.prompt,
    steps: req.steps,
    temperature: req.temperature,
    topp: req.topp,
    seed: BigInt(req.seed),
    onToken: (_token, pos) => {
      const now = performance.now();
      if (now - lastPost > 50 || pos === req.steps) {
        lastPost = now;
        post({ type: 'token', id, pos, steps: req.steps });
      }
    },
  });
  post(
    {
      type: 'done',
      id,
      bytes: result.bytes,
      tokens: result.tokens,
      promptTokens: result.promptTokens,
      ms: performance.now() - started,
    },
    [result.bytes.buffer],
  );
}

/** An error as the page rebuilds it: a TtError keeps its code and next step. */
function errorOf(id: number, err: unknown): FromWorker {
  const e = err as { message?: string; code?: unknown; hint?: unknown };
  return {
    type: 'error',
    id,
    message: e?.message ?? String(err),
    ...(err instanceof TtError ? { code: err.code, ...(err.hint ? { hint: err.hint } : {}) } : {}),
  };
}

async function handle(msg: Exclude<ToWorker, { type: 'load' } | { type: 'cancel' }>): Promise<void> {
  const { engine, store } = await loaded!;
  switch (msg.type) {
    case 'count':
      post({ type: 'count', id: msg.id, tokens: engine.encode(msg.text, { bos: true }).length });
      return;
    case 'generate':
      generate(msg.modelHash ? await store.engine(msg.modelHash) : engine, msg.id, msg.request);
      return;
    case 'derive': {
      const ac = new AbortController();
      running.set(msg.id, ac);
      try {
        const held = await store.derive(
          msg.job,
          (progress) => post({ type: 'deriveProgress', id: msg.id, progress }),
          ac.signal,
        );
        post({ type: 'held', id: msg.id, ...held });
      } finally {
        running.delete(msg.id);
      }
      return;
    }
    case 'weights':
      post({ type: 'held', id: msg.id, ...(await store.addWeights(msg.bytes, msg.version)) });
      return;
    case 'save': {
      const bytes = store.checkpointOf(msg.modelHash).slice();
      post({ type: 'saved', id: msg.id, bytes }, [bytes.buffer]);
      return;
    }
  }
}

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  if (msg.type === 'load') {
    loaded ??= load(msg.source);
    loaded.catch((err: unknown) => {
      loaded = null;
      post({ type: 'loadError', message: (err as Error).message ?? String(err) });
    });
    return;
  }
  if (msg.type === 'cancel') {
    running.get(msg.target)?.abort();
    return;
  }
  if (!loaded) {
    post({ type: 'error', id: msg.id, message: 'The model is not loaded yet.' });
    return;
  }
  handle(msg).catch((err: unknown) => post(errorOf(msg.id, err)));
};
