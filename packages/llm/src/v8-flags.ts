// How V8 compiles the engine on riscv64 (Node 20.19, the Node inside the Cartesi machine). Two flags, set before
// the first WebAssembly module is compiled:
//
// --no-liftoff: V8 miscompiles the trainer when it tiers a module up from Liftoff to TurboFan while it runs: the
//   scalar trainer stops with "memory access out of bounds" in tt_trk_matmul during its reference pass, on the same
//   .wasm that trains to the same bytes on x86. Either compiler alone is correct (the trained modelHash equals x86's
//   with --liftoff-only and with --no-liftoff, under qemu-user and in the real machine), so every module is compiled
//   by TurboFan from the start. Inference gives the same bits either way; only its start-up compiles a little longer.
//
// --no-wasm-stack-checks: V8 otherwise loads and compares the stack limit at the entry of every wasm function and in
//   every loop iteration (3 instructions; the check is also how another thread interrupts a running loop). Our
//   modules cannot overflow the stack: their call graphs have no cycle and at most 6 levels (src/call-graph.test.ts
//   checks every build), their C stack lives in linear memory, and nothing in the machine interrupts a running
//   generation. Measured with bench:riscv: about 3 M fewer instructions per token on stories15M, no bit changed.
//   V8's help calls the flag "for performance testing only"; the bound above is what makes it safe here.
import { setFlagsFromString } from 'node:v8';

let applied = false;

/** The flags set on riscv64. */
export const RISCV64_WASM_FLAGS = ['--no-liftoff', '--no-wasm-stack-checks'] as const;

/** Call before the first WebAssembly module is compiled; does nothing off riscv64. */
export function useRiscv64WasmFlags(): void {
  if (applied || process.arch !== 'riscv64') return;
  for (const flag of RISCV64_WASM_FLAGS) setFlagsFromString(flag);
  applied = true;
}
