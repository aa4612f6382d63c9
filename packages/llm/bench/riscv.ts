// pnpm bench:riscv [--json] [--short N] [--long N]: riscv64 instructions per generated token on the stories15M shape
// (and stories260K when the shared model is there), counted under qemu-user with our plugin (riscv/icount.c):
//   wasm-scalar  the engine's scalar WebAssembly build on Debian trixie's riscv64 Node, driven by src/engine.ts,
//                as the backend runs inside the Cartesi machine (which has no vector unit, so no SIMD)
//   native       the same C built by riscv64-linux-gnu-gcc (dist/llm-native-riscv64)
// Each runs greedy from BOS, and sampled as bench:vm samples inside the machine (@tt/llm/testing's BENCH_SAMPLING: temperature 1.2,
// top-p 0.95, so the figures compare with bench:vm's cyclesPerToken). Each is run for two lengths; the difference of
// their counts over the difference of their forward passes is the cost of a token, so Node's start, the model load
// and compilation cancel. Instruction counts do not depend on the machine's load, unlike times: this is the figure
// the engine's speed work optimises for the machine.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import ts from 'typescript';
import { distDir, packageDir, wasmPaths } from '../src/paths.ts';
import { f32Bits, runNative } from '../src/native.ts';
import { sharedModels } from '../src/testing.ts';
import { STORIES15M_SHAPE, anyTokenizerPath, randomCheckpointPath } from '../test/models.ts';
import { cacheDir, ensureTools, type Tools } from './riscv/tools.ts';
import { BENCH_SAMPLING } from '../src/testing.ts';

const { values } = parseArgs({
  options: { json: { type: 'boolean' }, short: { type: 'string' }, long: { type: 'string' } },
  strict: true,
});
const SHORT = Number(values.short ?? 8);
const LONG = Number(values.long ?? 40);
const log = (s: string) => (values.json ? process.stderr : process.stdout).write(s + '\n');

const tools = ensureTools(log);
// The riscv64 native build needs the cross compiler ensureTools just made sure of.
execFileSync(process.execPath, ['--import', 'tsx', join(packageDir, 'scripts/build.ts')], {
  cwd: packageDir,
  stdio: ['ignore', values.json ? 'ignore' : 'inherit', 'inherit'],
});

/** riscv/run.ts and the engine sources it imports, as plain JavaScript (riscv64 Node has no TypeScript loader). */
function transpileRunner(): string {
  const out = join(cacheDir, 'js');
  rmSync(out, { recursive: true, force: true });
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = readFileSync(file, 'utf8');
    const js = ts
      .transpileModule(src, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      })
      .outputText.replace(/from '(\.[^']+)\.ts'/g, "from '$1.mjs'");
    const dest = join(out, relative(packageDir, file)).replace(/\.ts$/, '.mjs');
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, js);
    for (const m of src.matchAll(/from '(\.[^']+\.ts)'/g)) visit(join(dirname(file), m[1]!));
  };
  visit(join(packageDir, 'bench/riscv/run.ts'));
  return join(out, 'bench/riscv/run.mjs');
}

interface Run {
  instructions: number;
  forwards: number;
  tokens: number[];
}

function counted(t: Tools, args: string[], what: string): Run {
  const countFile = join(cacheDir, `count-${process.pid}.txt`);
  rmSync(countFile, { force: true });
  const r = spawnSync(t.qemu, ['-plugin', `${t.plugin},out=${countFile}`, ...args], {
    env: { ...process.env, LD_LIBRARY_PATH: t.qemuLibs },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0)
    throw new Error(`${what} failed under qemu (exit ${r.status}): ${r.stderr || r.stdout}`);
  const m = /icount (\d+)/.exec(readFileSync(countFile, 'utf8'));
  if (!m) throw new Error(`${what}: the plugin wrote no count`);
  const json = JSON.parse(r.stdout.trim().split('\n').pop()!) as { forwards: number; tokens: number[] };
  return { instructions: Number(m[1]), forwards: json.forwards, tokens: json.tokens };
}

interface Figures {
  perToken: number;
  startup: number;
  tokens: number[];
}

/** Per-token cost from two lengths; both runs must have run every position (no early BOS). */
function perToken(run: (steps: number) => Run, what: string): Figures {
  const a = run(SHORT);
  const b = run(LONG);
  if (a.forwards !== SHORT || b.forwards !== LONG)
    throw new Error(
      `${what}: expected ${SHORT} and ${LONG} forward passes, got ${a.forwards} and ${b.forwards}`,
    );
  const per = (b.instructions - a.instructions) / (b.forwards - a.forwards);
  return { perToken: per, startup: a.instructions - per * a.forwards, tokens: b.tokens };
}

const runner = transpileRunner();
const nativeRiscv = join(distDir, 'llm-native-riscv64');
const models: { key: string; checkpoint: string; tokenizer: string }[] = [
  { key: '15M', checkpoint: randomCheckpointPath(STORIES15M_SHAPE, 15), tokenizer: anyTokenizerPath() },
];
const shared = sharedModels();
if (shared.available)
  models.push({ key: '260K', checkpoint: shared.checkpoint, tokenizer: shared.tokenizer });
else log(`stories260K skipped: ${shared.missingReason}`);

/** Greedy (the key without suffix, as before sampled runs were counted) and bench:vm's sampling. */
const samplings = [
  { key: '', label: 'greedy', temperature: 0, topp: 0.9, seed: 0n },
  { key: 'Sampled', label: 'sampled', ...BENCH_SAMPLING },
];

const result: Record<string, unknown> = {};
let identical = true;
const rows: string[][] = [];
for (const m of models)
  for (const s of samplings) {
    const what = `${m.key} ${s.label}`;
    log(`counting ${what}: wasm-scalar on riscv64 Node, ${SHORT} and ${LONG} positions…`);
    const wasm = perToken(
      (steps) =>
        counted(
          tools,
          [
            '-L',
            tools.nodeRoot,
            join(tools.nodeRoot, 'usr/bin/node'),
            runner,
            wasmPaths().scalar,
            m.checkpoint,
            m.tokenizer,
            String(steps),
            'scalar',
            String(s.temperature),
            String(s.topp),
            String(s.seed),
          ],
          'wasm-scalar',
        ),
      `${what} wasm-scalar`,
    );
    log(`counting ${what}: riscv64 native…`);
    const native = perToken(
      (steps) =>
        counted(
          tools,
          [
            nativeRiscv,
            '--checkpoint',
            m.checkpoint,
            '--tokenizer',
            m.tokenizer,
            '--steps',
            String(steps),
            '--temp-bits',
            f32Bits(s.temperature),
            '--topp-bits',
            f32Bits(s.topp),
            '--seed',
            String(s.seed),
          ],
          'riscv64 native',
        ),
      `${what} native`,
    );
    // The same tokens as the x86 build on this machine: the count is of the real computation.
    const host = await runNative({
      checkpointPath: m.checkpoint,
      tokenizerPath: m.tokenizer,
      prompt: '',
      steps: LONG,
      temperature: s.temperature,
      topp: s.topp,
      seed: s.seed,
    });
    const same =
      JSON.stringify(wasm.tokens) === JSON.stringify(native.tokens) &&
      JSON.stringify(native.tokens) === JSON.stringify(host.tokens);
    identical &&= same;
    result[`wasmScalar${s.key}PerToken${m.key}`] = Math.round(wasm.perToken);
    result[`nativeRiscv64${s.key}PerToken${m.key}`] = Math.round(native.perToken);
    result[`ratioWasmNative${s.key}${m.key}`] = wasm.perToken / native.perToken;
    if (!s.key) {
      result[`wasmStartup${m.key}`] = Math.round(wasm.startup);
      result[`nativeStartup${m.key}`] = Math.round(native.startup);
    }
    const M = (n: number) => (n / 1e6).toFixed(1);
    rows.push([
      `${m.key} ${s.label}`,
      M(wasm.perToken),
      M(native.perToken),
      (wasm.perToken / native.perToken).toFixed(2),
      M(wasm.startup),
      same ? 'yes' : 'NO',
    ]);
  }

const qemuVersion = execFileSync(tools.qemu, ['--version'], {
  env: { ...process.env, LD_LIBRARY_PATH: tools.qemuLibs },
  encoding: 'utf8',
}).split('\n')[0];
const nodeVersion = execFileSync(
  tools.qemu,
  ['-L', tools.nodeRoot, join(tools.nodeRoot, 'usr/bin/node'), '--version'],
  { env: { ...process.env, LD_LIBRARY_PATH: tools.qemuLibs }, encoding: 'utf8' },
).trim();
Object.assign(result, {
  unit: 'riscv64 instructions per generated token (qemu-user count; difference of two run lengths)',
  positions: [SHORT, LONG],
  sampled: {
    temperature: BENCH_SAMPLING.temperature,
    topp: BENCH_SAMPLING.topp,
    seed: String(BENCH_SAMPLING.seed),
  },
  identicalTokens: identical,
  qemu: qemuVersion,
  riscv64Node: nodeVersion,
  loadAverage: os.loadavg()[0],
});

if (values.json) console.log(JSON.stringify(result));
else {
  log(
    `\n${'model'.padEnd(13)} ${'wasm-scalar M/tok'.padStart(18)} ${'native M/tok'.padStart(13)} ${'ratio'.padStart(6)} ${'wasm startup M'.padStart(15)} ${'same tokens'.padStart(12)}`,
  );
  for (const r of rows)
    log(
      `${r[0]!.padEnd(13)} ${r[1]!.padStart(18)} ${r[2]!.padStart(13)} ${r[3]!.padStart(6)} ${r[4]!.padStart(15)} ${r[5]!.padStart(12)}`,
    );
  log(
    `\ngoals (issue 13): bench:vm's cycles per token (the sampled 15M row here) <= 120 M, within 1.3x of riscv64 native`,
  );
  log(`${qemuVersion}; riscv64 Node ${nodeVersion}; positions ${SHORT} and ${LONG}`);
}
if (!identical) process.exitCode = 1;
