// pnpm bench:vm [--json]: what a generated token costs inside the real Cartesi machine (riscv64 Node, WASM scalar).
// Each model runs twice with different step counts; the difference of the two runs' cycle counts over the difference
// of their forward passes is the cost of one token, so boot, Node's start and the model load cancel out. Cycle counts
// do not depend on how busy this host is; cyclesPerSecond (the emulator's speed here) does, and turns them into time.
//   cyclesPerToken15M / 260K   cycles per generated token (stories15M's exact shape, seeded random weights; stories260K)
//   startupCycles              boot + Node + loading the 15M-shaped model (the shorter run minus its tokens)
//   cyclesPerSecond            emulator speed over all runs of this benchmark
//   secondsPer256Tokens15M     one 256-token response at that speed; a prompt is two responses
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readDrive } from '@tt/dapp/batch';
import { STORIES15M_SHAPE, anyTokenizerPath, randomCheckpointPath, sharedModels } from '@tt/llm/testing';
import { BANNER, buildMachine } from '../src/build/index.ts';
import { makeFilesDrive } from '../src/run/drives.ts';
import { blankDrive, runMachine } from '../src/run/machine.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename } from 'node:path';

const { values } = parseArgs({ options: { json: { type: 'boolean' } }, strict: true });
const log = (s: string) => (values.json ? process.stderr : process.stdout).write(`${s}\n`);
const image = await buildMachine({ log });
log(BANNER);
const work = mkdtempSync(join(tmpdir(), 'tt-bench-vm-'));
let totalCycles = 0;
let totalMs = 0;

interface Point {
  cycles: number;
  forwardPasses: number;
}

async function point(label: string, checkpoint: string, tokenizer: string, steps: number): Promise<Point> {
  const dir = mkdtempSync(join(work, `${label}-${steps}-`));
  const model = await makeFilesDrive([checkpoint, tokenizer], { workDir: dir, label: 'model' });
  const out = blankDrive(join(dir, 'out.bin'), 1 << 20);
  const r = await runMachine({
    image,
    maxMcycle: Number(process.env.TT_MACHINE_MAX_MCYCLE ?? 200e9),
    drives: [
      { label: 'model', file: model },
      { label: 'out', file: out, shared: true, mount: false, user: 'dapp' },
    ],
    command: `node /opt/tt/tt-engine.mjs generate /mnt/model/${basename(checkpoint)} /mnt/model/${basename(tokenizer)} ${steps} /dev/pmem2`,
  });
  if (r.exitCode !== 0)
    throw new Error(`${label} ${steps} steps failed in the machine:\n${r.console.slice(-3000)}`);
  const { forwardPasses } = JSON.parse(readDrive(out)) as { forwardPasses: number };
  totalCycles += r.cycles;
  totalMs += r.wallMs;
  log(
    `  ${label}, ${steps} steps: ${forwardPasses} forward passes, ${(r.cycles / 1e9).toFixed(3)} G cycles, ${(r.wallMs / 1000).toFixed(1)} s`,
  );
  return { cycles: r.cycles, forwardPasses };
}

function perToken(a: Point, b: Point, label: string): number {
  if (b.forwardPasses <= a.forwardPasses)
    throw new Error(`${label}: the longer run did not run more forward passes`);
  return (b.cycles - a.cycles) / (b.forwardPasses - a.forwardPasses);
}

const models = sharedModels();
if (!models.available) throw new Error(models.missingReason!);
log('stories260K (real weights):');
const s260 = [
  await point('stories260K', models.checkpoint, models.tokenizer, 64),
  await point('stories260K', models.checkpoint, models.tokenizer, 320),
];
log('stories15M shape (dim 288, hidden 768, 6 layers, vocab 32000; seeded random weights):');
const ckpt15 = randomCheckpointPath(STORIES15M_SHAPE, 15);
const tok = anyTokenizerPath();
const s15 = [
  await point('stories15M-shape', ckpt15, tok, 8),
  await point('stories15M-shape', ckpt15, tok, 48),
];

const cyclesPerToken260K = perToken(s260[0]!, s260[1]!, 'stories260K');
const cyclesPerToken15M = perToken(s15[0]!, s15[1]!, 'stories15M');
const startupCycles = s15[0]!.cycles - s15[0]!.forwardPasses * cyclesPerToken15M;
const cyclesPerSecond = totalCycles / (totalMs / 1000);
const secondsPer256Tokens15M = (256 * cyclesPerToken15M) / cyclesPerSecond;
const result = {
  cyclesPerToken15M: Math.round(cyclesPerToken15M),
  cyclesPerToken260K: Math.round(cyclesPerToken260K),
  startupCycles: Math.round(startupCycles),
  cyclesPerSecond: Math.round(cyclesPerSecond),
  secondsPer256Tokens15M: Number(secondsPer256Tokens15M.toFixed(1)),
  ratio15MTo260K: Number((cyclesPerToken15M / cyclesPerToken260K).toFixed(2)),
};
if (values.json) {
  console.log(JSON.stringify(result));
} else {
  const g = (n: number) => `${(n / 1e6).toFixed(1)} M`;
  console.log('\n| figure | value |\n| --- | --- |');
  console.log(
    `| cycles per token, stories15M shape | ${g(result.cyclesPerToken15M)} (${result.ratio15MTo260K}× stories260K) |`,
  );
  console.log(`| cycles per token, stories260K | ${g(result.cyclesPerToken260K)} |`);
  console.log(`| startup (boot + Node + 15M model load) | ${g(result.startupCycles)} |`);
  console.log(`| emulator speed on this host | ${g(result.cyclesPerSecond)} cycles/s |`);
  console.log(
    `| one 256-token stories15M response | ${result.secondsPer256Tokens15M} s (a prompt: two responses) |`,
  );
}
