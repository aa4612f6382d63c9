// pnpm bench:vm:teach [--json]: what DPO fine-tuning costs inside the real Cartesi machine (riscv64 Node, the scalar
// WASM trainer), per trained pair: for each model, two runs on one synthetic pair that differ only in the number of
// epochs (1 and 2); the difference of their cycle counts is one optimizer step over one pair (forward and backward of
// the chosen and the rejected response), with boot, Node, loading and the reference pass cancelled out. The pair is
// PROMPT prompt ids + RESPONSE ids per response; the figures are also given per trained position, so longer pairs
// scale from them (at these lengths the cost is close to linear in positions). A Cartesi machine cycle is one riscv64
// instruction, so cycles / 1e8 is the time at 100 M instructions/s.
//   cyclesPerPair15M / 260K    cycles of one pair's optimizer step (stories15M's exact shape, seeded random weights)
//   cyclesPerPosition15M / 260K   the same per trained position (prompt + one response, both responses counted once)
//   secondsPerPair15MAt100M    cyclesPerPair15M at 100 M instructions/s
//   cyclesPerSecond            this host's emulator speed over all runs
import { basename, join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { readDrive } from '@tt/dapp/batch';
import { STORIES15M_SHAPE, anyTokenizerPath, randomCheckpointPath, sharedModels } from '@tt/llm/testing';
import { BANNER, buildMachine } from '../src/build/index.ts';
import { makeFilesDrive } from '../src/run/drives.ts';
import { blankDrive, runMachine } from '../src/run/machine.ts';

const PROMPT = Number(process.env.TT_BENCH_PROMPT_IDS ?? 8);
const RESPONSE = Number(process.env.TT_BENCH_RESPONSE_IDS ?? 24);

const { values } = parseArgs({ options: { json: { type: 'boolean' } }, strict: true });
const log = (s: string) => (values.json ? process.stderr : process.stdout).write(`${s}\n`);
const image = await buildMachine({ log });
log(BANNER);
const work = mkdtempSync(join(tmpdir(), 'tt-bench-vm-teach-'));
let totalCycles = 0;
let totalMs = 0;

async function run(label: string, checkpoint: string, tokenizer: string, epochs: number): Promise<number> {
  const dir = mkdtempSync(join(work, `${label}-${epochs}-`));
  const model = await makeFilesDrive([checkpoint, tokenizer], { workDir: dir, label: 'model' });
  const out = blankDrive(join(dir, 'out.bin'), 1 << 20);
  const r = await runMachine({
    image,
    ...(process.env.TT_MACHINE_RAM_MIB ? { ramMiB: Number(process.env.TT_MACHINE_RAM_MIB) } : {}),
    maxMcycle: Number(process.env.TT_MACHINE_MAX_MCYCLE ?? 2000e9),
    drives: [
      { label: 'model', file: model },
      { label: 'out', file: out, shared: true, mount: false, user: 'dapp' },
    ],
    command: `node /opt/tt/tt-engine.mjs train-cost /mnt/model/${basename(checkpoint)} /mnt/model/${basename(tokenizer)} ${epochs} ${PROMPT} ${RESPONSE} /dev/pmem2`,
  });
  if (r.exitCode !== 0)
    throw new Error(`${label} (${epochs} epochs) failed in the machine:\n${r.console.slice(-3000)}`);
  const { steps } = JSON.parse(readDrive(out)) as { steps: number };
  if (steps !== epochs) throw new Error(`${label}: expected ${epochs} steps, the machine ran ${steps}`);
  totalCycles += r.cycles;
  totalMs += r.wallMs;
  log(
    `  ${label}, ${epochs} step(s): ${(r.cycles / 1e9).toFixed(3)} G cycles, ${(r.wallMs / 1000).toFixed(1)} s`,
  );
  return r.cycles;
}

const models = sharedModels();
if (!models.available) throw new Error(models.missingReason!);
log(`one pair of ${PROMPT} prompt ids and two ${RESPONSE}-id responses, 1 and 2 optimizer steps:`);
const pair260K =
  -(await run('stories260K', models.checkpoint, models.tokenizer, 1)) +
  (await run('stories260K', models.checkpoint, models.tokenizer, 2));
const ckpt15 = randomCheckpointPath(STORIES15M_SHAPE, 15);
const tok = anyTokenizerPath();
const pair15M =
  -(await run('stories15M-shape', ckpt15, tok, 1)) + (await run('stories15M-shape', ckpt15, tok, 2));
const positions = 2 * (PROMPT + RESPONSE);
const result = {
  promptTokens: PROMPT,
  responseTokens: RESPONSE,
  cyclesPerPair15M: pair15M,
  cyclesPerPair260K: pair260K,
  cyclesPerPosition15M: Math.round(pair15M / positions),
  cyclesPerPosition260K: Math.round(pair260K / positions),
  secondsPerPair15MAt100M: Number((pair15M / 1e8).toFixed(1)),
  secondsPerPair260KAt100M: Number((pair260K / 1e8).toFixed(2)),
  cyclesPerSecond: Math.round(totalCycles / (totalMs / 1000)),
};
if (values.json) console.log(JSON.stringify(result));
else {
  const g = (n: number) => `${(n / 1e9).toFixed(2)} G`;
  console.log('\n| figure | stories260K | stories15M shape |\n| --- | --- | --- |');
  console.log(`| cycles per trained pair (${PROMPT}+2×${RESPONSE} ids) | ${g(pair260K)} | ${g(pair15M)} |`);
  console.log(
    `| cycles per trained position | ${(result.cyclesPerPosition260K / 1e6).toFixed(1)} M | ${(result.cyclesPerPosition15M / 1e6).toFixed(1)} M |`,
  );
  console.log(
    `| one pair at 100 M instructions/s | ${result.secondsPerPair260KAt100M} s | ${result.secondsPerPair15MAt100M} s |`,
  );
  console.log(`| emulator speed on this host | ${(result.cyclesPerSecond / 1e6).toFixed(0)} M cycles/s | |`);
}
