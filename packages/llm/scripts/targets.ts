// The engine's and the trainer's builds and their compiler flags, in one place: scripts/build.ts builds them, and
// src/build-flags.test.ts checks that each keeps the flags its determinism rests on.
import { ENGINE_SOURCES, TRAIN_SOURCES } from '../src/paths.ts';
import { THREADED_INITIAL_PAGES, THREADED_MAX_PAGES } from '../src/threads.ts';

/** IEEE arithmetic exactly as written: no fused multiply-add contraction, no fast-math reassociation. */
export const DETERMINISM_FLAGS = ['-ffp-contract=off', '-fno-fast-math'];
const COMMON = ['-O3', ...DETERMINISM_FLAGS, '-fno-math-errno', '-Wall', '-Wextra'];
const WASM = [
  '--target=wasm32',
  '-nostdlib',
  '-ffreestanding',
  '-mbulk-memory',
  '-mno-relaxed-simd',
  // Loop strength reduction rewrites `p[k]` as separate i32 additions, so each load gets its own zero-extension
  // and add in V8's code; without it clang puts k in the load's offset field (measured: 128 -> 116 M riscv64
  // instructions per token). The arithmetic is untouched.
  '-mllvm',
  '-disable-lsr',
  '-Wl,--no-entry',
  '-Wl,--strip-debug',
];
const HEADERS = ['tt.h'];
const TRAIN_HEADERS = ['tt.h', 'train.h'];

export interface Target {
  out: string;
  /** The compiler's command (wasm builds use @yowasp/clang, so no system compiler). */
  cc: 'clang' | 'gcc' | 'riscv64-linux-gnu-gcc';
  flags: string[];
  /** C files (in c/) compiled and linked. */
  sources: string[];
  /** Files (in c/) whose contents decide whether to rebuild: the sources and the headers they include. */
  inputs: string[];
  /** What the module may import ("module.name"); the single-thread builds import nothing. */
  imports?: string[];
}

const engine = { sources: ENGINE_SOURCES, inputs: [...ENGINE_SOURCES, ...HEADERS] };
const engineNative = {
  sources: [...ENGINE_SOURCES, 'native_main.c'],
  inputs: [...ENGINE_SOURCES, ...HEADERS, 'native_main.c'],
};
const trainer = { sources: TRAIN_SOURCES, inputs: [...TRAIN_SOURCES, ...TRAIN_HEADERS] };
const trainerNative = {
  sources: [...TRAIN_SOURCES, 'train_native_main.c'],
  inputs: [...TRAIN_SOURCES, ...TRAIN_HEADERS, 'train_native_main.c'],
};

export const wasmTargets: Target[] = [
  { out: 'llm-simd.wasm', cc: 'clang', flags: [...COMMON, ...WASM, '-msimd128', '-DTT_SIMD'], ...engine },
  { out: 'llm-scalar.wasm', cc: 'clang', flags: [...COMMON, ...WASM, '-mno-simd128'], ...engine },
  // The SIMD build split across threads (c/threads.c): every thread is an instance of this module on one shared
  // memory, which therefore comes from outside (the only import); its maximum is declared because shared memories
  // cannot move. Each thread gets its own stack by setting the exported __stack_pointer.
  {
    out: 'llm-simd-threads.wasm',
    cc: 'clang',
    flags: [
      ...COMMON,
      ...WASM,
      '-msimd128',
      '-DTT_SIMD',
      '-matomics',
      '-DTT_THREADS',
      '-Wl,--shared-memory',
      '-Wl,--import-memory',
      `-Wl,--initial-memory=${THREADED_INITIAL_PAGES * 65536}`,
      `-Wl,--max-memory=${THREADED_MAX_PAGES * 65536}`,
      '-Wl,--export=__stack_pointer',
    ],
    imports: ['env.memory'],
    ...engine,
  },
  {
    out: 'llm-train-simd.wasm',
    cc: 'clang',
    flags: [...COMMON, ...WASM, '-msimd128', '-DTT_SIMD'],
    ...trainer,
  },
  { out: 'llm-train-scalar.wasm', cc: 'clang', flags: [...COMMON, ...WASM, '-mno-simd128'], ...trainer },
];

export const nativeTargets: Target[] = [
  // The benchmark baseline and third backend of the bit-exactness tests; built wherever gcc is.
  { out: 'llm-native', cc: 'gcc', flags: [...COMMON, '-DTT_SIMD'], ...engineNative },
  { out: 'llm-train-native', cc: 'gcc', flags: [...COMMON, '-DTT_SIMD'], ...trainerNative },
  // The machine's CPU without its vector unit: bench:riscv counts its instructions under qemu-user. Static, so qemu
  // needs no riscv64 libraries for it. riscv64 has fused multiply-add in its base ISA, so here -ffp-contract=off
  // is what keeps gcc from fusing.
  { out: 'llm-native-riscv64', cc: 'riscv64-linux-gnu-gcc', flags: [...COMMON, '-static'], ...engineNative },
];
