// Runs engine loads in a worker thread, so the test can tell a hang (no answer in time: the worker is terminated)
// from an error, and a crash of the thread from a clean LlmError. One message in, one answer out.
import { parentPort, workerData } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { LlmError, loadEngine, loadTokenizer } from '@tt/llm';
import { wasmPaths } from '@tt/llm/node';

export interface LoaderCase {
  id: number;
  what: 'engine' | 'tokenizer' | 'generate';
  checkpoint?: Uint8Array;
  tokenizer: Uint8Array;
  /** For 'generate': arguments passed to engine.generate as they are (any type, any value). */
  args?: Record<string, unknown>;
}
export interface LoaderAnswer {
  id: number;
  ok: boolean;
  /** For ok loads: what generation / encoding afterwards did. */
  after?: string;
  errorName?: string;
  code?: string;
  message?: string;
}

const backend = (workerData as { backend: 'simd' | 'scalar' }).backend;
const wasm = await WebAssembly.compile(readFileSync(wasmPaths()[backend]));

function describe(e: unknown): Pick<LlmAnswerErr, 'errorName' | 'code' | 'message'> {
  if (e instanceof LlmError) return { errorName: 'LlmError', code: e.code, message: e.message };
  const err = e as Error;
  return { errorName: err?.constructor?.name ?? typeof e, message: String(err?.message ?? e) };
}
type LlmAnswerErr = Required<Pick<LoaderAnswer, 'errorName' | 'message'>> & { code?: string };

const engines = new Map<string, Awaited<ReturnType<typeof loadEngine>>>();

async function run(c: LoaderCase): Promise<LoaderAnswer> {
  try {
    if (c.what === 'generate') {
      const key = `${c.checkpoint!.length}:${c.tokenizer.length}`;
      let engine = engines.get(key);
      if (!engine) {
        engine = await loadEngine({ checkpoint: c.checkpoint!, tokenizer: c.tokenizer, backend, wasm });
        engines.set(key, engine);
      }
      const r = engine.generate(c.args as never);
      if (r.tokens.some((t) => !Number.isInteger(t) || t < 0 || t >= engine.config.vocabSize))
        return { id: c.id, ok: false, errorName: 'BadToken', message: `token out of range: ${r.tokens}` };
      return {
        id: c.id,
        ok: true,
        after: `tokens ${r.tokens.join(',')} bytes ${Buffer.from(r.bytes).toString('hex')}`,
      };
    }
    if (c.what === 'tokenizer') {
      const tok = await loadTokenizer({ tokenizer: c.tokenizer, backend, wasm });
      // a tokenizer that loaded must encode and decode without trapping
      let after = 'encoded';
      try {
        const ids = tok.encode(Uint8Array.from([0x4f, 0x6e, 0x63, 0x65, 0xff, 0x00, 0xe2, 0x82]));
        for (let i = 1; i < ids.length; i++) tok.decode(ids[i - 1]!, ids[i]!);
      } catch (e) {
        if (!(e instanceof LlmError)) return { id: c.id, ok: false, ...describe(e), after: 'encode' };
        after = `encode: LlmError ${e.code}`;
      }
      tok.dispose();
      return { id: c.id, ok: true, after };
    }
    const engine = await loadEngine({ checkpoint: c.checkpoint!, tokenizer: c.tokenizer, backend, wasm });
    let after = 'generated';
    try {
      const steps = Math.min(engine.config.seqLen, 6);
      const r = engine.generate({ prompt: 'Hi', steps, temperature: 0.9, topp: 0.9, seed: 7n });
      if (r.tokens.some((t) => t < 0 || t >= engine.config.vocabSize))
        return { id: c.id, ok: false, errorName: 'BadToken', message: `token out of range: ${r.tokens}` };
    } catch (e) {
      if (!(e instanceof LlmError)) return { id: c.id, ok: false, ...describe(e), after: 'generate' };
      after = `generate: LlmError ${e.code}`;
    }
    engine.dispose();
    return { id: c.id, ok: true, after };
  } catch (e) {
    return { id: c.id, ok: false, ...describe(e) };
  }
}

parentPort!.on('message', (c: LoaderCase) => {
  void run(c).then((a) => parentPort!.postMessage(a));
});
parentPort!.postMessage({ ready: true });
