// pnpm bench:e2e [--json] [--steps N] [--no-machine]: how long a prompt takes end to end on the devnet, next to the
// engine's own time.
// On a devnet started here with a checkpoint of stories15M's exact shape (seeded random weights from @tt/llm's test
// generator; the real weights are not on these machines) it measures, from sending the prompt transaction:
//   toResponsesSeconds  until both response notices are readable from the GraphQL reader,
//   toPostedSeconds     until both vouchers are executed (responses on chain),
// and, in the same run with nothing else busy, generationSeconds: the engine alone writing the same two responses.
// The backend's own generation time (from its log) is reported too: on a loaded machine the two generation runs see
// different loads, and `readable − generation inside the backend` is then the cleaner measure of the overhead.
// Then the same with the backend inside the real Cartesi machine (`--machine cartesi`, issue 18): machine cycles and
// wall time per prompt on stories260K and a short prompt on the stories15M shape, each against the engine alone on
// this host writing the same two responses (the slowdown of running in the emulator).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  fetchNodeInput,
  nodeView,
  parseRejection,
  postResponses,
  sendPrompt,
  trustAndTeach,
  GraphQLClient,
  TtError,
} from '@tt/client';
import { devnetAccount, samplingFloats } from '@tt/protocol';
import { sharedModel, startTestDevnet } from '@tt/devnet/testing';
import { loadEngine, resolveBackend, wasmPaths } from '@tt/llm/node';
import { JsonRpcProvider, Network } from 'ethers';
import { STORIES15M_SHAPE, anyTokenizerPath, randomCheckpointPath } from '@tt/llm/testing';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    steps: { type: 'string' },
    prompt: { type: 'string' },
    'no-machine': { type: 'boolean', default: false },
  },
  strict: true,
});
const steps = Number(values.steps ?? 256);
const promptText = values.prompt ?? 'Once upon a time';
const log = (s: string) => (values.json ? process.stderr : process.stdout).write(s + '\n');

log(
  'preparing a stories15M-shaped checkpoint (dim 288, hidden 768, 6 layers, 6 heads, vocab 32000, seq_len 256)…',
);
const checkpointPath = randomCheckpointPath(STORIES15M_SHAPE, 15);
const tokenizerPath = anyTokenizerPath();

const devnet = await startTestDevnet({
  checkpoint: checkpointPath,
  tokenizer: tokenizerPath,
  modelName: 'stories15M-shaped-random',
});
const devnetLog = devnet.logs;

const seconds = (t0: number) => (performance.now() - t0) / 1000;
// Polling faster would take CPU from the backend it measures (the node and the chain run in this process).
const POLL_MS = 100;
/** A failure of the system under measurement: printed as one line, not a stack trace. */
class BenchError extends Error {}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

try {
  const provider = new JsonRpcProvider(devnet.rpcUrl, Network.from(devnet.deployments.chainId), {
    staticNetwork: true,
    pollingInterval: 50,
  });
  // Not #0: the devnet node submits its claims from it.
  const signer = devnetAccount(1).connect(provider);
  const contract = trustAndTeach(devnet.deployments.contracts.TrustAndTeach, signer);
  const graphql = new GraphQLClient(devnet.graphqlUrl);

  /** Sends a prompt and times it to both notices readable and to both responses on chain. */
  async function measure(stepsNow: number) {
    const t0 = performance.now();
    const sent = await sendPrompt(contract, promptText, { steps: stepsNow });
    let toResponsesSeconds = 0;
    for (;;) {
      const input = await fetchNodeInput(graphql, sent.inputIndex);
      const view = input ? nodeView(input) : null;
      if (view && view.status !== 'UNPROCESSED' && view.status !== 'ACCEPTED') {
        const r = parseRejection(view.status, view.reports);
        throw new BenchError(`the backend did not answer the prompt (${r.code}): ${r.message}`);
      }
      if (view && view.notices.filter(Boolean).length === 2) {
        toResponsesSeconds = seconds(t0);
        break;
      }
      if (seconds(t0) > 900) throw new BenchError('no responses after 15 minutes');
      await sleep(POLL_MS);
    }
    for (;;) {
      try {
        await postResponses({
          graphql,
          dapp: devnet.deployments.contracts.CartesiDApp,
          trustAndTeach: devnet.deployments.contracts.TrustAndTeach,
          signer,
          inputIndex: sent.inputIndex,
          conversationId: sent.conversationId,
        });
        return { sent, toResponsesSeconds, toPostedSeconds: seconds(t0) };
      } catch (err) {
        if (!(err instanceof TtError && err.code === 'proofs-not-ready') || seconds(t0) > 900) throw err;
        await sleep(POLL_MS);
      }
    }
  }

  // A short prompt first, so one-time costs (the backend loading the model, first blocks) stay out of the figures.
  log('warming up with a short prompt…');
  await measure(8);
  log(`sending a prompt (${steps} steps) and following it…`);
  const { sent, toResponsesSeconds, toPostedSeconds } = await measure(steps);
  provider.destroy();

  // The engine alone, same files, same prompt, parameters and seeds as the backend used, one response after the other.
  log('timing the engine alone on the same two responses…');
  const backend = resolveBackend('auto');
  const engine = await loadEngine({
    checkpoint: new Uint8Array(readFileSync(checkpointPath)),
    tokenizer: new Uint8Array(readFileSync(tokenizerPath)),
    backend,
    wasm: new Uint8Array(readFileSync(wasmPaths()[backend])),
  });
  const { temperature, topp } = samplingFloats({ temperatureMilli: 800, topPMilli: 900 });
  const viewProvider = new JsonRpcProvider(devnet.rpcUrl, Network.from(devnet.deployments.chainId), {
    staticNetwork: true,
  });
  const seedsView = trustAndTeach(devnet.deployments.contracts.TrustAndTeach, viewProvider);
  const seeds = [
    await seedsView.seedFor(sent.conversationId, 0),
    await seedsView.seedFor(sent.conversationId, 1),
  ];
  viewProvider.destroy();
  const g0 = performance.now();
  for (const seed of seeds) engine.generate({ prompt: promptText, steps, temperature, topp, seed });
  const generationSeconds = seconds(g0);
  engine.dispose();

  // The backend logs its own generation time per response; under a busy machine that is the fairer baseline for the
  // overhead, since it was measured under the same load as the end-to-end times.
  const inBackend = devnetLog
    .map((l) => new RegExp(`input ${sent.inputIndex}: response [01]: .* in ([\\d.]+) s`).exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]));
  const backendGenerationSeconds = inBackend.length === 2 ? inBackend[0]! + inBackend[1]! : null;

  const machine = values['no-machine'] ? null : await machineFigures();

  const result = {
    model: 'random stories15M-shaped checkpoint',
    backend,
    steps,
    generationSeconds,
    toResponsesSeconds,
    toPostedSeconds,
    overheadToResponsesSeconds: toResponsesSeconds - generationSeconds,
    overheadToPostedSeconds: toPostedSeconds - generationSeconds,
    backendGenerationSeconds,
    overheadBeyondBackendGenerationSeconds:
      backendGenerationSeconds === null ? null : toResponsesSeconds - backendGenerationSeconds,
    machine,
  };
  if (values.json) {
    process.stdout.write(JSON.stringify(result) + '\n');
  } else {
    const row = (label: string, s: number, overhead?: number) =>
      `  ${label.padEnd(40)} ${s.toFixed(2).padStart(7)} s${overhead === undefined ? '' : `   (+${overhead.toFixed(2)} s beyond generation)`}`;
    log(`\ne2e on the devnet: ${result.model}, ${steps} steps, two responses, engine ${backend}`);
    log(row('engine alone, both responses', generationSeconds));
    log(row('prompt tx → both responses readable', toResponsesSeconds, result.overheadToResponsesSeconds));
    log(row('prompt tx → both responses on chain', toPostedSeconds, result.overheadToPostedSeconds));
    if (backendGenerationSeconds !== null) {
      log(row('generation inside the backend (its log)', backendGenerationSeconds));
      log(
        `  readable − generation inside the backend: ${result.overheadBeyondBackendGenerationSeconds!.toFixed(2)} s ` +
          '(the pipeline overhead, free of the load difference between the two generation runs)',
      );
    }
    if (machine && 'error' in machine) log(`\nmachine mode: not measured (${machine.error})`);
    else if (machine) {
      log('\nthe backend inside the Cartesi machine (--machine cartesi), one prompt each, two responses:');
      log(
        `  ${'model'.padEnd(28)} ${'steps'.padStart(5)} ${'G cycles'.padStart(9)} ${'prompt→readable s'.padStart(18)} ${'engine alone s'.padStart(15)} ${'slowdown'.padStart(9)}`,
      );
      for (const m of [machine.stories260K, machine.stories15MShape]) {
        log(
          `  ${m.model.padEnd(28)} ${String(m.steps).padStart(5)} ${(m.cycles / 1e9).toFixed(2).padStart(9)} ${m.toResponsesSeconds.toFixed(1).padStart(18)} ${m.hostEngineSeconds.toFixed(2).padStart(15)} ${`${m.slowdown.toFixed(0)}×`.padStart(9)}`,
        );
      }
      log(
        "  (prompt→readable includes hashing and storing the machine's state after the input; the machine was ready " +
          `for inputs ${machine.readySeconds.toFixed(0)} s after the devnet started: its template built once per model, or loaded and hashed)`,
      );
    }
  }
  /** One prompt through a devnet whose backend runs inside the Cartesi machine, against the engine alone here. */
  async function machineCase(model: string, checkpoint: string, tokenizer: string, stepsNow: number) {
    const t0 = performance.now();
    const m = await startTestDevnet({ checkpoint, tokenizer, modelName: model, machine: 'cartesi' });
    try {
      // the template built (once per model) or loaded, its root hash computed: the machine is ready for inputs
      while (m.node.status().machine?.phase !== 'ready') {
        if (m.node.status().machine?.phase === 'failed')
          throw new BenchError(m.node.status().machine!.error!);
        await sleep(500);
      }
      const readySeconds = seconds(t0);
      const p = new JsonRpcProvider(m.rpcUrl, Network.from(m.deployments.chainId), { staticNetwork: true });
      const c = trustAndTeach(m.deployments.contracts.TrustAndTeach, devnetAccount(1).connect(p));
      const g = new GraphQLClient(m.graphqlUrl);
      const t1 = performance.now();
      const sent = await sendPrompt(c, promptText, { steps: stepsNow });
      for (;;) {
        const input = await fetchNodeInput(g, sent.inputIndex);
        const view = input ? nodeView(input) : null;
        if (view && view.status !== 'UNPROCESSED' && view.status !== 'ACCEPTED')
          throw new BenchError(`the machine did not answer the prompt (${view.status})`);
        if (view && view.notices.filter(Boolean).length === 2) break;
        if (seconds(t1) > 3600) throw new BenchError('no responses from the machine after an hour');
        await sleep(500);
      }
      const toResponsesSeconds = seconds(t1);
      const cycles = m.node.store.input(sent.inputIndex)!.cycles!;
      const seeds = [await c.seedFor(sent.conversationId, 0), await c.seedFor(sent.conversationId, 1)];
      p.destroy();
      const engine = await loadEngine({
        checkpoint: new Uint8Array(readFileSync(checkpoint)),
        tokenizer: new Uint8Array(readFileSync(tokenizer)),
        backend: 'scalar', // the build the machine runs
        wasm: new Uint8Array(readFileSync(wasmPaths().scalar)),
      });
      const { temperature, topp } = samplingFloats({ temperatureMilli: 800, topPMilli: 900 });
      const g0 = performance.now();
      for (const seed of seeds)
        engine.generate({ prompt: promptText, steps: stepsNow, temperature, topp, seed });
      const hostEngineSeconds = seconds(g0);
      engine.dispose();
      return {
        model,
        steps: stepsNow,
        cycles,
        toResponsesSeconds,
        hostEngineSeconds,
        slowdown: toResponsesSeconds / hostEngineSeconds,
        readySeconds,
      };
    } finally {
      await m.stop();
    }
  }

  async function machineFigures() {
    if (!sharedModel.available) return { error: sharedModel.missingReason! };
    try {
      log('machine mode: stories260K, one prompt inside the Cartesi machine…');
      const small = await machineCase('stories260K', sharedModel.checkpoint, sharedModel.tokenizer, 64);
      log('machine mode: the stories15M shape, a short prompt inside the Cartesi machine (minutes)…');
      const shaped = await machineCase('stories15M-shaped-random', checkpointPath, tokenizerPath, 16);
      return {
        stories260K: small,
        stories15MShape: shaped,
        readySeconds: Math.max(small.readySeconds, shaped.readySeconds),
      };
    } catch (err) {
      if (err instanceof BenchError) throw err;
      return { error: (err as Error).message.split('\n')[0]! };
    }
  }
} catch (err) {
  if (!(err instanceof BenchError)) throw err;
  process.stderr.write(`bench:e2e: ${err.message}\n`);
  process.exitCode = 1;
} finally {
  await devnet.stop();
}
