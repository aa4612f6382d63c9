// Engine safety, the part WebAssembly cannot show: an out-of-bounds read inside a wasm instance's own memory does not
// trap. So the same C engine (packages/llm/c) is built natively with AddressSanitizer and UndefinedBehaviorSanitizer,
// where every buffer is its own allocation, and driven (its native_main.c) with corrupted and truncated checkpoints
// and tokenizers: each run must end with output or a clean error ({"error":N}, exit 2) — never a sanitizer report, a
// signal or a hang.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativeSourcePaths } from '@tt/llm/node';
import { emptyStats, recordStats } from '../src/stats.ts';
import { haveModel, modelFiles, sized, SMALL_SHAPE, fuzzSeed } from '../src/models.ts';
import { makeRandomCheckpoint, makeSyntheticTokenizer } from '@tt/llm/testing';

const RUNS = sized('TT_ASAN_RUNS', 40, 400);
const work = mkdtempSync(join(tmpdir(), 'tt-asan-'));
const bin = join(work, 'llm-native-asan');
let haveGcc = true;
try {
  execFileSync('gcc', ['--version'], { stdio: 'ignore' });
} catch {
  haveGcc = false;
}
const stats = emptyStats('engine native ASan/UBSan');
const t0 = Date.now();

beforeAll(() => {
  if (!haveGcc) return;
  const sources = nativeSourcePaths(); // the engine's own list, so a new C file cannot be missed here
  execFileSync(
    'gcc',
    [
      '-O1',
      '-g',
      '-fno-omit-frame-pointer',
      '-fsanitize=address,undefined',
      '-fno-sanitize-recover=all',
      '-ffp-contract=off',
      '-DTT_SIMD',
      '-o',
      bin,
      ...sources,
      '-lm',
    ],
    { stdio: 'pipe' },
  );
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  stats.durationMs = Date.now() - t0;
  stats.notes = `${RUNS} fast-check runs per property, gcc -fsanitize=address,undefined`;
  if (stats.tried) recordStats(stats);
});

let n = 0;
function runNative(ck: Uint8Array, tok: Uint8Array, label: string): Promise<void> {
  const i = n++;
  const ckPath = join(work, `ck-${i}.bin`);
  const tokPath = join(work, `tok-${i}.bin`);
  writeFileSync(ckPath, ck);
  writeFileSync(tokPath, tok);
  return new Promise((resolve) => {
    execFile(
      bin,
      [
        '--checkpoint',
        ckPath,
        '--tokenizer',
        tokPath,
        '--steps',
        '16',
        '--prompt-hex',
        '4869ff',
        '--seed',
        '7',
      ],
      {
        timeout: 30_000,
        env: {
          ...process.env,
          ASAN_OPTIONS: 'detect_leaks=0:allocator_may_return_null=1:abort_on_error=0',
          UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
        },
        maxBuffer: 8 << 20,
      },
      (err, stdout, stderr) => {
        stats.tried++;
        const code = err ? ((err as { code?: number | string }).code ?? null) : 0;
        const signal = err ? (err as { signal?: string }).signal : null;
        const sanitizer = /AddressSanitizer|runtime error:|LeakSanitizer|UndefinedBehaviorSanitizer/.test(
          stderr,
        );
        const clean = !sanitizer && !signal && (code === 0 || (code === 2 && /^\{"error":\d+/m.test(stdout)));
        if (clean) {
          if (code === 0) stats.accepted++;
          else stats.rejectedAsExpected++;
        } else {
          stats.unexpected++;
          if (sanitizer || signal) stats.crashes++;
        }
        expect(
          clean,
          `${label}: exit ${code} signal ${signal}\n${stdout.slice(0, 300)}\n${stderr.slice(0, 3000)}`,
        ).toBe(true);
        resolve();
      },
    );
  });
}

const baseCk = makeRandomCheckpoint(SMALL_SHAPE, 5);
const baseTok = makeSyntheticTokenizer(SMALL_SHAPE.vocabSize);
const int32 = fc.oneof(
  fc.constantFrom(0, 1, 2, 3, -1, 7, 64, 300, 301, 1 << 16, 0x7fffffff, -0x80000000),
  fc.integer({ min: -64, max: 600 }),
  fc.integer({ min: -0x80000000, max: 0x7fffffff }),
);

describe.skipIf(!haveGcc)(
  `native engine under AddressSanitizer${haveGcc ? '' : ' [SKIPPED: no gcc on PATH]'}`,
  () => {
    it('the untouched files work (control)', async () => {
      const before = stats.accepted;
      await runNative(baseCk, baseTok, 'control');
      expect(stats.accepted, 'the control run generates').toBe(before + 1);
    });

    it('corrupted checkpoint headers (with the file resized to match or not) and truncations', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.record({
              kind: fc.constant('header' as const),
              changes: fc.array(fc.tuple(fc.nat(6), int32), { minLength: 1, maxLength: 3 }),
              extra: fc.integer({ min: -2000, max: 2000 }),
            }),
            fc.record({ kind: fc.constant('cut' as const), at: fc.nat(baseCk.length - 1) }),
          ),
          async (m) => {
            let ck: Uint8Array;
            if (m.kind === 'cut') ck = baseCk.slice(0, m.at);
            else {
              ck = new Uint8Array(Math.max(0, baseCk.length + m.extra));
              ck.set(baseCk.subarray(0, Math.min(ck.length, baseCk.length)));
              if (ck.length >= 28) {
                const v = new DataView(ck.buffer);
                for (const [f, x] of m.changes) v.setInt32(4 * f, x, true);
              }
            }
            await runNative(ck, baseTok, JSON.stringify(m));
          },
        ),
        { numRuns: RUNS, seed: fuzzSeed(31) },
      );
    });

    it('corrupted tokenizers: piece lengths, max_token_length, truncation, byte flips', async () => {
      const offsets: number[] = [];
      {
        const v = new DataView(baseTok.buffer);
        for (let o = 4; o + 8 <= baseTok.length; o += 8 + v.getInt32(o + 4, true)) offsets.push(o);
      }
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.record({ kind: fc.constant('len' as const), piece: fc.nat(offsets.length - 1), value: int32 }),
            fc.record({ kind: fc.constant('max' as const), value: int32 }),
            fc.record({ kind: fc.constant('cut' as const), at: fc.nat(baseTok.length - 1) }),
            fc.record({
              kind: fc.constant('flips' as const),
              flips: fc.array(fc.tuple(fc.nat(baseTok.length - 1), fc.integer({ min: 0, max: 255 })), {
                minLength: 1,
                maxLength: 10,
              }),
            }),
          ),
          async (m) => {
            let tok = baseTok.slice();
            const v = new DataView(tok.buffer);
            if (m.kind === 'len') v.setInt32(offsets[m.piece]! + 4, m.value, true);
            if (m.kind === 'max') v.setInt32(0, m.value, true);
            if (m.kind === 'cut') tok = tok.slice(0, m.at);
            if (m.kind === 'flips') for (const [i, x] of m.flips) tok[i] = x;
            await runNative(baseCk, tok, JSON.stringify(m));
          },
        ),
        { numRuns: RUNS, seed: fuzzSeed(32) },
      );
    });

    it.skipIf(!haveModel)('the real stories260K with a truncated or flipped real tokenizer.bin', async () => {
      const ck = new Uint8Array(readFileSync(modelFiles.checkpoint));
      const tok = new Uint8Array(readFileSync(modelFiles.tokenizer));
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.record({ kind: fc.constant('cut' as const), at: fc.nat(8000) }),
            fc.record({
              kind: fc.constant('flips' as const),
              flips: fc.array(fc.tuple(fc.nat(6000), fc.integer({ min: 0, max: 255 })), {
                minLength: 1,
                maxLength: 8,
              }),
            }),
          ),
          async (m) => {
            let t = tok.slice();
            if (m.kind === 'cut') t = t.slice(0, m.at);
            else for (const [i, x] of m.flips) t[i] = x;
            await runNative(ck, t, `real ${JSON.stringify(m)}`);
          },
        ),
        { numRuns: Math.max(5, Math.floor(RUNS / 4)), seed: fuzzSeed(33) },
      );
    });
  },
);
