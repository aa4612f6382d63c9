/// <reference lib="webworker" />
// Runs the deterministic engine off the main thread: the page stays responsive while a response is re-generated token
// by token. The model is fetched from the node once, hashed (the caller compares the hash with the contract's), and
// kept for later requests. The engine is this UI's own, checked against the hashes pinned at build time (pinned.ts):
// nothing the node serves is ever executed.
import { loadEngine, modelHash, type Engine } from '@tt/llm';
import { ENGINE_SHA256 } from 'virtual:tt-engine-pins';
import { pinnedEngine } from './pinned.ts';
import type { FromWorker, GenerateRequest, ModelSource, ToWorker } from './protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

let engine: Promise<Engine> | null = null;

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

async function load(source: ModelSource): Promise<Engine> {
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
  const e = await loadEngine({
    checkpoint: checkpoint!,
    tokenizer: tokenizer!,
    backend: 'auto',
    // every build loadEngine may pick, each checked against its pin: no build is ever fetched from elsewhere
    wasm: await pinnedEngine(),
    threads: engineThreads(),
  });
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
      modelHash: await modelHash(checkpoint!, tokenizer!),
      backend: e.backend,
      threads: e.threads,
      threadsNote: e.threadsUnavailable ?? e.simdRefused,
      bytes: checkpoint!.length + tokenizer!.length,
      engine: { file: `llm-${build}.wasm`, sha256: ENGINE_SHA256[`llm-${build}.wasm`]! },
    },
  });
  return e;
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

self.onmessage = async (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  if (msg.type === 'load') {
    engine ??= load(msg.source);
    engine.catch((err: unknown) => {
      engine = null;
      post({ type: 'loadError', message: (err as Error).message ?? String(err) });
    });
    return;
  }
  if (!engine) {
    post({ type: 'error', id: msg.id, message: 'The model is not loaded yet.' });
    return;
  }
  try {
    const e = await engine;
    if (msg.type === 'count')
      post({ type: 'count', id: msg.id, tokens: e.encode(msg.text, { bos: true }).length });
    else generate(e, msg.id, msg.request);
  } catch (err) {
    post({ type: 'error', id: msg.id, message: (err as Error).message ?? String(err) });
  }
};
