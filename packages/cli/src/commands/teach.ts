// tt teach: fine-tune the model on the ranked conversations (DPO), reproducibly. Reads the chain as of one block,
// builds the pairs (token ids from re-running each response, checked against the on-chain bytes), trains, and writes
// model.bin, model.json and the loss/margin plot. `tt teach --check model.json` re-runs all of it from the manifest
// and says whether it gives the same model.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import {
  buildPreferenceDataset,
  parseTeachManifest,
  readChainSnapshot,
  trustAndTeach,
  TtError,
  type ChainSnapshot,
  type PreferenceDataset,
  type TeachManifestFile,
} from '@tt/client';
import { findRepoRoot } from '@tt/client/node';
import {
  LlmError,
  loadEngine,
  modelHash,
  resolveBackend,
  resolveHyperParameters,
  wasmPaths,
  type HyperParameters,
} from '@tt/llm/node';
import type { Hex } from '@tt/protocol';
import { CliError } from '../errors.ts';
import { parseIntegerFlag } from '../flow/args.ts';
import { connect, type Connection } from '../flow/context.ts';
import { checkModelFlags, modelFiles } from '../flow/model.ts';
import type { Output } from '../flow/output.ts';
import { runFlow } from '../flow/run.ts';
import { progressView, type ProgressView } from '../teach/progress.ts';
import {
  explainEmptyDataset,
  runTeach,
  type BaseModel,
  type TeachRunOptions,
  type TeachRunResult,
} from '../teach/run.ts';
import { defaultTeachBackend, TEACH_BACKENDS, type TeachBackend } from '../teach/train.ts';
import { continueOnChain, teachOnChain } from '../teach/onchain.ts';

const usage = `tt teach [--out DIR] [--epochs N] [--lr X] [--beta X] [--batch N] [--seed N] [--backend B] [--block N]
         tt teach --check model.json
         tt teach --on-chain IDS | --all-ranked [--wait] [--timeout S]
         tt teach --continue

Fine-tunes the model on the ranked conversations with DPO, as a pure function: the same chain block, base model and
hyper-parameters give the same model bytes on every machine and build. Each conversation is one pair in the order
most of its rankers chose (ties are left out and counted); the token ids come from re-running each response, checked
byte for byte against the chain. Writes model.bin (llama2.c), model.json (the manifest) and training.svg.
  --out DIR             where to write (default .tt/teach/<run>/, <run> a short hash of the run's inputs); an
                        interrupted run resumes from its step file there when the same command runs again
  --epochs N            passes over the pairs (default 2)
  --lr X                peak AdamW learning rate (default 5e-5)
  --beta X              DPO beta: how close to the base the model stays (default 0.1)
  --batch N             pairs per optimizer step (default 4)
  --seed N              seed of the shuffle order (default 0)
  --backend B           simd, scalar or native (default simd, else scalar: as fast as native, no compiler needed,
                        step files after every step; all three give the same bytes)
  --block N             read the chain as of block N (default: the latest)
  --checkpoint FILE, --tokenizer FILE
                        the base model (default: the node's /models/, else the model cache); it must be the
                        contract's model
  --check FILE          re-run the training a model.json describes (same block, same hyper-parameters) and say
                        whether it reproduces its modelHash; exit code 3 when it does not

Inside the rollup (the machine trains, the chain registers the version; hyper-parameters are the backend's):
  --on-chain IDS        send TrustAndTeach.teach(IDS) (e.g. 0,3,7): the contract reads their rankings itself
  --all-ranked          the same for every ranked conversation no teach call has sent yet
  --wait                follow the training (sending continueTeaching while steps remain), then execute the
                        registerModel voucher and print the new version
  --continue            send continueTeaching(): one more bounded slice of training
  --timeout S           give up waiting after S seconds (default 600)`;

const options = {
  out: { type: 'string' },
  epochs: { type: 'string' },
  lr: { type: 'string' },
  beta: { type: 'string' },
  batch: { type: 'string' },
  seed: { type: 'string' },
  backend: { type: 'string' },
  block: { type: 'string' },
  checkpoint: { type: 'string' },
  tokenizer: { type: 'string' },
  check: { type: 'string' },
  'on-chain': { type: 'string' },
  'all-ranked': { type: 'boolean', default: false },
  continue: { type: 'boolean', default: false },
  wait: { type: 'boolean', default: false },
  timeout: { type: 'string' },
} as const;

type Values = Partial<Record<Exclude<keyof typeof options, 'all-ranked' | 'continue' | 'wait'>, string>>;

function parseDecimal(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\s*[0-9.eE+-]+\s*$/.test(text) || !Number.isFinite(n))
    throw new CliError(`--${name} must be a number, not '${text}'`, undefined, 2);
  return n;
}

/** The hyper-parameters the flags give, checked against the trainer's ranges now (not after reading the chain). */
function hyperParameterFlags(v: Values): Partial<HyperParameters> {
  const hp: Partial<HyperParameters> = {
    epochs: parseIntegerFlag('epochs', v.epochs, 1, 100000),
    learningRate: parseDecimal('lr', v.lr),
    beta: parseDecimal('beta', v.beta),
    batchSize: parseIntegerFlag('batch', v.batch, 1, 1000000),
    seed: parseIntegerFlag('seed', v.seed, 0, Number.MAX_SAFE_INTEGER),
  };
  try {
    resolveHyperParameters(hp, 1);
  } catch (e) {
    if (e instanceof LlmError) {
      const flag = { learningRate: '--lr', beta: '--beta' } as Record<string, string>;
      const message = e.message.replace(/^(learningRate|beta)/, (k) => flag[k] ?? k);
      throw new CliError(message, 'tt teach --help lists the flags', 2);
    }
    throw e;
  }
  return Object.fromEntries(Object.entries(hp).filter(([, x]) => x !== undefined));
}

function backendFlag(text: string | undefined): TeachBackend {
  if (text === undefined) return defaultTeachBackend();
  if (!(TEACH_BACKENDS as readonly string[]).includes(text))
    throw new CliError(`--backend is one of ${TEACH_BACKENDS.join(', ')}, not '${text}'`, undefined, 2);
  return text as TeachBackend;
}

export async function run(argv: string[]): Promise<number> {
  return runFlow(argv, { usage, options }, async ({ values, positionals }, out) => {
    const v = values as Values & typeof values;
    if (positionals.length)
      throw new CliError(`unexpected '${positionals[0]}'`, `usage: ${usage.split('\n')[0]}`, 2);
    const onChain = v['on-chain'] !== undefined || values['all-ranked'] || values.continue;
    if (onChain) {
      const modes = [v['on-chain'] !== undefined, values['all-ranked'], values.continue].filter(
        Boolean,
      ).length;
      const offChain = ['out', 'epochs', 'lr', 'beta', 'batch', 'seed', 'backend', 'block', 'check'].filter(
        (k) => v[k as keyof Values] !== undefined,
      );
      if (modes > 1)
        throw new CliError('give one of --on-chain IDS, --all-ranked or --continue', undefined, 2);
      if (offChain.length)
        throw new CliError(
          `--${offChain.join(', --')} ${offChain.length > 1 ? 'are' : 'is'} for training here; inside the rollup the backend's settings apply`,
          undefined,
          2,
        );
      const timeoutSeconds = parseIntegerFlag('timeout', v.timeout, 1, 86_400);
      const conn = await connect(values);
      try {
        if (values.continue) return await continueOnChain(values, conn, out);
        return await teachOnChain(
          {
            ...(v['on-chain'] !== undefined ? { ids: v['on-chain'] } : {}),
            allRanked: values['all-ranked'] === true,
            wait: values.wait === true,
            ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
          },
          values,
          conn,
          out,
        );
      } finally {
        conn.provider.destroy();
      }
    }
    checkModelFlags(v);
    const backend = backendFlag(v.backend);
    const flags = hyperParameterFlags(v);
    const block = parseIntegerFlag('block', v.block, 0, Number.MAX_SAFE_INTEGER);
    let manifest: TeachManifestFile | undefined;
    if (v.check !== undefined) {
      const given = ['epochs', 'lr', 'beta', 'batch', 'seed', 'block', 'out'].filter(
        (k) => v[k as keyof Values],
      );
      if (given.length)
        throw new CliError(
          `--check takes the block and the hyper-parameters from the manifest: leave out --${given.join(', --')}`,
          undefined,
          2,
        );
      manifest = await readManifest(v.check);
    }

    const conn = await connect(values);
    const view = progressView(out.json ? process.stderr : process.stdout);
    // Ctrl-C while training stops between two pairs and leaves the step file to resume from; before that there is
    // nothing to keep, so it just ends.
    const stop = new AbortController();
    let training = false;
    const onInterrupt = () => (training ? stop.abort() : process.exit(130));
    process.once('SIGINT', onInterrupt);
    try {
      if (manifest) checkSameChain(manifest, conn);
      const snapshot = await readChainSnapshot({
        contract: trustAndTeach(conn.deployments.contracts.TrustAndTeach, conn.provider),
        provider: conn.provider,
        fromBlock: conn.deployments.trustAndTeachDeploymentBlock,
        block: manifest?.block ?? block,
      });
      const base = await baseModel(v, conn, snapshot, out);
      const dataset = await datasetOf(snapshot, base, view, out);
      const repoRoot = findRepoRoot();
      training = true;
      if (manifest)
        return await check(manifest, v.check!, { base, snapshot, dataset, backend, view, out, stop });

      if (dataset.pairs.length === 0) throw explainEmptyDataset(dataset);
      const hpNote = Object.entries(flags)
        .map(([k, x]) => `${k} ${x}`)
        .join(', ');
      out.info(
        `training on ${backend}${hpNote ? ` (${hpNote}; the rest default)` : ' (default hyper-parameters)'}`,
      );
      const r = await trainWithView(
        {
          base,
          snapshot,
          dataset,
          hyperParameters: flags,
          backend,
          outDir: v.out,
          repoRoot,
          signal: stop.signal,
        },
        view,
      );
      // Paths under the working folder as typed from it, others in full.
      const shown = (p: string) => {
        const rel = relative(process.cwd(), p);
        return rel && !rel.startsWith('..') ? rel : p;
      };
      out.result(resultJson(r, backend), () => [
        ...(r.resumedFrom !== null ? [`resumed from step ${r.resumedFrom} of the step file`] : []),
        `margin     log p(chosen) − log p(rejected), mean over the pairs: base ${r.manifest.evaluation.baseMargin.toFixed(3)} → trained ${r.manifest.evaluation.trainedMargin.toFixed(3)} (${r.manifest.evaluation.improvedPairs} of ${r.manifest.pairs} pairs grew)`,
        `model      ${r.manifest.modelHash}`,
        `parent     ${r.manifest.parentHash}`,
        `dataset    ${r.manifest.datasetCommitment} (block ${r.manifest.block})`,
        `wrote      ${shown(r.paths.model)}, ${shown(r.paths.manifest)}, ${shown(r.paths.plot)}`,
        `took       ${r.seconds.toFixed(1)} s training (${r.tokensPerSecond.toFixed(0)} tokens/s)`,
        `anyone can re-check it: pnpm tt teach --check ${shown(r.paths.manifest)}`,
      ]);
      return 0;
    } finally {
      process.removeListener('SIGINT', onInterrupt);
      view.done();
      conn.provider.destroy();
    }
  });
}

async function readManifest(path: string): Promise<TeachManifestFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new CliError(
      `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      'pass the model.json `pnpm tt teach` wrote',
      2,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new TtError('bad-manifest', `${path} is not JSON`, 'pass the model.json `pnpm tt teach` wrote');
  }
  return parseTeachManifest(json, path);
}

function checkSameChain(m: TeachManifestFile, conn: Connection): void {
  const d = conn.deployments;
  if (m.chainId !== d.chainId || m.contract.toLowerCase() !== d.contracts.TrustAndTeach.toLowerCase())
    throw new TtError(
      'wrong-network',
      `the manifest's dataset comes from contract ${m.contract} on chain ${m.chainId}, but these deployments are ${d.contracts.TrustAndTeach} on chain ${d.chainId}`,
      'pass --deployments (and --rpc) for the network the model was trained from',
    );
}

/** The base model: the files given or the node's, refused unless they are the contract's model. */
async function baseModel(
  v: Values,
  conn: Connection,
  snapshot: ChainSnapshot,
  out: Output,
): Promise<BaseModel> {
  const files = v.checkpoint
    ? await Promise.all([readModelFile(v.checkpoint, 'checkpoint'), readModelFile(v.tokenizer!, 'tokenizer')])
    : await modelFiles(conn.graphqlUrl, conn.deployments.model?.name, out.info);
  const [checkpoint, tokenizer] = files.map((b) => new Uint8Array(b)) as [Uint8Array, Uint8Array];
  const hash = (await modelHash(checkpoint, tokenizer)) as Hex;
  if (hash.toLowerCase() !== snapshot.modelHash.toLowerCase())
    throw new TtError(
      'base-mismatch',
      `the base model files hash to ${hash}, but the contract's model is ${snapshot.modelHash}: its responses were not written by this model, so it cannot be the base`,
      `pass the contract's model with --checkpoint and --tokenizer (a devnet serves it at ${new URL('/models/', conn.graphqlUrl).toString()}), or leave them out to use it`,
    );
  return { checkpoint, tokenizer, ...(v.checkpoint ? { checkpointPath: v.checkpoint } : {}) };
}

async function readModelFile(path: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new CliError(
      `cannot read the ${what} ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      'pass an existing file',
      2,
    );
  }
}

async function datasetOf(
  snapshot: ChainSnapshot,
  base: BaseModel,
  view: ProgressView,
  out: Output,
): Promise<PreferenceDataset> {
  const backend = resolveBackend('auto');
  const engine = await loadEngine({
    checkpoint: base.checkpoint,
    tokenizer: base.tokenizer,
    backend,
    wasm: new Uint8Array(await readFile(wasmPaths()[backend])),
  });
  let dataset: PreferenceDataset;
  try {
    dataset = await buildPreferenceDataset({
      conversations: snapshot.conversations,
      engine,
      modelHash: snapshot.modelHash,
      onProgress: (p) => view.count('re-running', p.done, p.of, 'conversations'),
    });
  } finally {
    engine.dispose();
  }
  view.done();
  const c = dataset.counts;
  const left = [
    c.ties && `${c.ties} tie${c.ties === 1 ? '' : 's'}`,
    c.identical && `${c.identical} with identical responses`,
    c.otherModel && `${c.otherModel} from another model`,
    c.unranked && `${c.unranked} unranked`,
    c.unanswered && `${c.unanswered} without both responses on chain`,
  ].filter(Boolean);
  out.info(
    `dataset    ${c.pairs} pair${c.pairs === 1 ? '' : 's'} from ${c.conversations} conversation${c.conversations === 1 ? '' : 's'} at block ${snapshot.block}` +
      (left.length ? ` (left out: ${left.join(', ')})` : ''),
  );
  if (c.pairs > 0) out.info(`commitment ${dataset.commitment}`);
  return dataset;
}

/** Trains with the progress on `view`; an interruption becomes a message that says how to continue. */
async function trainWithView(
  opts: Omit<TeachRunOptions, 'onProgress'>,
  view: ProgressView,
): Promise<TeachRunResult> {
  try {
    return await runTeach({ ...opts, onProgress: (p) => view.update(p) });
  } catch (e) {
    if (e instanceof LlmError && e.code === 'teach-aborted')
      throw new CliError(
        e.message.replace(/: resume it.*$/, ''),
        'run the same command again: it resumes from the last step file',
        130,
      );
    throw e;
  } finally {
    view.done();
  }
}

function resultJson(r: TeachRunResult, backend: TeachBackend) {
  const m = r.manifest;
  return {
    modelHash: m.modelHash,
    parentHash: m.parentHash,
    datasetCommitment: m.datasetCommitment,
    block: m.block,
    pairs: m.pairs,
    steps: m.steps,
    counts: m.dataset.counts,
    evaluation: m.evaluation,
    hyperParameters: m.hyperParameters,
    engineVersion: m.engineVersion,
    outDir: r.outDir,
    files: r.paths,
    backend,
    resumedFrom: r.resumedFrom,
    seconds: r.seconds,
    tokensPerSecond: r.tokensPerSecond,
  };
}

async function check(
  m: TeachManifestFile,
  manifestPath: string,
  ctx: {
    base: BaseModel;
    snapshot: ChainSnapshot;
    dataset: PreferenceDataset;
    backend: TeachBackend;
    view: ProgressView;
    out: Output;
    stop: AbortController;
  },
): Promise<number> {
  const { base, snapshot, dataset, backend, view, out } = ctx;
  const parentHash = (await modelHash(base.checkpoint, base.tokenizer)) as Hex;
  const datasetMatches = dataset.commitment === m.datasetCommitment;
  const parentMatches = parentHash.toLowerCase() === m.parentHash.toLowerCase();
  const blockMatches = snapshot.blockHash.toLowerCase() === m.blockHash.toLowerCase();
  // The model.bin beside the manifest, when there is one: is it the model the manifest names?
  const modelPath = join(dirname(manifestPath), m.files.model);
  const fileHash = existsSync(modelPath)
    ? ((await modelHash(new Uint8Array(await readFile(modelPath)), base.tokenizer)) as Hex)
    : null;
  let retrained: Hex | null = null;
  if (datasetMatches && parentMatches) {
    out.info(`re-training on ${backend} with the manifest's hyper-parameters`);
    const dir = await mkdtemp(join(tmpdir(), 'tt-teach-check-'));
    try {
      const r = await trainWithView(
        {
          base,
          snapshot,
          dataset,
          hyperParameters: m.hyperParameters,
          backend,
          outDir: dir,
          repoRoot: dir,
          signal: ctx.stop.signal,
        },
        view,
      );
      retrained = r.manifest.modelHash;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const reproduced = retrained !== null && retrained.toLowerCase() === m.modelHash.toLowerCase();
  const fileMatches = fileHash === null ? null : fileHash.toLowerCase() === m.modelHash.toLowerCase();
  out.result(
    {
      reproduced,
      modelHash: retrained,
      expectedModelHash: m.modelHash,
      datasetMatches,
      datasetCommitment: dataset.commitment,
      expectedDatasetCommitment: m.datasetCommitment,
      blockMatches,
      parentMatches,
      fileMatches,
      block: m.block,
      pairs: dataset.pairs.length,
      backend,
    },
    () => [
      ...(!blockMatches
        ? [
            `warning: block ${m.block} now has hash ${snapshot.blockHash}, the manifest says ${m.blockHash} (a reorganisation?)`,
          ]
        : []),
      ...(!datasetMatches
        ? [
            `the chain at block ${m.block} gives dataset ${dataset.commitment}, the manifest says ${m.datasetCommitment}`,
          ]
        : []),
      ...(!parentMatches
        ? [`the base model is ${parentHash}, the manifest's parent is ${m.parentHash}`]
        : []),
      ...(fileHash === null
        ? []
        : [
            `${m.files.model} beside the manifest ${fileMatches ? 'is' : 'is NOT'} the model it names (${fileHash})`,
          ]),
      reproduced
        ? `reproduced: training again gives ${retrained}, the manifest's modelHash`
        : retrained
          ? `NOT reproduced: training again gives ${retrained}, the manifest says ${m.modelHash}`
          : 'NOT reproduced: the inputs differ (above), so training again cannot give the same model',
    ],
  );
  return reproduced && fileMatches !== false ? 0 : 3;
}
