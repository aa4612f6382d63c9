// Runs inside riscv64 Node under qemu-user (see ../riscv.ts, which transpiles it and the engine's sources to plain
// JavaScript): loads the engine build named on the command line and generates greedily from BOS, as the backend
// does inside the Cartesi machine. Prints the tokens and the number of forward passes as one JSON line.
import { readFileSync } from 'node:fs';
import { loadEngine } from '../../src/engine.ts';
import type { Backend } from '../../src/wasm.ts';
import { useRiscv64WasmFlags } from '../../src/v8-flags.ts';

useRiscv64WasmFlags(); // V8 compiles as it does inside the machine (the backend sets the same flags)

const [wasmPath, checkpointPath, tokenizerPath, stepsArg, backend, temperature, topp, seed] =
  process.argv.slice(2);
const engine = await loadEngine({
  checkpoint: new Uint8Array(readFileSync(checkpointPath!)),
  tokenizer: new Uint8Array(readFileSync(tokenizerPath!)),
  backend: (backend ?? 'scalar') as Backend,
  wasm: new Uint8Array(readFileSync(wasmPath!)),
});
let forwards = 0;
const r = engine.generate({
  prompt: '',
  steps: Number(stepsArg),
  temperature: Number(temperature ?? 0),
  topp: Number(topp ?? 0.9),
  seed: BigInt(seed ?? 0),
  onLogits: () => void forwards++,
});
console.log(JSON.stringify({ forwards, tokens: r.tokens }));
