// Engine safety: corrupted and truncated checkpoints and tokenizers, fed to the real WebAssembly loaders (SIMD and
// scalar builds), must end in a clear LlmError with a loading code, or load and then generate without trapping.
// Never a WebAssembly trap (RuntimeError: out of bounds), a RangeError/TypeError from the glue, a dead thread or a hang.
// Each load runs in a worker thread with a deadline, so a hang is caught and the worker terminated.
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedCheckpointBytes, readCheckpointHeader, type ModelConfig } from '@tt/llm';
import { emptyStats, recordStats } from '../src/stats.ts';
import { haveModel, modelFiles, sized, SMALL_SHAPE, fuzzSeed } from '../src/models.ts';
import { makeRandomCheckpoint, makeSyntheticTokenizer, writeCheckpointHeader } from '@tt/llm/testing';
import type { LoaderAnswer, LoaderCase } from './workers/loader-worker.ts';

const RUNS = sized('TT_FUZZ_RUNS', 60, 1500);
const HANG_MS = 20_000;
const LOAD_CODES = new Set([
  'prompt-too-long',
  'bad-steps',
  'bad-temperature',
  'bad-top-p',
  'bad-seed',
  'bad-argument',
  'checkpoint-truncated',
  'checkpoint-bad-header',
  'checkpoint-size-mismatch',
  'tokenizer-truncated',
  'tokenizer-bad-header',
  'tokenizer-bad-piece',
  'tokenizer-too-small',
  'out-of-memory',
  'no-byte-pieces',
]);

const stats = emptyStats('engine loaders (simd+scalar)');
const failures: string[] = [];
const started = Date.now();

class LoaderPool {
  private worker!: Worker;
  private ready!: Promise<void>;
  private next = 0;
  restarts = 0;
  constructor(private readonly backend: 'simd' | 'scalar') {
    this.spawn();
  }
  private spawn() {
    this.worker = new Worker(new URL('./workers/loader-worker-entry.mjs', import.meta.url), {
      workerData: { backend: this.backend },
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('message', () => resolve());
      this.worker.once('error', reject);
    });
  }
  /** One load: its answer, or 'hang' / 'thread died' with the reason. */
  async run(
    c: Omit<LoaderCase, 'id'>,
  ): Promise<LoaderAnswer | { id: number; ok: false; errorName: string; message: string }> {
    await this.ready;
    const id = this.next++;
    const w = this.worker;
    return new Promise((resolve) => {
      const onMsg = (a: LoaderAnswer) => {
        if (a.id !== id) return;
        done();
        resolve(a);
      };
      const onExit = (code: number) => {
        done();
        this.restarts++;
        this.spawn();
        resolve({ id, ok: false, errorName: 'ThreadDied', message: `the worker thread exited with ${code}` });
      };
      const onError = (e: Error) => {
        done();
        void w.terminate();
        this.restarts++;
        this.spawn();
        resolve({ id, ok: false, errorName: 'ThreadError', message: e.message });
      };
      const timer = setTimeout(() => {
        done();
        void w.terminate();
        this.restarts++;
        this.spawn();
        resolve({ id, ok: false, errorName: 'Hang', message: `no answer within ${HANG_MS} ms` });
      }, HANG_MS);
      const done = () => {
        clearTimeout(timer);
        w.off('message', onMsg);
        w.off('exit', onExit);
        w.off('error', onError);
      };
      w.on('message', onMsg);
      w.on('exit', onExit);
      w.on('error', onError);
      w.postMessage({ ...c, id });
    });
  }
  stop() {
    return this.worker.terminate();
  }
}

const pools: Record<'simd' | 'scalar', LoaderPool> = {} as never;
beforeAll(() => {
  pools.simd = new LoaderPool('simd');
  pools.scalar = new LoaderPool('scalar');
});
afterAll(async () => {
  await Promise.all(Object.values(pools).map((p) => p.stop()));
  stats.durationMs = Date.now() - started;
  stats.notes = `${RUNS} fast-check runs per property and build${failures.length ? `; FAILURES: ${failures.slice(0, 3).join(' / ')}` : ''}`;
  recordStats(stats);
});

/** Checks one case on both builds: a clean outcome, and the same outcome from both (they are the same C code). */
async function check(label: string, c: Omit<LoaderCase, 'id'>): Promise<void> {
  const answers = [];
  for (const b of ['simd', 'scalar'] as const) {
    stats.tried++;
    const a = await pools[b].run(c);
    answers.push(a);
    const clean = a.ok || (a.errorName === 'LlmError' && LOAD_CODES.has((a as LoaderAnswer).code ?? ''));
    if (!clean) {
      stats.unexpected++;
      if (a.errorName === 'ThreadDied' || a.errorName === 'ThreadError') stats.crashes++;
      failures.push(`${label} [${b}]: ${a.errorName} ${(a as LoaderAnswer).code ?? ''} ${a.message}`);
    } else if (a.ok) stats.accepted++;
    else stats.rejectedAsExpected++;
    expect(
      clean,
      `${label} [${b}]: ${a.errorName} ${(a as LoaderAnswer).code ?? ''} ${a.message ?? ''}`,
    ).toBe(true);
    if (!a.ok)
      expect((a as LoaderAnswer).message!.length, 'the error says what is wrong').toBeGreaterThan(20);
  }
  const [s, sc] = answers as LoaderAnswer[];
  // the builds are bit-identical by design: same outcome, and for generation the same tokens and bytes
  const key = (a: LoaderAnswer) => ({
    ok: a.ok,
    code: a.code,
    after: c.what === 'generate' ? a.after : undefined,
  });
  expect(key(s!), `${label}: simd and scalar builds agree`).toEqual(key(sc!));
}

const baseCheckpoint = makeRandomCheckpoint(SMALL_SHAPE, 3);
const baseTokenizer = makeSyntheticTokenizer(SMALL_SHAPE.vocabSize);

const FIELDS = ['dim', 'hiddenDim', 'nLayers', 'nHeads', 'nKvHeads', 'vocabSize', 'seqLen'] as const;
const int32 = fc.oneof(
  fc.constantFrom(
    0,
    1,
    2,
    3,
    -1,
    -2,
    7,
    64,
    1 << 16,
    1 << 20,
    0x7fffffff,
    -0x80000000,
    0x40000000,
    -0x40000000,
  ),
  fc.integer({ min: -0x80000000, max: 0x7fffffff }),
  fc.integer({ min: -64, max: 600 }),
);

/** A header with some fields replaced; `resize` pads/cuts the file to what the new header implies when that is small. */
const headerCase = fc.record({
  changes: fc.array(fc.tuple(fc.constantFrom(...FIELDS.keys()), int32), { minLength: 1, maxLength: 4 }),
  resize: fc.boolean(),
});

function applyHeader(changes: [number, number][], resize: boolean): { bytes: Uint8Array; desc: string } {
  const raw = new DataView(baseCheckpoint.buffer.slice(0, 28));
  for (const [i, v] of changes) raw.setInt32(4 * i, v, true);
  const c = readCheckpointHeader(new Uint8Array(raw.buffer))!;
  let size = baseCheckpoint.length;
  if (resize && c.dim > 0 && c.nHeads > 0 && c.nKvHeads > 0) {
    const want = expectedCheckpointBytes(c);
    if (Number.isFinite(want) && want >= 28 && want <= 8 * 1024 * 1024) size = want;
  }
  const bytes = new Uint8Array(size);
  bytes.set(baseCheckpoint.subarray(0, Math.min(size, baseCheckpoint.length)));
  bytes.set(new Uint8Array(raw.buffer), 0);
  return {
    bytes,
    desc: `header ${FIELDS.map((f) => `${f}=${(c as unknown as Record<string, number>)[f]}`).join(' ')} shared=${c.sharedClassifier} size=${size}`,
  };
}

describe('checkpoint loader fuzzing (simd and scalar)', () => {
  it('corrupted headers (negative/huge dims, n_heads not dividing dim, n_kv_heads > n_heads, vocab 0, seq_len 0/huge): LlmError or a working engine', async () => {
    await fc.assert(
      fc.asyncProperty(headerCase, async ({ changes, resize }) => {
        const { bytes, desc } = applyHeader(changes, resize);
        await check(desc, { what: 'engine', checkpoint: bytes, tokenizer: baseTokenizer });
      }),
      { numRuns: RUNS, seed: fuzzSeed(8) },
    );
  });

  it('named header edge cases, each sized to match its header where possible', async () => {
    const s = SMALL_SHAPE;
    const cases: [string, Partial<ModelConfig>][] = [
      ['n_kv_heads > n_heads', { nKvHeads: 8 }],
      ['n_heads not dividing dim', { nHeads: 5 }],
      ['n_heads not a multiple of n_kv_heads', { nHeads: 4, nKvHeads: 3 }],
      ['vocab 0', { vocabSize: 0 }],
      ['seq_len 0', { seqLen: 0 }],
      ['seq_len huge', { seqLen: 0x7fffffff }],
      ['seq_len 2^20', { seqLen: 1 << 20 }],
      ['dim negative', { dim: -16 }],
      ['hidden_dim 0', { hiddenDim: 0 }],
      ['n_layers 0', { nLayers: 0 }],
      ['n_layers huge', { nLayers: 1 << 24 }],
      ['vocab larger than the tokenizer', { vocabSize: 301 }],
      ['dim 2^30', { dim: 1 << 30, nHeads: 1, nKvHeads: 1 }],
    ];
    for (const [name, change] of cases) {
      const c = { ...s, ...change };
      for (const resize of [false, true]) {
        const want = c.dim > 0 && c.nHeads > 0 && c.nKvHeads > 0 ? expectedCheckpointBytes(c) : NaN;
        const size =
          resize && Number.isFinite(want) && want >= 28 && want <= 8 * 1024 * 1024
            ? want
            : baseCheckpoint.length;
        const bytes = new Uint8Array(size);
        bytes.set(baseCheckpoint.subarray(0, Math.min(size, baseCheckpoint.length)));
        writeCheckpointHeader(bytes, c);
        await check(`${name} (size ${size})`, {
          what: 'engine',
          checkpoint: bytes,
          tokenizer: baseTokenizer,
        });
      }
    }
  });

  it('truncated checkpoints and random byte flips in the weights', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ cut: fc.integer({ min: 0, max: baseCheckpoint.length - 1 }) }),
          fc.record({
            flips: fc.array(fc.tuple(fc.nat(baseCheckpoint.length - 1), fc.integer({ min: 0, max: 255 })), {
              minLength: 1,
              maxLength: 16,
            }),
          }),
        ),
        async (m) => {
          let bytes: Uint8Array;
          if ('cut' in m) bytes = baseCheckpoint.slice(0, m.cut);
          else {
            bytes = baseCheckpoint.slice();
            for (const [i, v] of m.flips) bytes[i] = v;
          }
          await check(JSON.stringify(m).slice(0, 200), {
            what: 'engine',
            checkpoint: bytes,
            tokenizer: baseTokenizer,
          });
        },
      ),
      { numRuns: RUNS, seed: fuzzSeed(9) },
    );
  });
});

/** Piece offsets of a tokenizer file, to aim mutations at the length fields. */
function pieceOffsets(tok: Uint8Array, limit = Infinity): number[] {
  const v = new DataView(tok.buffer, tok.byteOffset, tok.byteLength);
  const out: number[] = [];
  let o = 4;
  while (o + 8 <= tok.length && out.length < limit) {
    out.push(o);
    o += 8 + v.getInt32(o + 4, true);
  }
  return out;
}

function tokenizerMutation(base: Uint8Array, offsets: number[]) {
  return fc.oneof(
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(base.length - 1) }),
    fc.record({ kind: fc.constant('maxlen' as const), value: int32 }),
    fc.record({
      kind: fc.constant('piece-len' as const),
      piece: fc.nat(offsets.length - 1),
      value: int32,
    }),
    fc.record({
      kind: fc.constant('len-byte-flip' as const),
      piece: fc.nat(offsets.length - 1),
      byte: fc.nat(3),
      value: fc.integer({ min: 0, max: 255 }),
    }),
    fc.record({
      kind: fc.constant('score' as const),
      piece: fc.nat(offsets.length - 1),
      value: fc.constantFrom(NaN, Infinity, -Infinity, 3.4e38, -0),
    }),
    fc.record({
      kind: fc.constant('flips' as const),
      flips: fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 12,
      }),
    }),
  );
}

function applyTokenizer(
  base: Uint8Array,
  offsets: number[],
  m: { kind: string; [k: string]: unknown },
): Uint8Array {
  if (m.kind === 'truncate') return base.slice(0, m.at as number);
  const b = base.slice();
  const v = new DataView(b.buffer);
  if (m.kind === 'maxlen') v.setInt32(0, m.value as number, true);
  if (m.kind === 'piece-len') v.setInt32(offsets[m.piece as number]! + 4, m.value as number, true);
  if (m.kind === 'len-byte-flip') b[offsets[m.piece as number]! + 4 + (m.byte as number)] = m.value as number;
  if (m.kind === 'score') v.setFloat32(offsets[m.piece as number]!, m.value as number, true);
  if (m.kind === 'flips') for (const [i, x] of m.flips as [number, number][]) b[i] = x;
  return b;
}

describe('tokenizer loader fuzzing (simd and scalar)', () => {
  const offsets = pieceOffsets(baseTokenizer);
  it('synthetic tokenizer: truncation, max_token_length, piece lengths (negative/huge/byte flips), scores, random flips', async () => {
    await fc.assert(
      fc.asyncProperty(tokenizerMutation(baseTokenizer, offsets), fc.boolean(), async (m, alone) => {
        const tok = applyTokenizer(baseTokenizer, offsets, m);
        await check(
          `${alone ? 'tokenizer alone' : 'engine'} ${JSON.stringify(m).slice(0, 200)}`,
          alone
            ? { what: 'tokenizer', tokenizer: tok }
            : { what: 'engine', checkpoint: baseCheckpoint, tokenizer: tok },
        );
      }),
      { numRuns: RUNS, seed: fuzzSeed(10) },
    );
  });

  it.skipIf(!haveModel)(
    "the real tokenizer.bin with stories260K: byte flips in the first pieces' lengths and truncation",
    async () => {
      const ck = new Uint8Array(readFileSync(modelFiles.checkpoint));
      const tok = new Uint8Array(readFileSync(modelFiles.tokenizer));
      const offs = pieceOffsets(tok, 600); // stories260K uses the first 512 pieces
      await fc.assert(
        fc.asyncProperty(tokenizerMutation(tok, offs), fc.boolean(), async (m, alone) => {
          const bad = applyTokenizer(tok, offs, m);
          await check(
            `real ${alone ? 'tokenizer alone' : 'engine'} ${JSON.stringify(m).slice(0, 200)}`,
            alone
              ? { what: 'tokenizer', tokenizer: bad }
              : { what: 'engine', checkpoint: ck, tokenizer: bad },
          );
        }),
        { numRuns: Math.max(10, Math.floor(RUNS / 3)), seed: fuzzSeed(11) },
      );
    },
  );
});

describe('generation arguments fuzzing (simd and scalar)', () => {
  it('any prompt bytes, steps, temperature, top-p and seed (NaN, ±Infinity, -0, subnormals, huge, wrong types): a result or an LlmError', async () => {
    const num = fc.oneof(
      fc.double(),
      fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 5e-324, 1e-45, 1, 0.5, 2, 1e308, -1),
      fc.integer({ min: -5, max: 80 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          prompt: fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.string({ maxLength: 40 })),
          steps: fc.oneof(
            { weight: 4, arbitrary: fc.integer({ min: 1, max: 32 }) },
            { weight: 1, arbitrary: fc.oneof(num, fc.constantFrom(33, 2 ** 31, 2 ** 53)) },
          ),
          temperature: fc.oneof(
            { weight: 4, arbitrary: fc.double({ min: 0, max: 2, noNaN: true }) },
            { weight: 1, arbitrary: num },
          ),
          topp: fc.oneof(
            { weight: 4, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
            { weight: 1, arbitrary: num },
          ),
          seed: fc.oneof(
            { weight: 4, arbitrary: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }) },
            {
              weight: 1,
              arbitrary: fc.oneof(
                fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }),
                fc.constantFrom(0n, (1n << 64n) - 1n, 1n << 64n, -1n),
                num,
              ),
            },
          ),
        }),
        async (args) => {
          await check(
            `generate ${String(JSON.stringify(args, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))).slice(0, 200)}`,
            {
              what: 'generate',
              checkpoint: baseCheckpoint,
              tokenizer: baseTokenizer,
              args,
            },
          );
        },
      ),
      { numRuns: RUNS, seed: fuzzSeed(12) },
    );
  });
});
