// The engine as TypeScript sees it: one WebAssembly instance per loaded model. The checkpoint and tokenizer bytes
// are copied into the instance's memory once, checked there by the C code, and used in place.
import {
  readCheckpointHeader,
  expectedCheckpointBytes,
  readLoadedConfig,
  type ModelConfig,
} from './checkpoint.ts';
import { cError, llmError, LlmError } from './errors.ts';
import { simdSelfCheck } from './selfcheck.ts';
import { sharedMemory, startThreads, threadsUnavailable, type EngineThreads } from './threads.ts';
import {
  compileWasm,
  defaultWasmUrl,
  instantiate,
  resolveBackend,
  type Backend,
  type BackendChoice,
  type Build,
  type EngineExports,
  type WasmSource,
} from './wasm.ts';

export const BOS = 1;
export const EOS = 2;

export interface LoadEngineOptions {
  checkpoint: Uint8Array;
  tokenizer: Uint8Array;
  /** 'auto' (default): SIMD where WebAssembly.validate accepts SIMD128, otherwise scalar. */
  backend?: BackendChoice;
  /**
   * The engine build: one source for the chosen backend, or one per build ('simd', 'scalar', 'simd-threads').
   * Default: the package's own dist/llm-<build>.wasm, found next to this file (works in Node and in Vite builds).
   */
  wasm?: WasmSource | Partial<Record<Build, WasmSource>>;
  /**
   * Threads to generate with, the caller's included (default 1). More than one runs the threaded SIMD build, whose
   * results are bit for bit those of one thread; it needs SharedArrayBuffer (Node, or a cross-origin isolated
   * page) and the SIMD backend. Where that is missing the engine runs on one thread and `threadsUnavailable` says
   * why. The caller's thread spins while the others work, so it may be a browser's main thread.
   */
  threads?: number;
}

export interface GenerateOptions {
  /** Raw bytes are used as they are (they need not be valid UTF-8); strings are UTF-8 encoded. */
  prompt: string | Uint8Array;
  /** Total positions including BOS and the prompt, as llama2.c's -n: 1..seqLen, and at least the prompt's tokens. */
  steps: number;
  /** 0 = greedy. Passed to the engine as float32. */
  temperature: number;
  /** In [0, 1]; 0 or 1 = sample from the whole distribution. Passed as float32. */
  topp: number;
  /** 64-bit seed of the sampler's generator. */
  seed: bigint | number;
  /** Called for every token after BOS as it is fixed (prompt tokens first, then generated ones). */
  onToken?: (token: number, pos: number) => void;
  /** Called with the logits of every forward pass; the view is only valid during the call. */
  onLogits?: (logits: Float32Array, pos: number) => void;
}

export interface GenerateResult {
  /** All ids from BOS on: BOS, the prompt's ids, then the generated ids. */
  tokens: number[];
  /** How many of `tokens` are BOS + prompt. */
  promptTokens: number;
  /** The exact bytes the generated tokens decode to (after the prompt), never re-encoded. */
  bytes: Uint8Array;
  /** `bytes` as UTF-8, with U+FFFD for invalid sequences. */
  text: string;
}

const U32 = 2 ** 32;
const utf8 = new TextEncoder();
const utf8Lenient = new TextDecoder('utf-8');

/** Encoding and decoding with a llama2.c tokenizer.bin; the base of Engine, and usable alone (loadTokenizer). */
export class Tokenizer {
  protected ex: EngineExports | null;
  /** The engine's TTContext in the instance's memory. */
  protected readonly ctx: number;
  private textPtr = 0;
  private textCap = 0;
  private idsPtr = 0;
  private idsCap = 0;
  private readonly piecePtr: number;
  /** Pieces in use: the model's vocab_size, or every piece in the file for a tokenizer loaded alone. */
  readonly vocabSize: number;

  /** Use loadEngine() or loadTokenizer(). */
  constructor(ex: EngineExports, ctx: number) {
    this.ex = ex;
    this.ctx = ctx;
    this.vocabSize = ex.tt_vocab_size(ctx);
    this.piecePtr = alloc(ex, ex.tt_max_piece_len(ctx) + 1);
  }

  protected get x(): EngineExports {
    if (!this.ex) throw llmError('disposed');
    return this.ex;
  }

  /** Token ids of text: BOS first unless bos is false; EOS last only when eos is true. */
  encode(text: string | Uint8Array, opts: { bos?: boolean; eos?: boolean } = {}): number[] {
    const bytes = typeof text === 'string' ? utf8.encode(text) : text;
    const x = this.x;
    const textPtr = this.textIn(bytes);
    const n = x.tt_encode(
      this.ctx,
      textPtr,
      bytes.length,
      opts.bos === false ? 0 : 1,
      opts.eos ? 1 : 0,
      this.idsPtr,
    );
    if (n < 0) throw cError(-n, 'while encoding');
    return Array.from(new Int32Array(x.memory.buffer, this.idsPtr, n));
  }

  /** The bytes token adds to the text after prev (drops the dummy-prefix space after BOS; <0xXX> is one raw byte). */
  decode(prev: number, token: number): Uint8Array {
    const x = this.x;
    const n = x.tt_decode(this.ctx, prev | 0, token | 0, this.piecePtr);
    if (n < 0) throw cError(-n, `token ${token}`);
    return new Uint8Array(x.memory.buffer, this.piecePtr, n).slice();
  }

  /** Releases the instance (and with it all its memory). The object cannot be used afterwards. */
  dispose(): void {
    this.ex = null;
  }

  /** Copies text into the instance's scratch space and returns its address. */
  protected textIn(bytes: Uint8Array): number {
    this.reserve(bytes.length);
    new Uint8Array(this.x.memory.buffer, this.textPtr, bytes.length).set(bytes);
    return this.textPtr;
  }

  // Scratch space for encode: grown by doubling, so repeated prompts do not keep taking memory.
  private reserve(textLen: number): void {
    const x = this.x;
    if (textLen + 1 > this.textCap) {
      this.textCap = Math.max(4096, 2 ** Math.ceil(Math.log2(textLen + 1)));
      this.textPtr = alloc(x, this.textCap);
      this.idsCap = 0;
    }
    if ((textLen + 3) * 4 > this.idsCap) {
      this.idsCap = (this.textCap + 3) * 4;
      this.idsPtr = alloc(x, this.idsCap);
    }
  }
}

export class Engine extends Tokenizer {
  readonly config: ModelConfig;
  /** Threads a generation runs on (1 unless loadEngine was asked for more and the runtime allows them). */
  readonly threads: number;

  /** Use loadEngine(). */
  constructor(
    ex: EngineExports,
    ctx: number,
    readonly backend: Backend,
    private readonly pool: EngineThreads | null = null,
    /** Why more threads were asked for but not used, or null. */
    readonly threadsUnavailable: string | null = null,
    /** Why 'auto' chose scalar although the runtime has SIMD (its SIMD failed the self-check), or null. */
    readonly simdRefused: string | null = null,
  ) {
    super(ex, ctx);
    this.threads = pool?.count ?? 1;
    this.config = readLoadedConfig(ex.memory, ex.tt_config(ctx));
  }

  /** One forward pass: writes position pos of the KV cache and returns a copy of the logits. */
  forward(token: number, pos: number): Float32Array {
    const x = this.x;
    if (!Number.isInteger(token) || token < 0 || token >= this.config.vocabSize)
      throw llmError(
        'token-out-of-range',
        `token ${token} is outside the vocabulary 0..${this.config.vocabSize - 1}`,
      );
    if (!Number.isInteger(pos) || pos < 0 || pos >= this.config.seqLen)
      throw llmError(
        'position-out-of-range',
        `position ${pos} is outside the context 0..${this.config.seqLen - 1}`,
      );
    const p = x.tt_forward(this.ctx, token, pos);
    if (p === 0) throw cError(x.tt_last_error(this.ctx));
    return new Float32Array(x.memory.buffer, p, this.config.vocabSize).slice();
  }

  /**
   * Runs the engine's generation loop (c/generate.c) one position at a time, calling the callbacks between
   * positions. The checks here only make the errors say more; the C side checks the same limits.
   */
  generate(opts: GenerateOptions): GenerateResult {
    const x = this.x;
    const ctx = this.ctx;
    const { seqLen, vocabSize } = this.config;
    const { temperature, topp } = opts;
    if (typeof temperature !== 'number' || !Number.isFinite(temperature) || temperature < 0)
      throw llmError(
        'bad-temperature',
        `temperature must be a finite number >= 0, got ${String(temperature)}`,
      );
    if (typeof topp !== 'number' || !(topp >= 0 && topp <= 1))
      throw llmError('bad-top-p', `top-p must be a number in [0, 1], got ${String(topp)}`);
    const seed = toSeed(opts.seed);
    const steps = opts.steps;
    if (!Number.isInteger(steps) || steps < 1 || steps > seqLen)
      throw llmError(
        'bad-steps',
        `steps must be an integer from 1 to the model's context ${seqLen}, got ${String(steps)}`,
      );

    const text = typeof opts.prompt === 'string' ? utf8.encode(opts.prompt) : opts.prompt;
    const rc = x.tt_generate_begin(
      ctx,
      this.textIn(text),
      text.length,
      steps,
      temperature,
      topp,
      Number(seed % BigInt(U32)),
      Number(seed / BigInt(U32)),
    );
    const gen = x.tt_gen(ctx);
    const field = (i: GenField) => new Int32Array(x.memory.buffer, gen, GEN_FIELDS)[i]!;
    const nPrompt = field(GenField.nPrompt);
    if (rc === C_PROMPT_TOO_LONG)
      throw llmError(
        'prompt-too-long',
        `the prompt is ${nPrompt} tokens (with BOS) but the model's context is ${seqLen}: shorten the prompt`,
      );
    if (rc === C_STEPS_BELOW_PROMPT)
      throw llmError(
        'bad-steps',
        `steps (${steps}) must be at least the prompt's ${nPrompt} tokens (with BOS), so that a token can be generated; steps counts the prompt too`,
      );
    if (rc !== 0) throw cError(rc, 'while starting the generation');

    const logits = x.tt_logits(ctx);
    for (;;) {
      const nBefore = field(GenField.nTokens);
      const r = x.tt_step(ctx);
      if (r < 0) throw cError(-r, `at position ${field(GenField.pos)}`);
      if (r === 0) break;
      const pos = field(GenField.pos);
      if (opts.onLogits) opts.onLogits(new Float32Array(x.memory.buffer, logits, vocabSize), pos - 1);
      const nTokens = field(GenField.nTokens);
      if (opts.onToken && nTokens > nBefore) opts.onToken(this.genTokens(nTokens)[nTokens - 1]!, pos);
    }
    const nTokens = field(GenField.nTokens);
    const tokens = Array.from(this.genTokens(nTokens));
    const bytes = new Uint8Array(x.memory.buffer, x.tt_gen_out(ctx), field(GenField.outLen)).slice();
    return { tokens, promptTokens: nPrompt, bytes, text: utf8Lenient.decode(bytes) };
  }

  override dispose(): void {
    this.pool?.stop();
    super.dispose();
  }

  private genTokens(n: number): Int32Array {
    return new Int32Array(this.x.memory.buffer, this.x.tt_gen_tokens(this.ctx), n);
  }
}

/** The int32 fields at the start of TTGen (c/tt.h), in their order there. */
enum GenField {
  steps,
  nPrompt,
  pos,
  nTokens,
  outLen,
  lastLen,
  done,
  cap,
}
const GEN_FIELDS = 8;
// The generation loop's own error numbers (c/tt.h), whose messages need the prompt's length.
const C_PROMPT_TOO_LONG = 100;
const C_STEPS_BELOW_PROMPT = 102;

function alloc(x: EngineExports, n: number): number {
  const p = x.tt_alloc(n);
  if (p === 0) throw llmError('out-of-memory', `could not get ${n} bytes of WebAssembly memory`);
  return p;
}

function newContext(x: EngineExports): number {
  const ctx = x.tt_context_new();
  if (ctx === 0) throw llmError('out-of-memory', 'could not get WebAssembly memory for the engine context');
  return ctx;
}

function toSeed(seed: bigint | number): bigint {
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw llmError('bad-seed', `seed must be an integer >= 0, got ${seed}`);
    return BigInt(seed);
  }
  if (typeof seed !== 'bigint' || seed < 0n || seed >= 1n << 64n)
    throw llmError('bad-seed', `seed must be an integer in [0, 2^64), got ${String(seed)}`);
  return seed;
}

function isOneSource(wasm: LoadEngineOptions['wasm']): wasm is WasmSource {
  return (
    wasm instanceof Uint8Array ||
    wasm instanceof ArrayBuffer ||
    wasm instanceof WebAssembly.Module ||
    wasm instanceof URL ||
    typeof wasm === 'string'
  );
}

/** The source of a build: one given source is the requested backend's build; anything else is the default file. */
function pickSource(build: Build, wasm: LoadEngineOptions['wasm'], requested: Backend): WasmSource {
  if (wasm === undefined) return defaultWasmUrl(build);
  if (isOneSource(wasm)) return build === requested ? wasm : defaultWasmUrl(build);
  return wasm[build] ?? defaultWasmUrl(build);
}

/** How many threads loadEngine can use: the request where the runtime allows, else 1 and the reason. */
function threadPlan(requested: number | undefined, backend: Backend): { count: number; note: string | null } {
  const n = requested ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS)
    throw llmError(
      'bad-argument',
      `threads must be an integer from 1 to ${MAX_THREADS}, got ${String(requested)}`,
    );
  if (n === 1) return { count: 1, note: null };
  if (backend !== 'simd') return { count: 1, note: 'the threaded build needs the SIMD backend' };
  const why = threadsUnavailable();
  return why ? { count: 1, note: why } : { count: n, note: null };
}
const MAX_THREADS = 64; // TT_MAX_THREADS in c/tt.h

/**
 * Copies bytes into the instance's memory. skew places them that many bytes past a 64-byte boundary: 36 for a
 * checkpoint puts its weights (after the 28-byte header) on cache-line boundaries, so no vector load of a weight
 * row straddles two lines. Placement only: the arithmetic, and so every output bit, is the same anywhere.
 */
function copyIn(x: EngineExports, bytes: Uint8Array, skew = 0): number {
  const base = alloc(x, bytes.length + 64);
  const p = base + ((skew - (base % 64) + 64) % 64);
  new Uint8Array(x.memory.buffer, p, bytes.length).set(bytes);
  return p;
}

function checkpointDetail(bytes: Uint8Array): string | undefined {
  const c = readCheckpointHeader(bytes);
  if (!c) return `it has ${bytes.length} bytes`;
  const head = `header: dim ${c.dim}, hidden_dim ${c.hiddenDim}, n_layers ${c.nLayers}, n_heads ${c.nHeads}, n_kv_heads ${c.nKvHeads}, vocab_size ${c.vocabSize}, seq_len ${c.seqLen}`;
  if (c.dim > 0 && c.nHeads > 0 && c.dim % c.nHeads === 0 && c.nKvHeads > 0) {
    return `${head}; that needs ${expectedCheckpointBytes(c)} bytes, the file has ${bytes.length}`;
  }
  return head;
}

/** Loads a model into a fresh engine instance. Throws LlmError with a message that says what to fix. */
export async function loadEngine(opts: LoadEngineOptions): Promise<Engine> {
  const requested = resolveBackend(opts.backend ?? 'auto');
  let backend = requested;
  let plan = threadPlan(opts.threads, backend);
  let mod = await compileWasm(pickSource(plan.count > 1 ? 'simd-threads' : backend, opts.wasm, requested));
  let x = await instantiate(mod, plan.count > 1 ? sharedMemory() : undefined);
  // Every SIMD instance proves its arithmetic first; 'auto' falls back to scalar, 'simd' refuses.
  const simdRefused = backend === 'simd' ? simdSelfCheck(x) : null;
  if (simdRefused) {
    if (opts.backend === 'simd')
      throw llmError('simd-untrusted', `${simdRefused}: use backend "scalar" or "auto"`);
    backend = 'scalar';
    plan = { count: 1, note: plan.count > 1 ? 'the threaded build needs the SIMD backend' : null };
    mod = await compileWasm(pickSource(backend, opts.wasm, requested));
    x = await instantiate(mod);
  }
  const threaded = plan.count > 1;
  const ctx = newContext(x);
  let rc = x.tt_load_model(ctx, copyIn(x, opts.checkpoint, 36), opts.checkpoint.length);
  if (rc !== 0) throw cError(rc, checkpointDetail(opts.checkpoint));
  rc = x.tt_load_tokenizer(ctx, copyIn(x, opts.tokenizer), opts.tokenizer.length);
  if (rc !== 0) {
    const vocab = new Int32Array(x.memory.buffer, x.tt_config(ctx), 8)[5];
    const err = cError(
      rc,
      `the tokenizer has ${x.tt_tokenizer_pieces(ctx)} complete pieces; the model's vocabulary is ${vocab}`,
    );
    throw err;
  }
  const pool = threaded ? await startThreads(mod, x, ctx, plan.count) : null;
  return new Engine(x, ctx, backend, pool, plan.note, simdRefused);
}

export { LlmError };

export interface LoadTokenizerOptions {
  tokenizer: Uint8Array;
  backend?: BackendChoice;
  wasm?: LoadEngineOptions['wasm'];
}

/** A tokenizer without a model (e.g. `tt llm encode`): every complete piece of the file is in the vocabulary. */
export async function loadTokenizer(opts: LoadTokenizerOptions): Promise<Tokenizer> {
  const backend = resolveBackend(opts.backend ?? 'auto');
  const x = await instantiate(await compileWasm(pickSource(backend, opts.wasm, backend)));
  const ctx = newContext(x);
  const rc = x.tt_load_tokenizer_only(ctx, copyIn(x, opts.tokenizer), opts.tokenizer.length);
  if (rc !== 0) throw cError(rc, `the file has ${opts.tokenizer.length} bytes`);
  return new Tokenizer(x, ctx);
}
