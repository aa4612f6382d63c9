// Where the engine's WebAssembly comes from. The bundle (dist/backend.mjs) carries llm-simd.wasm and llm-scalar.wasm
// beside itself, because once bundled @tt/llm can no longer find its own package folder; run from the sources
// (tests, tsx) there is nothing beside this file and @tt/llm's default, its own dist/, is right.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const WASM_FILES = { simd: 'llm-simd.wasm', scalar: 'llm-scalar.wasm' } as const;

export function engineWasm(moduleUrl: string = import.meta.url): { wasm?: { simd: URL; scalar: URL } } {
  const simd = new URL(`./${WASM_FILES.simd}`, moduleUrl);
  const scalar = new URL(`./${WASM_FILES.scalar}`, moduleUrl);
  if (existsSync(fileURLToPath(simd)) && existsSync(fileURLToPath(scalar))) return { wasm: { simd, scalar } };
  return {};
}
