// The backend's test plumbing on top of @tt/devnet/testing (the devnet, its accounts, GraphQL): the backend's own
// classes run in this process against the devnet's real rollup HTTP API, raw inputs through the real InputBox, and
// each input's outcome read back over GraphQL like any client would.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  gql as gqlAt,
  modelNote,
  sharedModel,
  startTestDevnet as startSharedTestDevnet,
  testAccount,
  type TestDevnet,
} from '@tt/devnet/testing';
import type { DevnetOptions } from '@tt/devnet';
import { ENGINE_VERSION, loadEngine, type HyperParameters } from '@tt/llm';
import { encodePromptPayload, toHex, type Hex } from '@tt/protocol';
import { Backend } from '../src/backend.ts';
import { Teacher } from '../src/teach/teacher.ts';
import type { BackendEngine, EngineBackendChoice } from '../src/engine.ts';
import { RollupClient } from '../src/rollup/client.ts';
import { runRollupLoop, type Logger } from '../src/rollup/loop.ts';

export { modelNote, testAccount as account, type TestDevnet };

export const dappDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = join(dappDir, '..');
export const modelsDir = sharedModel.dir;
export const modelFiles = { checkpoint: sharedModel.checkpoint, tokenizer: sharedModel.tokenizer };
export const haveModel = sharedModel.available;

export function recordingLog(echo = !!process.env.TT_TEST_LOG): Logger & { lines: string[] } {
  const lines: string[] = [];
  const add = (m: string) => {
    lines.push(m);
    if (echo) console.log(m);
  };
  return { lines, info: add, warn: add, error: add };
}

/** The shared test devnet, with no backend of its own: these tests run theirs (in process, or the bundle). */
export function startTestDevnet(opts: DevnetOptions = {}): Promise<TestDevnet> {
  return startSharedTestDevnet({ backend: 'none', ...opts });
}

export interface InProcessBackend {
  backend: Backend;
  log: Logger & { lines: string[] };
  engineLoads: () => number;
  stop(): Promise<void>;
}

/** The backend's own classes, run in this process against the devnet's rollup HTTP API. */
export function startInProcessBackend(
  devnet: Pick<TestDevnet, 'rollupUrl' | 'deployments'>,
  opts: {
    contract: string;
    engineBackend?: EngineBackendChoice;
    wrapEngine?: (e: BackendEngine) => BackendEngine;
    /** Fine-tuning inside the rollup with these settings (a Teacher on the shared model). */
    teach?: { stepsPerInput: number; hyperParameters: Partial<HyperParameters> };
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
    loadModelEngine: (trained) =>
      loadEngine({ checkpoint: trained, tokenizer, backend: opts.engineBackend ?? 'auto' }),
    ...(opts.teach
      ? {
          teacher: new Teacher({
            checkpoint,
            tokenizer,
            baseHash: devnet.deployments.model.hash as Hex,
            backend: opts.engineBackend ?? 'auto',
            ...opts.teach,
          }),
        }
      : {}),
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

export function gql<T>(devnet: Pick<TestDevnet, 'graphqlUrl'>, query: string): Promise<T> {
  return gqlAt<T>(devnet.graphqlUrl, query);
}

export interface InputOutcome {
  status: string;
  reports: unknown[];
  notices: Record<string, unknown>[];
  vouchers: { destination: string; payload: string }[];
}

const fromHexJson = (hex: string): unknown => JSON.parse(Buffer.from(hex.slice(2), 'hex').toString('utf8'));

/** What the node recorded for one input, with report and notice payloads parsed as the JSON they must be. */
export async function outcome(devnet: Pick<TestDevnet, 'graphqlUrl'>, index: number): Promise<InputOutcome> {
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
export async function inspect(
  devnet: TestDevnet,
  path: string,
): Promise<{ status: string; reports: unknown[] }> {
  const res = await fetch(`${devnet.inspectUrl.replace(/\/+$/, '')}/${path}`);
  const json = (await res.json()) as { status: string; reports: { payload: string }[] };
  return { status: json.status, reports: json.reports.map((r) => fromHexJson(r.payload)) };
}
