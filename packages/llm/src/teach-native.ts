// Driving dist/llm-train-native (the gcc build of the same trainer) from TypeScript: the benchmark's baseline and the
// third build of the cross-build bit-exactness tests. The hyper-parameters go over as their 88 wire bytes in hex and
// the pairs as the same int32 block the WebAssembly module gets, so nothing is re-parsed differently.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCheckpointHeader } from './checkpoint.ts';
import { cError, llmError } from './errors.ts';
import { trainNativePath } from './paths.ts';
import { checkPairs, encodePairs, type PreferencePair } from './teach-pairs.ts';
import { encodeHyperParameters, resolveHyperParameters, type HyperParameters } from './teach-params.ts';
import { metricsFromRow, type StepMetrics } from './trainer.ts';

export interface TeachNativeOptions {
  checkpointPath: string;
  pairs: readonly PreferencePair[];
  hyperParameters?: Partial<HyperParameters>;
  /** Where the trained checkpoint goes (written only when every step is done). */
  outPath: string;
  /** Resume from this step file. */
  stateIn?: string;
  /** Write a step file here before exiting. */
  stateOut?: string;
  /** Stop once this many steps are done (an interrupted run, for resume tests). */
  stopAfter?: number;
  /** Called as each step finishes (read from the driver's output while it runs), for a live progress display. */
  onStep?: (metrics: StepMetrics, time: { pairMs: number; updateMs: number }) => void;
}

export interface TeachNativeResult {
  metrics: StepMetrics[];
  steps: number;
  totalSteps: number;
  written: boolean;
  /** Wall and CPU time of the reference pass (forward passes of every pair with the base weights). */
  referenceMs: number;
  referenceCpuMs: number;
  /** Per step: wall time of its pairs (forward + backward) and of its update, and the step's CPU time. */
  stepTimes: { pairMs: number; updateMs: number; cpuMs: number }[];
  trainCpuMs: number;
  maxRssKb: number;
}

export async function runTeachNative(opts: TeachNativeOptions): Promise<TeachNativeResult> {
  const bin = trainNativePath();
  if (!bin)
    throw llmError(
      'native-unavailable',
      'dist/llm-train-native is missing: run `pnpm --filter @tt/llm build` (needs gcc)',
    );
  const hp = resolveHyperParameters(opts.hyperParameters, opts.pairs.length);
  const header = readCheckpointHeader(await readFile(opts.checkpointPath));
  if (header) checkPairs(opts.pairs, header);
  const dir = await mkdtemp(join(tmpdir(), 'tt-teach-native-'));
  try {
    const block = encodePairs(opts.pairs);
    const pairsPath = join(dir, 'pairs.bin');
    await writeFile(pairsPath, new Uint8Array(block.buffer, block.byteOffset, block.byteLength));
    const args = ['--base', opts.checkpointPath, '--pairs', pairsPath, '--out', opts.outPath];
    args.push('--params', Buffer.from(encodeHyperParameters(hp)).toString('hex'));
    if (opts.stateIn) args.push('--state-in', opts.stateIn);
    if (opts.stateOut) args.push('--state-out', opts.stateOut);
    if (opts.stopAfter !== undefined) args.push('--stop-after', String(opts.stopAfter));
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = execFile(bin, args, { maxBuffer: 256 << 20 }, (err, out) => {
        // Exit code 2 carries a JSON error on stdout; anything else is a crash.
        if (err && !(err.code === 2 && out))
          reject(llmError('native-failed', `llm-train-native failed: ${err.message}`));
        else resolve(out);
      });
      const onStep = opts.onStep;
      if (onStep && child.stdout) {
        let partial = '';
        child.stdout.on('data', (chunk: Buffer | string) => {
          const lines = (partial + chunk.toString()).split('\n');
          partial = lines.pop()!;
          for (const line of lines) {
            if (!line.startsWith('{"event":"step"')) continue;
            const e = JSON.parse(line) as {
              step: number;
              pairMs: number;
              updateMs: number;
              metrics: number[];
            };
            onStep(metricsFromRow(e.step, e.metrics), { pairMs: e.pairMs, updateMs: e.updateMs });
          }
        });
      }
    });
    const events = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const last = events[events.length - 1]!;
    if (typeof last.error === 'number')
      throw cError(last.error, `llm-train-native: ${String(last.what)} (detail ${String(last.detail)})`);
    const ref = events.find((e) => e.event === 'reference')!;
    const rows = last.metrics as number[][];
    return {
      metrics: rows.map((row, s) => metricsFromRow(s, row)),
      steps: last.steps as number,
      totalSteps: last.totalSteps as number,
      written: last.written as boolean,
      referenceMs: ref.ms as number,
      referenceCpuMs: ref.cpuMs as number,
      stepTimes: events
        .filter((e) => e.event === 'step')
        .map((e) => ({
          pairMs: e.pairMs as number,
          updateMs: e.updateMs as number,
          cpuMs: e.cpuMs as number,
        })),
      trainCpuMs: last.trainCpuMs as number,
      maxRssKb: last.maxRssKb as number,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
