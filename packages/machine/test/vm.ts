// Plumbing for the tests that boot the machine: the image (built by `pnpm machine build`, which test:vm runs
// first), a work folder per test, and the cycle limit (TT_MACHINE_MAX_MCYCLE).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedModels } from '@tt/llm/testing';
import { buildMachine, type MachineImage } from '../src/build/index.ts';
import { runMachine, type RunOptions, type RunResult } from '../src/run/machine.ts';

export const models = sharedModels();

let cached: Promise<MachineImage> | null = null;
export function machineImage(): Promise<MachineImage> {
  cached ??= buildMachine({ log: (l) => console.log(l) });
  return cached;
}

export function workDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `tt-machine-${name}-`));
}

/** A generous bound: the heaviest test run is about 10 G cycles. */
export const MAX_MCYCLE = Number(process.env.TT_MACHINE_MAX_MCYCLE ?? 100e9);

/** Runs a command in the machine, echoing its console when TT_TEST_LOG is set, and prints its cost. */
export async function run(
  what: string,
  o: Omit<RunOptions, 'image' | 'maxMcycle'> & { maxMcycle?: number },
): Promise<RunResult> {
  const r = await runMachine({
    image: await machineImage(),
    maxMcycle: MAX_MCYCLE,
    onLine: process.env.TT_TEST_LOG ? (l) => console.log(`[machine] ${l}`) : undefined,
    ...o,
  });
  console.log(
    `${what}: ${(r.cycles / 1e9).toFixed(2)} G cycles, ${(r.wallMs / 1000).toFixed(1)} s, exit code ${r.exitCode}`,
  );
  if (r.exitCode !== 0) console.log(r.console.slice(-4000));
  return r;
}
