// Shared test plumbing: the model files, a devnet on free ports, the backend run in-process against the devnet's real
// rollup HTTP API, raw inputs through the real InputBox, and results read back over GraphQL like any client would.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CartesiDApp__factory, InputBox__factory } from '@tt/cartesi-v1';
import { startDevnet, type Devnet, type DevnetOptions } from '@tt/devnet';
import { ENGINE_VERSION, loadEngine } from '@tt/llm';
import { sharedModels } from '@tt/llm/testing';
import { devnetAccount, encodePromptPayload, toHex, type Hex } from '@tt/protocol';
import { JsonRpcProvider, NonceManager } from 'ethers';
import { Backend } from '../src/backend.ts';
import type { BackendEngine, EngineBackendChoice } from '../src/engine.ts';
import { RollupClient } from '../src/rollup/client.ts';
import { runRollupLoop, type Logger } from '../src/rollup/loop.ts';

export const dappDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = join(dappDir, '..');

// The model files live beside the project (../shared/models), never in it; TT_MODELS_DIR points elsewhere.
const shared = sharedModels();
export const modelsDir = shared.dir;
export const modelFiles = { checkpoint: shared.checkpoint, tokenizer: shared.tokenizer };
export const haveModel = shared.available;
/** Appended to the names of suites that need the model, so a skip says why in the test report. */
export const modelNote = haveModel ? '' : ` [SKIPPED: ${shared.missingReason}]`;

export function recordingLog(echo = !!process.env.TT_TEST_LOG): Logger & { lines: string[] } {
  const lines: string[] = [];
  const add = (m: string) => {
    lines.push(m);
    if (echo) console.log(m);
  };
  return { lines, info: add, warn: add, error: add };
}

export async function startTestDevnet(opts: Partial<DevnetOptions> = {}): Promise<Devnet> {
  const log = recordingLog();
  return startDevnet({
    ports: { rpc: 0, node: 0 },
    stateDir: mkdtempSync(join(tmpdir(), 'tt-dapp-test-')),
    fresh: true,
    checkpoint: modelFiles.checkpoint,
    tokenizer: modelFiles.tokenizer,
    modelName: 'stories260K',
    modelLicense: 'MIT',
    backend: 'none',
    finishTimeoutMs: 1000,
    log: (l) => log.info(l),
    ...opts,
  });
}

export interface InProcessBackend {
  backend: Backend;
  log: Logger & { lines: string[] };
  engineLoads: () => number;
  stop(): Promise<void>;
}

/** The backend's own classes, run in this process against the devnet's rollup HTTP API. */
export function startInProcessBackend(
  devnet: Devnet,
  opts: {
    contract: string;
    engineBackend?: EngineBackendChoice;
    wrapEngine?: (e: BackendEngine) => BackendEngine;
  },
): InProcessBackend {
  const checkpoint = new Uint8Array(readFileSync(modelFiles.checkpoint));
  const tokenizer = new Uint8Array(readFileSync(modelFiles.tokenizer));
  const log = recordingLog();
  let loads = 0;
  const client = new RollupClient(devnet.rollupUrl);
  const backend = new Backend({
    client,
    contract: opts.contract,
    model: { name: 'stories260K', license: 'MIT', hash: devnet.deployments.model.hash as Hex },
    engineVersion: ENGINE_VERSION,
    loadEngine: async () => {
      loads++;
      const engine = await loadEngine({ checkpoint, tokenizer, backend: opts.engineBackend ?? 'auto' });
      return opts.wrapEngine ? opts.wrapEngine(engine) : engine;
    },
    log,
  });
  const stop = new AbortController();
  const done = runRollupLoop(client, backend, { log, signal: stop.signal, minRetryMs: 20, maxRetryMs: 200 });
  return {
    backend,
    log,
    engineLoads: () => loads,
    async stop() {
      stop.abort();
      await done;
    },
  };
}

/** An account of the public test mnemonic talking to the devnet over JSON-RPC. */
export function account(devnet: Devnet, index: number) {
  const provider = new JsonRpcProvider(devnet.rpcUrl, 31337, {
    staticNetwork: true,
    pollingInterval: 50,
    cacheTimeout: -1,
  });
  const key = devnetAccount(index);
  const wallet = new NonceManager(key.connect(provider));
  const { contracts } = devnet.deployments;
  const dapp = contracts.CartesiDApp!;
  const inputBox = InputBox__factory.connect(contracts.InputBox, wallet);
  return {
    address: key.address,
    provider,
    wallet,
    dapp: CartesiDApp__factory.connect(dapp, wallet),
    /** InputBox.addInput with exactly these bytes; resolves to the input's index. */
    async addInput(payload: Uint8Array | string): Promise<number> {
      const before = Number(await inputBox.getNumberOfInputs(dapp));
      const tx = await inputBox.addInput(dapp, typeof payload === 'string' ? payload : toHex(payload));
      await tx.wait();
      return before;
    },
    destroy: () => provider.destroy(),
  };
}

/** The payload TrustAndTeach would send for these arguments. */
export function promptPayload(p: {
  id?: bigint;
  prompt: string | Uint8Array;
  steps?: number;
  temperatureMilli?: number;
  topPMilli?: number;
}): string {
  return toHex(
    encodePromptPayload({
      conversationId: p.id ?? 1n,
      prompt: typeof p.prompt === 'string' ? new TextEncoder().encode(p.prompt) : p.prompt,
      steps: p.steps ?? 48,
      temperatureMilli: p.temperatureMilli ?? 800,
      topPMilli: p.topPMilli ?? 900,
    }),
  );
}

export async function gql<T>(devnet: Devnet, query: string): Promise<T> {
  const res = await fetch(devnet.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const json = (await res.json()) as { data: T; errors?: { message: string }[] };
  if (json.errors) throw new Error(`GraphQL: ${json.errors.map((e) => e.message).join('; ')}`);
  return json.data;
}

export interface InputOutcome {
  status: string;
  reports: unknown[];
  notices: Record<string, unknown>[];
  vouchers: { destination: string; payload: string }[];
}

const fromHexJson = (hex: string): unknown => JSON.parse(Buffer.from(hex.slice(2), 'hex').toString('utf8'));

/** What the node recorded for one input, with report and notice payloads parsed as the JSON they must be. */
export async function outcome(devnet: Devnet, index: number): Promise<InputOutcome> {
  const data = await gql<{
    input: {
      status: string;
      reports: { edges: { node: { payload: string } }[] };
      notices: { edges: { node: { payload: string } }[] };
      vouchers: { edges: { node: { destination: string; payload: string } }[] };
    };
  }>(
    devnet,
    `{ input(index: ${index}) { status reports { edges { node { payload } } } notices { edges { node { payload } } } vouchers { edges { node { destination payload } } } } }`,
  );
  return {
    status: data.input.status,
    reports: data.input.reports.edges.map((e) => fromHexJson(e.node.payload)),
    notices: data.input.notices.edges.map((e) => fromHexJson(e.node.payload) as Record<string, unknown>),
    vouchers: data.input.vouchers.edges.map((e) => e.node),
  };
}

/** GET /inspect/<path> on the devnet, reports parsed as JSON. */
export async function inspect(devnet: Devnet, path: string): Promise<{ status: string; reports: unknown[] }> {
  const res = await fetch(`${devnet.inspectUrl.replace(/\/+$/, '')}/${path}`);
  const json = (await res.json()) as { status: string; reports: { payload: string }[] };
  return { status: json.status, reports: json.reports.map((r) => fromHexJson(r.payload)) };
}
