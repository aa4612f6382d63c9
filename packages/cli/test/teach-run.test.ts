// `tt teach`'s training run without a chain (the chain part is in teach.e2e.test.ts): what it writes, that the bytes
// are the same from every build, and the bad cases: NaN in the base, an interrupted run, a disk without room.
//
// A disk without room is a real one: a 1-2 MB tmpfs mounted in a user and mount namespace (`unshare`, no root
// needed where user namespaces are enabled), so writes fail with the kernel's own ENOSPC mid-file; and, where
// namespaces are not available, a file-size limit (RLIMIT_FSIZE, `ulimit -f`), under which writes fail with EFBIG.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTeachManifest } from '@tt/client';
import { createTrainer, LlmError, modelHash, resolveHyperParameters, trainNativePath } from '@tt/llm/node';
import { explainEmptyDataset, runTeach } from '../src/teach/run.ts';
import { runKey, stepFilePath } from '../src/teach/outputs.ts';
import { stepsInStepFile, train } from '../src/teach/train.ts';
import { fixture, HYPER_PARAMETERS, SHAPE, SNAPSHOT } from './teach-fixtures.ts';
import { tempDir } from './support.ts';

const f = fixture();
const work = tempDir('tt-teach-run-');
const here = dirname(fileURLToPath(import.meta.url));
const cliDir = join(here, '..');
const childScript = join(here, 'teach-disk-child.ts');
const haveNative = trainNativePath() !== null;

function run(outDir: string | undefined, opts: Partial<Parameters<typeof runTeach>[0]> = {}) {
  return runTeach({
    base: { checkpoint: f.checkpoint, tokenizer: f.tokenizer, checkpointPath: f.checkpointPath },
    snapshot: SNAPSHOT,
    dataset: f.dataset,
    hyperParameters: HYPER_PARAMETERS,
    backend: 'simd',
    outDir,
    repoRoot: work.path,
    ...opts,
  });
}

async function failure(p: Promise<unknown>): Promise<LlmError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(LlmError);
  return e as LlmError;
}

const listing = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);

let reference: { json: string; modelHash: string; stateBytes: number; key: string };

beforeAll(async () => {
  const r = await run(join(work.path, 'reference'));
  const hp = resolveHyperParameters(HYPER_PARAMETERS, f.dataset.pairs.length);
  const trainer = await createTrainer({
    checkpoint: f.checkpoint,
    pairs: f.dataset.pairs,
    hyperParameters: hp,
  });
  reference = {
    json: readFileSync(r.paths.manifest, 'utf8'),
    modelHash: r.manifest.modelHash,
    stateBytes: trainer.stateBytes,
    key: runKey(r.manifest.parentHash, f.dataset.commitment, hp),
  };
  trainer.dispose();
}, 120_000);

afterAll(() => work.remove());

describe('a training run', () => {
  it('writes model.bin, model.json and training.svg, and keeps no step file', async () => {
    const dir = join(work.path, 'reference');
    expect(listing(dir)).toEqual(['model.bin', 'model.json', 'training.svg']);
    const m = parseTeachManifest(JSON.parse(reference.json));
    expect(await modelHash(new Uint8Array(readFileSync(join(dir, 'model.bin'))), f.tokenizer)).toBe(
      m.modelHash,
    );
    expect(m).toMatchObject({
      datasetCommitment: f.dataset.commitment,
      block: SNAPSHOT.block,
      pairs: 6,
      steps: 6,
      hyperParameters: { epochs: 2, batchSize: 2, beta: 0.1, learningRate: 5e-5, seed: 0 },
    });
    expect(m.metrics).toHaveLength(6);
    expect(m.evaluation.trainedMargin).toBeGreaterThan(m.evaluation.baseMargin);
    expect(readFileSync(join(dir, 'training.svg'), 'utf8')).toMatch(
      /^<svg[^>]*>[\s\S]*DPO loss[\s\S]*<\/svg>\n$/,
    );
  });

  it(`gives the same model.json, byte for byte, from ${haveNative ? 'scalar and native' : 'scalar (native not built)'}`, async () => {
    const scalar = await run(join(work.path, 'scalar'), { backend: 'scalar' });
    expect(readFileSync(scalar.paths.manifest, 'utf8')).toBe(reference.json);
    if (haveNative) {
      const native = await run(join(work.path, 'native'), { backend: 'native' });
      expect(readFileSync(native.paths.manifest, 'utf8')).toBe(reference.json);
    }
  }, 120_000);

  it('defaults to <repo>/.tt/teach/<run key>/', async () => {
    const r = await run(undefined);
    expect(r.outDir).toBe(join(work.path, '.tt', 'teach', reference.key));
    expect(r.manifest.modelHash).toBe(reference.modelHash);
  }, 60_000);

  it('an interrupted run resumes from its step file and ends with the same bytes', async () => {
    const dir = join(work.path, 'interrupted');
    const stop = new AbortController();
    const err = await failure(
      run(dir, {
        signal: stop.signal,
        onProgress: (p) => {
          if (p.phase === 'train' && p.metrics && p.step === 3) stop.abort();
        },
      }),
    );
    expect(err.code).toBe('teach-aborted');
    const step = stepFilePath(dir, reference.key);
    expect(listing(dir)).toEqual([`train-${reference.key}.step`]); // no model.bin, no manifest
    expect(stepsInStepFile(new Uint8Array(readFileSync(step)))).toBe(3);
    const resumed = await run(dir, { backend: 'scalar' }); // and in another build
    expect(resumed.resumedFrom).toBe(3);
    expect(readFileSync(resumed.paths.manifest, 'utf8')).toBe(reference.json);
    expect(listing(dir)).toEqual(['model.bin', 'model.json', 'training.svg']);
  }, 120_000);

  const poisoned = (floatIndex: number) => {
    const bad = f.checkpoint.slice();
    new DataView(bad.buffer).setFloat32(28 + 4 * floatIndex, Number.NaN, true);
    return bad;
  };
  const runOn = (checkpoint: Uint8Array, dir: string) =>
    runTeach({
      base: { checkpoint, tokenizer: f.tokenizer },
      snapshot: SNAPSHOT,
      dataset: f.dataset,
      hyperParameters: HYPER_PARAMETERS,
      backend: 'simd',
      outDir: dir,
      repoRoot: work.path,
    });

  it('NaN in a weight every pair uses: refused in the base pass, nothing written', async () => {
    const dir = join(work.path, 'nan-used');
    // rms_att[3] of layer 0, right after the token embedding
    const err = await failure(runOn(poisoned(SHAPE.vocabSize * SHAPE.dim + 3), dir));
    expect(err.code).toBe('teach-non-finite');
    expect(err.message).toMatch(/NaN or Inf .*while computing the base model.s log-probabilities/);
    expect(listing(dir)).toEqual([]);
  }, 60_000);

  it('NaN that shows in training (a weight no pair reads turns the first update non-finite): the step is refused, no model written', async () => {
    const dir = join(work.path, 'nan-update');
    // the embedding row of a token no pair holds: forward passes never read it, the optimizer's update does
    const unused = [...Array(SHAPE.vocabSize).keys()].find(
      (t) =>
        t > 2 &&
        !f.dataset.pairs.some((p) => [...p.promptTokens, ...p.chosenTokens, ...p.rejectedTokens].includes(t)),
    )!;
    const err = await failure(runOn(poisoned(unused * SHAPE.dim), dir));
    expect(err.code).toBe('teach-non-finite');
    expect(err.message).toMatch(/at step 1 of 6: the step was refused and nothing was written/);
    // The state before the refused step stays as the step file (it is sound); no model, manifest or plot.
    expect(listing(dir)).toEqual([
      `train-${runKey(await modelHash(poisoned(unused * SHAPE.dim), f.tokenizer), f.dataset.commitment, resolveHyperParameters(HYPER_PARAMETERS, 6))}.step`,
    ]);
    expect(stepsInStepFile(new Uint8Array(readFileSync(join(dir, listing(dir)[0]!))))).toBe(0);
  }, 60_000);

  it('says why when there is nothing to train on', async () => {
    const empty = { ...f.dataset, pairs: [], entries: [] };
    const counts = (c: Partial<typeof f.dataset.counts>) => ({
      ...empty,
      counts: { ...f.dataset.counts, pairs: 0, ranked: 0, votes: 0, conversations: 0, ...c },
    });
    const none = explainEmptyDataset(counts({}));
    expect([none.code, none.message]).toEqual([
      'dataset-empty',
      'no pairs to train on: the contract has no conversations yet',
    ]);
    const ties = explainEmptyDataset(counts({ conversations: 3, ranked: 2, ties: 2, unranked: 1 }));
    expect(ties.code).toBe('dataset-only-ties');
    expect(ties.message).toMatch(/every ranked conversation is a tie \(2 of them/);
    expect(ties.hint).toMatch(/pnpm tt rank ID --confirm/);
    const mixed = explainEmptyDataset(counts({ conversations: 4, unanswered: 2, unranked: 1, identical: 1 }));
    expect([mixed.code, mixed.message]).toEqual([
      'dataset-empty',
      'no pairs to train on: 4 conversations: 2 without both responses on chain, 1 unranked, 1 with two identical responses',
    ]);
    const thrown = await run(join(work.path, 'empty'), {
      dataset: counts({ conversations: 2, ties: 2 }),
    }).catch((e: unknown) => e);
    expect((thrown as { code: string }).code).toBe('dataset-only-ties');
    expect(listing(join(work.path, 'empty'))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------- a disk without room

/** Whether this machine lets an unprivileged process mount a tmpfs in its own user + mount namespace. */
function namespacesWork(): string | null {
  const mnt = join(work.path, 'probe');
  mkdirSync(mnt, { recursive: true });
  const r = spawnSync('unshare', [
    '--user',
    '--map-root-user',
    '--mount',
    'sh',
    '-c',
    `mount -t tmpfs -o size=64k tmpfs "$1"`,
    'sh',
    mnt,
  ]);
  return r.status === 0
    ? null
    : `unshare/mount tmpfs not permitted here: ${String(r.stderr ?? r.error).trim()}`;
}
const noNamespaces = namespacesWork();

interface ChildResult {
  ok: boolean;
  code?: string;
  message?: string;
}

/** Runs the child in OUT under `setup` (shell lines run before it), then copies OUT's files to `save`. */
function child(shell: string[], setup: string, out: string, save: string, args: string[] = []): ChildResult {
  const script = `${setup}\n"${process.execPath}" --import tsx "${childScript}" "${out}"; rc=$?\nmkdir -p "${save}"; cp -a "${out}/." "${save}/" 2>/dev/null; exit $rc`;
  const stdout = execFileSync(shell[0]!, [...shell.slice(1), 'bash', '-c', script, ...args], {
    cwd: cliDir,
    encoding: 'utf8',
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildResult;
}

describe('a disk without room', () => {
  it.skipIf(noNamespaces !== null)(
    `full mid-run (ENOSPC on a real tmpfs): the previous step file stays whole and the run resumes with the same bytes${noNamespaces ? ` — SKIPPED: ${noNamespaces}` : ''}`,
    async () => {
      // Room for one step file but not for its replacement: the reference pass's step file fits, step 1's does not.
      const kb = Math.ceil((1.5 * reference.stateBytes) / 1024);
      const mnt = join(work.path, 'mnt-a');
      const save = join(work.path, 'saved-a');
      mkdirSync(mnt, { recursive: true });
      const r = child(
        ['unshare', '--user', '--map-root-user', '--mount'],
        `mount -t tmpfs -o size=${kb}k tmpfs "${mnt}" || exit 90`,
        join(mnt, 'run'),
        save,
      );
      expect(r.ok).toBe(false);
      expect(r.code).toBe('teach-write-failed');
      expect(r.message).toMatch(/cannot write the step file .*ENOSPC.*the previous step file is intact/);
      expect(listing(save)).toEqual([`train-${reference.key}.step`]); // no temporary file, no model
      const step = new Uint8Array(readFileSync(join(save, `train-${reference.key}.step`)));
      expect(step.length).toBe(reference.stateBytes);
      expect(stepsInStepFile(step)).toBe(0);
      const resumed = await run(save);
      expect(resumed.resumedFrom).toBe(0);
      expect(readFileSync(resumed.paths.manifest, 'utf8')).toBe(reference.json);
    },
    120_000,
  );

  it.skipIf(noNamespaces !== null)(
    `full when writing the model (ENOSPC): nothing half-written, the step file stays, the same command finishes it${noNamespaces ? ` — SKIPPED: ${noNamespaces}` : ''}`,
    async () => {
      // A finished run's step file (training done, outputs not yet written) on a disk with no room for model.bin.
      const seed = join(work.path, 'seed-b');
      mkdirSync(seed, { recursive: true });
      const hp = resolveHyperParameters(HYPER_PARAMETERS, f.dataset.pairs.length);
      const stepName = `train-${reference.key}.step`;
      await train({
        checkpoint: f.checkpoint,
        tokenizer: f.tokenizer,
        pairs: f.dataset.pairs,
        hyperParameters: hp,
        backend: 'simd',
        stepFile: join(seed, stepName),
      });
      const kb = Math.ceil((reference.stateBytes + 0.1 * f.checkpoint.length) / 1024) + 8;
      const mnt = join(work.path, 'mnt-b');
      const save = join(work.path, 'saved-b');
      mkdirSync(mnt, { recursive: true });
      const r = child(
        ['unshare', '--user', '--map-root-user', '--mount'],
        `mount -t tmpfs -o size=${kb}k tmpfs "${mnt}" || exit 90\nmkdir -p "${mnt}/run" && cp "${join(seed, stepName)}" "${mnt}/run/" || exit 91`,
        join(mnt, 'run'),
        save,
      );
      expect(r.ok).toBe(false);
      expect(r.code).toBe('teach-write-failed');
      expect(r.message).toMatch(
        /cannot write .*model\.bin \(ENOSPC: no room for it on that disk\).*run the same command again/,
      );
      expect(listing(save)).toEqual([stepName]);
      const finished = await run(save);
      expect(finished.resumedFrom).toBe(6);
      expect(readFileSync(finished.paths.manifest, 'utf8')).toBe(reference.json);
      expect(listing(save)).toEqual(['model.bin', 'model.json', 'training.svg']);
    },
    120_000,
  );

  it('a file-size limit (RLIMIT_FSIZE: EFBIG) works anywhere: refused with the reason, nothing left behind', async () => {
    const out = join(work.path, 'fsize');
    const save = join(work.path, 'saved-fsize');
    const blocks = Math.floor(reference.stateBytes / 2 / 1024); // bash counts 1024-byte blocks
    const r = child(['env'], `ulimit -f ${blocks}`, out, save);
    expect(r.ok).toBe(false);
    expect(r.code).toBe('teach-write-failed');
    expect(r.message).toMatch(/cannot write the step file .*EFBIG/);
    expect(listing(out)).toEqual([]);
    const again = await run(out);
    expect(readFileSync(again.paths.manifest, 'utf8')).toBe(reference.json);
    expect(statSync(again.paths.model).size).toBe(f.checkpoint.length);
  }, 120_000);
});
