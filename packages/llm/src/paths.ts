// Where this package's build outputs are on disk (Node only).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Backend } from './wasm.ts';

export const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const distDir = join(packageDir, 'dist');

/** The engine's C sources in c/, the same for every build (scripts/build.ts); native builds add native_main.c. */
export const ENGINE_SOURCES = [
  'model.c',
  'matmul.c',
  'threads.c',
  'tokenizer.c',
  'sampler.c',
  'generate.c',
  'tt_math.c',
  'heap.c',
];

/**
 * The trainer's C sources (src/trainer.ts): a module of its own (README, "Training"), so the inference module that
 * browsers fetch stays small and training code cannot change an inference bit. Native builds add train_native_main.c.
 */
export const TRAIN_SOURCES = ['train.c', 'train_model.c', 'train_kernels.c', 'tt_math.c', 'heap.c'];

/** Absolute paths of what a native build of the engine compiles (for tests that build it their own way). */
export function nativeSourcePaths(): string[] {
  return [...ENGINE_SOURCES, 'native_main.c'].map((f) => join(packageDir, 'c', f));
}

/** Absolute paths of the two .wasm builds (for bundlers and servers that copy or serve them). */
export function wasmPaths(): Record<Backend, string> {
  return { simd: join(distDir, 'llm-simd.wasm'), scalar: join(distDir, 'llm-scalar.wasm') };
}

/** Path of the threaded SIMD build (see src/threads.ts). */
export function threadedWasmPath(): string {
  return join(distDir, 'llm-simd-threads.wasm');
}

/** Path of the native gcc build, or null when it was not built (no gcc). */
export function nativePath(): string | null {
  const p = join(distDir, 'llm-native');
  return existsSync(p) ? p : null;
}

/** The repository root (the folder with pnpm-workspace.yaml above this package), for the default model cache. */
export function repoRoot(): string {
  let dir = packageDir;
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const up = dirname(dir);
    if (up === dir) return packageDir;
    dir = up;
  }
}

// Training builds (src/trainer.ts): a module of their own beside the inference ones.
export function trainWasmPaths(): Record<Backend, string> {
  return { simd: join(distDir, 'llm-train-simd.wasm'), scalar: join(distDir, 'llm-train-scalar.wasm') };
}

/** Path of the native gcc build of the trainer, or null when it was not built (no gcc). */
export function trainNativePath(): string | null {
  const p = join(distDir, 'llm-train-native');
  return existsSync(p) ? p : null;
}
