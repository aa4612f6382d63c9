// Where the engine's WebAssembly comes from. The bundle (dist/backend.mjs) carries llm-simd.wasm and llm-scalar.wasm
// beside itself, because once bundled @tt/llm can no longer find its own package folder; run from the sources
// (tests, tsx) there is nothing beside this file and @tt/llm's default, its own dist/, is right.
// The bytes are read here with node:fs rather than handed over as file: URLs, so loading does not depend on
// process.getBuiltinModule, which Node only has from 20.16 on (the machine's node is exactly 20.16.0).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const WASM_FILES = { simd: 'llm-simd.wasm', scalar: 'llm-scalar.wasm' } as const;
/** The training module (DPO fine-tuning inside the rollup), bundled the same way. */
export const TRAIN_WASM_FILES = { simd: 'llm-train-simd.wasm', scalar: 'llm-train-scalar.wasm' } as const;

function besideBundle(
  files: { simd: string; scalar: string },
  moduleUrl: string,
): { wasm?: { simd: Uint8Array; scalar: Uint8Array } } {
  const simd = fileURLToPath(new URL(`./${files.simd}`, moduleUrl));
  const scalar = fileURLToPath(new URL(`./${files.scalar}`, moduleUrl));
  if (!existsSync(simd) || !existsSync(scalar)) return {};
  return { wasm: { simd: new Uint8Array(readFileSync(simd)), scalar: new Uint8Array(readFileSync(scalar)) } };
}

export function engineWasm(moduleUrl: string = import.meta.url): {
  wasm?: { simd: Uint8Array; scalar: Uint8Array };
} {
  return besideBundle(WASM_FILES, moduleUrl);
}

export function trainWasm(moduleUrl: string = import.meta.url): {
  wasm?: { simd: Uint8Array; scalar: Uint8Array };
} {
  return besideBundle(TRAIN_WASM_FILES, moduleUrl);
}
