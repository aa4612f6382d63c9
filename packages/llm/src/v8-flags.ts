// V8 on riscv64 (Node 20.19, the Node inside the Cartesi machine) miscompiles the trainer when it tiers a module up
// from Liftoff to TurboFan while it runs: the scalar trainer stops with "memory access out of bounds" in
// tt_trk_matmul during its reference pass, on the same .wasm that trains to the same bytes on x86. Either compiler
// alone is correct (the trained modelHash equals x86's with --liftoff-only and with --no-liftoff, under qemu-user and
// in the real machine), so on riscv64 every module is compiled by TurboFan from the start. Inference gives the same
// bits either way; only its start-up compiles a little longer.
import { setFlagsFromString } from 'node:v8';

let applied = false;

/** Call before the first WebAssembly module is compiled; does nothing off riscv64. */
export function useOneWasmTierOnRiscv64(): void {
  if (applied || process.arch !== 'riscv64') return;
  setFlagsFromString('--no-liftoff');
  applied = true;
}
