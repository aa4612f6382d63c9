// Generation split across threads (the threaded build, c/threads.c): n - 1 workers, each an instance of the same
// module on the caller's shared memory, take their share of every matmul and of the attention heads. Each output is
// its own sum, so the split changes no bit. Needs SharedArrayBuffer: Node, or a cross-origin isolated page
// (COOP/COEP headers); elsewhere the engine runs on one thread and says why (threadsUnavailable).
import { llmError } from './errors.ts';
import type { EngineExports } from './wasm.ts';

/** The threaded build's memory in 64 KiB pages, as scripts/targets.ts links it. */
export const THREADED_INITIAL_PAGES = 16;
export const THREADED_MAX_PAGES = 65536;
const STACK_BYTES = 256 * 1024;

interface NodeWorker {
  postMessage(msg: unknown): void;
  on(ev: 'message', fn: (msg: WorkerReply) => void): void;
  on(ev: 'error', fn: (e: Error) => void): void;
  unref(): void;
  terminate(): Promise<number>;
}
interface NodeWorkerThreads {
  Worker: new (url: URL) => NodeWorker;
}
type WorkerReply = { ready?: number; stopped?: number; error?: string };

function nodeWorkerThreads(): NodeWorkerThreads | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process;
  return proc?.getBuiltinModule?.('node:worker_threads') as NodeWorkerThreads | undefined;
}

/** Why this runtime cannot run engine threads, or null when it can. */
export function threadsUnavailable(): string | null {
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown };
  if (typeof SharedArrayBuffer === 'undefined' || g.crossOriginIsolated === false)
    return 'SharedArrayBuffer is unavailable: the page is not cross-origin isolated (it needs the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
  if (!nodeWorkerThreads() && typeof g.Worker !== 'function') return 'this runtime has no workers';
  return null;
}

export function sharedMemory(): WebAssembly.Memory {
  return new WebAssembly.Memory({
    initial: THREADED_INITIAL_PAGES,
    maximum: THREADED_MAX_PAGES,
    shared: true,
  });
}

export interface EngineThreads {
  /** Threads taking part in a generation, the caller's included. */
  readonly count: number;
  stop(): void;
}

interface Handle {
  post(msg: unknown): void;
  onReply(fn: (msg: WorkerReply) => void): void;
  end(): void;
}

function spawn(): Handle {
  const url = new URL('./thread-worker.js', import.meta.url);
  const wt = nodeWorkerThreads();
  if (wt) {
    const w = new wt.Worker(url);
    w.unref(); // a forgotten engine must not keep Node running
    return {
      post: (m) => w.postMessage(m),
      onReply: (fn) => {
        w.on('message', fn);
        w.on('error', (e) => fn({ error: e.message }));
      },
      end: () => void w.terminate(),
    };
  }
  // The literal new Worker(new URL(…, import.meta.url)) is what bundlers (Vite) recognise and bundle.
  const w = new Worker(new URL('./thread-worker.js', import.meta.url), {
    type: 'module',
    name: 'tt-engine-thread',
  });
  return {
    post: (m) => w.postMessage(m),
    onReply: (fn) => {
      w.onmessage = (e: MessageEvent<WorkerReply>) => fn(e.data);
      w.onerror = (e) => fn({ error: e.message || 'the engine thread failed to start' });
    },
    end: () => w.terminate(),
  };
}

/** Starts count - 1 workers on the instance's shared memory and waits until each is parked in tt_worker. */
export async function startThreads(
  mod: WebAssembly.Module,
  x: EngineExports,
  ctx: number,
  count: number,
): Promise<EngineThreads> {
  const handles: Handle[] = [];
  const stopAll = () => {
    x.tt_threads_stop!(ctx);
    for (const h of handles) h.end();
  };
  try {
    await Promise.all(
      Array.from({ length: count - 1 }, (_, i) => {
        const index = i + 1;
        const stack = x.tt_alloc(STACK_BYTES);
        if (stack === 0) throw llmError('out-of-memory', 'could not get memory for the engine threads');
        const h = spawn();
        handles.push(h);
        return new Promise<void>((resolve, reject) => {
          h.onReply((m) => {
            if (m.ready === index) resolve();
            else if (m.error) reject(llmError('wasm-unavailable', m.error));
          });
          h.post({ module: mod, memory: x.memory, ctx, index, stackTop: (stack + STACK_BYTES) & ~15 });
        });
      }),
    );
  } catch (e) {
    stopAll();
    throw e;
  }
  if (x.tt_threads_init!(ctx, count) !== 0) {
    stopAll();
    throw llmError('bad-argument', `cannot run ${count} engine threads`);
  }
  return { count, stop: stopAll };
}
