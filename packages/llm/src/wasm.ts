// Getting the engine's WebAssembly module: from bytes, a compiled Module, or a URL (fetched in browsers, read from
// disk for file: URLs in Node), and choosing between the SIMD and scalar builds.
import { llmError } from './errors.ts';

export type Backend = 'simd' | 'scalar';
export type BackendChoice = Backend | 'auto';
export type WasmSource = Uint8Array | ArrayBuffer | WebAssembly.Module | URL | string;

/**
 * The exports of c/*.c, as the module declares them (pointers are byte offsets into `memory`; `ctx` is the
 * engine's TTContext, made by tt_context_new).
 */
export interface EngineExports {
  memory: WebAssembly.Memory;
  tt_alloc(nbytes: number): number;
  tt_context_new(): number;
  tt_load_model(ctx: number, ptr: number, nbytes: number): number;
  tt_load_tokenizer(ctx: number, ptr: number, nbytes: number): number;
  tt_load_tokenizer_only(ctx: number, ptr: number, nbytes: number): number;
  tt_vocab_size(ctx: number): number;
  tt_config(ctx: number): number;
  tt_last_error(ctx: number): number;
  tt_logits(ctx: number): number;
  tt_forward(ctx: number, token: number, pos: number): number;
  tt_encode(ctx: number, text: number, len: number, bos: number, eos: number, out: number): number;
  tt_decode(ctx: number, prev: number, token: number, out: number): number;
  tt_max_piece_len(ctx: number): number;
  tt_tokenizer_pieces(ctx: number): number;
  tt_generate_begin(
    ctx: number,
    text: number,
    len: number,
    steps: number,
    temperature: number,
    topp: number,
    seedLo: number,
    seedHi: number,
  ): number;
  tt_step(ctx: number): number;
  tt_gen(ctx: number): number;
  tt_gen_tokens(ctx: number): number;
  tt_gen_out(ctx: number): number;
  /** Only in the SIMD builds (c/matmul.c), for src/selfcheck.ts. */
  tt_simd_check?(a: number, b: number, prod: number, sum: number, n: number): void;
  /** Only in the threaded build (c/threads.c). */
  tt_threads_init?(ctx: number, n: number): number;
  tt_threads_stop?(ctx: number): void;
}

/** A build of the engine: one per backend, and the SIMD build split across threads. */
export type Build = Backend | 'simd-threads';

/** Where the builds sit next to this package's sources. Literal `new URL(…, import.meta.url)` so Vite copies them. */
export function defaultWasmUrl(build: Build): URL {
  if (build === 'simd-threads') return new URL('../dist/llm-simd-threads.wasm', import.meta.url);
  return build === 'simd'
    ? new URL('../dist/llm-simd.wasm', import.meta.url)
    : new URL('../dist/llm-scalar.wasm', import.meta.url);
}

// A module with one function returning a v128 constant: valid only where SIMD128 is supported.
const SIMD_PROBE = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // magic, version
  ...[0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b], // type section: () -> v128
  ...[0x03, 0x02, 0x01, 0x00], // function section: one function of type 0
  ...[0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c], // code section: one body, no locals, v128.const …
  ...new Array<number>(16).fill(0), // … 16 zero bytes
  0x0b, // end
]);

export function simdSupported(): boolean {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/**
 * Why this runtime's SIMD is known not to give the bits every other machine gives, or null. On riscv64, V8's f32x4
 * arithmetic rounds toward zero on CPUs with the vector extension (seen under qemu); without the extension it has
 * no SIMD at all. The load-time self-check (selfcheck.ts) catches such arithmetic anywhere; this refuses it before.
 */
export function simdDistrusted(): string | null {
  const arch = (globalThis as { process?: { arch?: string } }).process?.arch;
  if (arch === 'riscv64')
    return "WebAssembly SIMD is not trusted on riscv64: V8's f32x4 arithmetic there rounds toward zero on CPUs with the vector extension, so its results would differ from every other machine's";
  return null;
}

export function resolveBackend(choice: BackendChoice = 'auto'): Backend {
  if (choice === 'auto') return simdSupported() && !simdDistrusted() ? 'simd' : 'scalar';
  const distrust = choice === 'simd' ? simdDistrusted() : null;
  if (distrust) throw llmError('simd-untrusted', `${distrust}: use backend "scalar" or "auto"`);
  if (choice === 'simd' && !simdSupported()) throw llmError('simd-unsupported');
  if (choice !== 'simd' && choice !== 'scalar')
    throw llmError('bad-argument', `unknown backend '${String(choice)}': use simd, scalar or auto`);
  return choice;
}

interface NodeProcess {
  getBuiltinModule?(id: string): unknown;
}

async function readUrl(url: URL): Promise<Uint8Array> {
  if (url.protocol === 'file:') {
    // Node's fetch cannot read file: URLs; getBuiltinModule reaches fs without an import a browser bundler would see.
    const proc = (globalThis as { process?: NodeProcess }).process;
    const fs = proc?.getBuiltinModule?.('node:fs') as { readFileSync(u: URL): Uint8Array } | undefined;
    if (!fs)
      throw llmError(
        'wasm-unavailable',
        `cannot read ${url.href} in this runtime: pass the .wasm bytes or an http(s) URL`,
      );
    try {
      return fs.readFileSync(url);
    } catch (e) {
      throw llmError(
        'wasm-unavailable',
        `cannot read the engine at ${url.href} (${(e as Error).message}): run \`pnpm --filter @tt/llm build\``,
      );
    }
  }
  const res = await fetch(url);
  if (!res.ok)
    throw llmError('wasm-unavailable', `fetching the engine from ${url.href} gave HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

export async function compileWasm(source: WasmSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  let bytes: Uint8Array;
  if (source instanceof Uint8Array) bytes = source;
  else if (source instanceof ArrayBuffer) bytes = new Uint8Array(source);
  else
    bytes = await readUrl(typeof source === 'string' ? new URL(source, globalThis.location?.href) : source);
  try {
    return await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  } catch (e) {
    throw llmError('wasm-unavailable', `the engine .wasm does not compile: ${(e as Error).message}`);
  }
}

/**
 * Instantiates a build: the single-thread builds import nothing; the threaded build imports exactly its shared
 * memory (env.memory), given here.
 */
export async function instantiate(
  mod: WebAssembly.Module,
  memory?: WebAssembly.Memory,
): Promise<EngineExports> {
  const imports = WebAssembly.Module.imports(mod).map((i) => `${i.module}.${i.name}`);
  const expected = memory ? ['env.memory'] : [];
  if (JSON.stringify(imports) !== JSON.stringify(expected)) {
    throw llmError(
      'wasm-unavailable',
      memory
        ? `the threaded engine .wasm must import only its memory (env.memory), this one imports ${JSON.stringify(imports)}`
        : 'the engine .wasm must import nothing; this one has imports, so it is not ours',
    );
  }
  const instance = await WebAssembly.instantiate(mod, memory ? { env: { memory } } : {});
  const exports = instance.exports as unknown as EngineExports;
  return memory ? { ...exports, memory } : exports;
}

/** The source for backend from one source, one per backend, or none (then fallback(backend), the package's own). */
export function pickWasmSource(
  backend: Backend,
  wasm: WasmSource | Partial<Record<Backend, WasmSource>> | undefined,
  fallback: (b: Backend) => URL,
): WasmSource {
  if (wasm === undefined) return fallback(backend);
  if (
    wasm instanceof Uint8Array ||
    wasm instanceof ArrayBuffer ||
    wasm instanceof WebAssembly.Module ||
    wasm instanceof URL ||
    typeof wasm === 'string'
  )
    return wasm;
  return wasm[backend] ?? fallback(backend);
}
