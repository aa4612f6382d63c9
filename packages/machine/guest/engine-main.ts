// tt-engine.mjs, the engine's program inside the machine (bundled into the root filesystem beside backend.mjs):
//   node tt-engine.mjs cases <checkpoint> <tokenizer> <output drive>     the bit-exactness cases, as JSON
//   node tt-engine.mjs generate <checkpoint> <tokenizer> <steps> <output drive>   for the cycle benchmark
//   node tt-engine.mjs teach <checkpoint> <tokenizer> <output drive>     the DPO training case
//   node tt-engine.mjs train-cost <checkpoint> <tokenizer> <epochs> <prompt ids> <response ids> <output drive>
//                                                                        one synthetic pair trained (bench:vm:teach)
// It always uses the scalar WASM builds: riscv64 Node's SIMD is not trusted (see @tt/llm's README).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngine } from '@tt/llm';
import { useRiscv64WasmFlags } from '@tt/llm/v8-flags';
import { STORIES260K_CASES } from '@tt/llm/testing';
// the drive format of the backend's batch mode, so every program in the machine reads and writes drives alike
import { writeDrive } from '@tt/dapp/batch';
import { generateSteps, runCase, runTeachCase, runTrainCostCase } from './engine-run.ts';

async function main(argv: string[]): Promise<void> {
  useRiscv64WasmFlags(); // before any engine is compiled (see @tt/llm's v8-flags.ts)
  const [mode, checkpointPath, tokenizerPath, ...rest] = argv;
  if (!checkpointPath || !tokenizerPath)
    throw new Error('usage: tt-engine.mjs cases|generate|teach|train-cost <checkpoint> <tokenizer> ...');
  const here = dirname(fileURLToPath(import.meta.url));
  const checkpoint = new Uint8Array(readFileSync(checkpointPath));
  const tokenizer = new Uint8Array(readFileSync(tokenizerPath));
  if (mode === 'train-cost') {
    // No inference engine in this process: only the trainer runs, so its cycles are all the run costs.
    const trainWasm = new Uint8Array(readFileSync(join(here, 'llm-train-scalar.wasm')));
    const [epochs, promptTokens, responseTokens, drive] = rest;
    // llama2.c header: dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size (negative: separate classifier)
    const vocabSize = Math.abs(new DataView(checkpoint.buffer, checkpoint.byteOffset).getInt32(20, true));
    const r = await runTrainCostCase(checkpoint, tokenizer, trainWasm, {
      epochs: Number(epochs),
      promptTokens: Number(promptTokens),
      responseTokens: Number(responseTokens),
      vocabSize,
    });
    writeDrive(drive!, JSON.stringify({ arch: process.arch, ...r }));
    return;
  }
  const engine = await loadEngine({
    checkpoint,
    tokenizer,
    backend: 'scalar',
    wasm: new Uint8Array(readFileSync(join(here, 'llm-scalar.wasm'))),
  });
  if (mode === 'cases') {
    const results = STORIES260K_CASES.map((c) => runCase(engine, c));
    writeDrive(
      rest[0]!,
      JSON.stringify({ arch: process.arch, node: process.version, backend: engine.backend, results }),
    );
  } else if (mode === 'generate') {
    const r = generateSteps(engine, Number(rest[0]));
    writeDrive(rest[1]!, JSON.stringify({ arch: process.arch, ...r }));
  } else if (mode === 'teach') {
    const trainWasm = new Uint8Array(readFileSync(join(here, 'llm-train-scalar.wasm')));
    const r = await runTeachCase(engine, checkpoint, tokenizer, trainWasm);
    writeDrive(rest[0]!, JSON.stringify({ arch: process.arch, ...r }));
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(`tt-engine: ${e instanceof Error ? e.stack : String(e)}`);
  process.exit(1);
});
