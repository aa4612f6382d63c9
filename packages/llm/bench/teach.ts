// pnpm bench:teach [--json] [--pairs N] [--repeat N]: DPO training speed of wasm-simd, wasm-scalar and native gcc on a
// checkpoint of stories15M's exact shape (seeded random weights, made on the fly in the OS temp folder), in one run.
// Each pair is a 16-token prompt (BOS included) with two 241-token responses: 256 positions per sequence, the
// model's whole context. Reports forward+backward tokens per second, seconds per DPO pair (both sequences forward and
// backward plus its optimizer update), the reference pass, and ratios against native measured in the same run. One pair
// per step; each backend reports its fastest step (the first one also pays for compiling and touching fresh memory).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createTrainer } from '../src/trainer.ts';
import { trainNativePath, trainWasmPaths } from '../src/paths.ts';
import { runTeachNative } from '../src/teach-native.ts';
import { STORIES15M_SHAPE, randomCheckpointPath } from '../test/models.ts';
import { randomPairs } from '../test/teach-data.ts';

const { values } = parseArgs({
  options: { json: { type: 'boolean' }, pairs: { type: 'string' }, repeat: { type: 'string' } },
  strict: true,
});
const nPairs = Number(values.pairs ?? 3);
const repeat = Number(values.repeat ?? 1);
const log = (s: string) => (values.json ? process.stderr : process.stdout).write(s + '\n');

log(
  'preparing a stories15M-shaped checkpoint (dim 288, hidden 768, 6 layers, 6 heads, vocab 32000, seq_len 256)…',
);
const checkpointPath = randomCheckpointPath(STORIES15M_SHAPE, 15);
const checkpoint = new Uint8Array(readFileSync(checkpointPath));
const pairs = randomPairs(nPairs, STORIES15M_SHAPE.vocabSize, { prompt: 16, chosen: 241, rejected: 241 }, 15);
const positionsPerPair = 2 * (16 + 241 - 1);
// One pair per step, so every step's update is measured too; a single epoch.
const hyperParameters = { batchSize: 1, epochs: 1 };

interface Row {
  /** Forward + backward positions per second (wall time of the fastest step's passes). */
  tokensPerSecond: number;
  /** Per pair: both sequences forward and backward, plus the update of its step. */
  secondsPerPair: number;
  updateSeconds: number;
  /** Forward passes of both sequences with the base weights (once per pair per run). */
  referenceSecondsPerPair: number;
  /** Forward+backward positions per CPU-second of whole steps, updates included (steadier on a shared machine). */
  tokensPerCpuSecond: number;
  peakMemoryBytes: number;
  sha256: string;
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const modules = {
  simd: new WebAssembly.Module(readFileSync(trainWasmPaths().simd)),
  scalar: new WebAssembly.Module(readFileSync(trainWasmPaths().scalar)),
};

interface StepTime {
  pairMs: number;
  updateMs: number;
  cpuMs: number;
}

function rowOf(steps: StepTime[], referenceMs: number, peakMemoryBytes: number, sha256: string): Row {
  const fastest = steps.reduce((a, b) => (b.pairMs + b.updateMs < a.pairMs + a.updateMs ? b : a));
  return {
    tokensPerSecond: positionsPerPair / (fastest.pairMs / 1000),
    secondsPerPair: (fastest.pairMs + fastest.updateMs) / 1000,
    updateSeconds: fastest.updateMs / 1000,
    referenceSecondsPerPair: referenceMs / 1000 / nPairs,
    tokensPerCpuSecond: positionsPerPair / (Math.min(...steps.map((t) => t.cpuMs)) / 1000),
    peakMemoryBytes,
    sha256,
  };
}

async function runWasm(backend: 'simd' | 'scalar'): Promise<Row> {
  const trainer = await createTrainer({
    checkpoint,
    pairs,
    hyperParameters,
    backend,
    wasm: modules[backend],
  });
  const t0 = performance.now();
  while (trainer.referenceDone < trainer.pairCount) trainer.reference();
  const refMs = performance.now() - t0;
  const steps: StepTime[] = [];
  while (trainer.step < trainer.totalSteps) {
    const c = process.cpuUsage();
    const t1 = performance.now();
    const n = trainer.beginStep();
    for (let k = 0; k < n; k++) trainer.stepPair();
    const t2 = performance.now();
    trainer.endStep();
    const cpu = process.cpuUsage(c);
    steps.push({ pairMs: t2 - t1, updateMs: performance.now() - t2, cpuMs: (cpu.user + cpu.system) / 1000 });
  }
  const memory = (trainer as unknown as { ex: { memory: WebAssembly.Memory } }).ex.memory.buffer.byteLength;
  const row = rowOf(steps, refMs, memory, sha(trainer.checkpoint()));
  trainer.dispose();
  return row;
}

async function runNativeOnce(): Promise<Row> {
  const outPath = join(os.tmpdir(), `tt-bench-teach-${process.pid}.bin`);
  const r = await runTeachNative({ checkpointPath, pairs, hyperParameters, outPath });
  return rowOf(r.stepTimes, r.referenceMs, r.maxRssKb * 1024, sha(new Uint8Array(readFileSync(outPath))));
}

// The backends take turns, so a burst of other work on the machine hits them alike; each keeps its best run.
const best = (a: Row | null, b: Row) => (!a || b.tokensPerSecond > a.tokensPerSecond ? b : a);
let simd: Row | null = null;
let scalar: Row | null = null;
let native: Row | null = null;
for (let r = 0; r < repeat; r++) {
  log(`run ${r + 1}/${repeat}: wasm-simd…`);
  simd = best(simd, await runWasm('simd'));
  if (trainNativePath()) {
    log(`run ${r + 1}/${repeat}: native…`);
    native = best(native, await runNativeOnce());
  }
  log(`run ${r + 1}/${repeat}: wasm-scalar…`);
  scalar = best(scalar, await runWasm('scalar'));
}
const s = simd!;
const c = scalar!;
const baseline = native ?? s;
const identical = s.sha256 === c.sha256 && (!native || native.sha256 === s.sha256);
const ratio = (a: Row, key: 'tokensPerSecond' | 'tokensPerCpuSecond') => a[key] / baseline[key];

const result = {
  model: 'random stories15M-shaped checkpoint',
  pairs: nPairs,
  positionsPerSequence: positionsPerPair / 2,
  baseline: native ? 'native' : 'wasmSimd',
  tokensPerSecond: {
    wasmSimd: s.tokensPerSecond,
    wasmScalar: c.tokensPerSecond,
    native: native?.tokensPerSecond ?? null,
  },
  secondsPerPair: {
    wasmSimd: s.secondsPerPair,
    wasmScalar: c.secondsPerPair,
    native: native?.secondsPerPair ?? null,
  },
  ratioToBaseline: { wasmSimd: ratio(s, 'tokensPerSecond'), wasmScalar: ratio(c, 'tokensPerSecond') },
  cpuTime: {
    tokensPerCpuSecond: {
      wasmSimd: s.tokensPerCpuSecond,
      wasmScalar: c.tokensPerCpuSecond,
      native: native?.tokensPerCpuSecond ?? null,
    },
    ratioToBaseline: { wasmSimd: ratio(s, 'tokensPerCpuSecond'), wasmScalar: ratio(c, 'tokensPerCpuSecond') },
  },
  updateSeconds: {
    wasmSimd: s.updateSeconds,
    wasmScalar: c.updateSeconds,
    native: native?.updateSeconds ?? null,
  },
  referenceSecondsPerPair: {
    wasmSimd: s.referenceSecondsPerPair,
    wasmScalar: c.referenceSecondsPerPair,
    native: native?.referenceSecondsPerPair ?? null,
  },
  peakMemoryBytes: {
    wasmSimd: s.peakMemoryBytes,
    wasmScalar: c.peakMemoryBytes,
    native: native?.peakMemoryBytes ?? null,
  },
  loadAverage: os.loadavg()[0],
  identicalCheckpoints: identical,
};

if (values.json) {
  console.log(JSON.stringify(result));
} else {
  const f = (n: number | null | undefined, d = 1) => (n === null || n === undefined ? 'n/a' : n.toFixed(d));
  const rows: [string, Row | null][] = [
    ['wasm-simd', s],
    ['wasm-scalar', c],
    ['native (gcc)', native],
  ];
  log(
    `\n${'backend'.padEnd(14)} ${'tok/s f+b'.padStart(10)} ${'tok/cpu-s'.padStart(10)} ${'s/pair'.padStart(8)} ${'update s'.padStart(9)} ${'ref s/pair'.padStart(11)} ${'ratio'.padStart(6)} ${'peak MiB'.padStart(9)}`,
  );
  for (const [name, r] of rows)
    log(
      `${name.padEnd(14)} ${f(r?.tokensPerSecond).padStart(10)} ${f(r?.tokensPerCpuSecond).padStart(10)} ${f(r?.secondsPerPair, 2).padStart(8)} ${f(r?.updateSeconds, 3).padStart(9)} ${f(r?.referenceSecondsPerPair, 2).padStart(11)} ${f(r ? r.tokensPerSecond / baseline.tokensPerSecond : null, 2).padStart(6)} ${f(r ? r.peakMemoryBytes / 2 ** 20 : null).padStart(9)}`,
    );
  log(
    `\n${nPairs} DPO pairs of 2 x ${positionsPerPair / 2} positions, one pair per step, fastest step shown; ratio = tokens/s against ${result.baseline} in this run`,
  );
  log(
    `same trained checkpoint on every backend: ${identical ? 'yes' : 'NO'}; load average while measuring: ${(result.loadAverage ?? 0).toFixed(2)} on ${os.cpus().length} cores`,
  );
  log(
    'peak memory: wasm = the instance linear memory (base + policy + gradients + Adam m, v + activations); native = max RSS',
  );
  if (!native) log('native: dist/llm-train-native missing (no gcc at build time); baseline is wasm-simd');
}
if (!identical) process.exitCode = 1;
