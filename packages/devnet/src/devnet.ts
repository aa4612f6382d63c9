// startDevnet: the whole Trust-and-Teach system in one process, for `pnpm dev`, `pnpm devnet` and the other packages'
// tests. @tt/cartesi-node gives a local chain with the Cartesi v1 contracts and a node; this file adds the
// application, in the order the steps need each other:
//   resolveModel → startLocalChain → deployTrustAndTeachBound → backendCommand (or, with machine: 'cartesi',
//   devnetMachineOptions) → local.startNode → writeDeploymentsFile
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZeroHash } from 'ethers';
import {
  startLocalChain,
  type BackendCommand,
  type Chain,
  type ExtraRoutes,
  type LocalChain,
  type RunningNode,
} from '@tt/cartesi-node';
import { DEVNET_CHAIN_ID, type Deployments } from '@tt/protocol';
import { defaultBackendPath, defaultStateDir } from './layout.js';
import { manifest, resolveModel, type ModelRecord, type ResolvedModel } from './model.js';
import { devnetMachineOptions, type MachineKind } from './machine.js';

export interface DevnetOptions {
  host?: string;
  /** 0 = any free port. Defaults: rpc 8545, node 8080 (the Cartesi CLI 1.5 layout). */
  ports?: { rpc?: number; node?: number };
  /** Where the chain journal, node store and deployments.json live. Default <repo>/.tt/devnet. */
  stateDir?: string;
  /** Delete the saved state first. */
  fresh?: boolean;
  /** Model files; without them TrustAndTeach is deployed for a zero model hash and /models is empty. */
  checkpoint?: string;
  tokenizer?: string;
  modelName?: string;
  modelLicense?: string;
  /**
   * The backend the node runs (host mode) with ROLLUP_HTTP_SERVER_URL, TT_CHECKPOINT, TT_TOKENIZER, TT_CONTRACT,
   * TT_MODEL_NAME and TT_MODEL_LICENSE set; 'none' to run your own against rollupUrl. Default: dapp/dist/backend.mjs.
   */
  backend?: BackendCommand | 'none';
  /**
   * 'cartesi': run the backend inside the real Cartesi machine (built by `pnpm machine build`: the emulator, our kernel
   * and root filesystem with the backend bundle) instead of on the host; `backend` is then ignored.
   */
  machine?: MachineKind;
  /** Blocks per epoch, like the real node; default: close an epoch as soon as the known inputs are processed. */
  epochLength?: number;
  /** Mine an empty block every N seconds (needed for block-based epochs to close when nobody sends transactions). */
  blockTime?: number;
  /**
   * Replay the inputs a backend processed into every new backend process (after a crash or a restart) before new
   * inputs, so its in-memory state (e.g. the info report's counters) survives like a machine snapshot would keep it.
   * Default true: the backend is deterministic, so this is the same state.
   */
  restoreBackendState?: boolean;
  /** How long /finish waits before answering 202 (host-runner default 10 s). */
  finishTimeoutMs?: number;
  /** Deploy and bind TrustAndTeach (default true). */
  trustAndTeach?: boolean;
  /**
   * Test account (0..19) that owns the Authority and submits claims. Default 0, like the Cartesi CLI devnet. Another
   * index hands the Authority over to that account, so claims never race your own transactions from account 0 for
   * nonces (wallets that pick nonces themselves can otherwise, rarely, see "nonce too low").
   */
  claimerAccount?: number;
  /**
   * Web origins allowed to call the chain and the node (with CORS headers for them alone): the UI's. Default
   * http://127.0.0.1:5173 and http://localhost:5173, where `pnpm dev` serves it; [] allows no web page.
   */
  uiOrigins?: readonly string[];
  log?: (line: string) => void;
}

/** The deployments file (docs/interfaces.md) as the devnet writes it: every field, the devnet extras included. */
export type DevnetDeployments = Deployments &
  Required<
    Pick<Deployments, 'rpcUrl' | 'graphqlUrl' | 'inspectUrl' | 'cartesi' | 'inputBoxDeploymentBlock'>
  > & {
    contracts: Required<Deployments['contracts']>;
  };

export interface Devnet {
  rpcUrl: string;
  nodeUrl: string;
  graphqlUrl: string;
  rollupUrl: string;
  inspectUrl: string;
  deployments: DevnetDeployments;
  deploymentsPath: string;
  stateDir: string;
  model: ResolvedModel | null;
  /** With machine: 'cartesi': the template's root hash and what the machine is; else null. */
  machine: { templateHash: string; banner: string } | null;
  chain: Chain;
  node: RunningNode;
  /** Resolves when every input on the chain so far is processed (and, in the default epoch mode, proven and claimed). */
  settled(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startDevnet(o: DevnetOptions = {}): Promise<Devnet> {
  const log = o.log ?? ((l: string) => console.log(l));
  const { model, record } = await resolveModel(o);
  const local = await startLocalChain({
    stateDir: o.stateDir ?? defaultStateDir(),
    fresh: o.fresh,
    host: o.host,
    rpcPort: o.ports?.rpc ?? 8545,
    claimerAccount: o.claimerAccount,
    allowedOrigins: o.uiOrigins,
    log,
  });
  try {
    const tt =
      o.trustAndTeach === false
        ? { address: ZeroHash.slice(0, 42), block: 0 }
        : await deployTrustAndTeachBound(local, record);
    let deployments: DevnetDeployments | null = null;
    const routes = devnetRoutes(() => deployments, model);
    const machine =
      o.machine === 'cartesi' ? await devnetMachineOptions(tt.address, record, model, log) : null;
    const node = await local.startNode({
      port: o.ports?.node ?? 8080,
      backend: machine ? 'none' : backendCommand(o.backend, backendEnv(tt.address, record, model), log),
      machine: machine?.options,
      epochLength: o.epochLength,
      blockTime: o.blockTime,
      restoreBackendState: o.restoreBackendState ?? true,
      finishTimeoutMs: o.finishTimeoutMs,
      routes,
    });
    deployments = devnetDeployments(local, node, tt, record);
    const deploymentsPath = join(local.stateDir, 'deployments.json');
    writeFileSync(deploymentsPath, JSON.stringify(deployments, null, 2) + '\n');
    return {
      rpcUrl: local.rpcUrl,
      nodeUrl: node.url,
      graphqlUrl: node.graphqlUrl,
      rollupUrl: node.rollupUrl,
      inspectUrl: node.inspectUrl,
      deployments,
      deploymentsPath,
      stateDir: local.stateDir,
      model,
      machine: machine && { templateHash: node.machine!.templateHash, banner: machine.banner },
      chain: local.chain,
      node,
      settled: (t) => node.settled(t),
      stop: () => local.stop(),
    };
  } catch (e) {
    await local.stop().catch(() => undefined);
    throw e;
  }
}

/** TrustAndTeach for this model (CREATE2, so its address is known before), bound to the application. */
async function deployTrustAndTeachBound(local: LocalChain, model: ModelRecord) {
  let contracts: typeof import('@tt/contracts');
  try {
    contracts = await import('@tt/contracts');
  } catch (e) {
    throw new Error(
      `cannot load @tt/contracts (${(e as Error).message}): build it first with \`pnpm --filter @tt/contracts build\``,
    );
  }
  const owner = await local.chain.signer(0);
  const result = await contracts.deployTrustAndTeach(owner, {
    owner: owner.address,
    inputBox: local.cartesi.contracts.InputBox,
    modelName: model.name,
    modelLicense: model.license,
    modelHash: model.hash,
    seqLen: model.seqLen,
  });
  await contracts.bindDApp(owner, result.address, local.cartesi.application);
  // the block is known when the contract is deployed now, and recorded then; on a restart it is read back, never
  // searched for again (see @tt/cartesi-node ChainFacts)
  const block = await local.facts.deploymentBlock(
    'TrustAndTeach',
    local.chain.ethers,
    result.address,
    result.blockNumber,
  );
  return { address: result.address, block };
}

/**
 * The devnet's own GET routes beside the node's APIs: its deployments file and the model files. No engine .wasm: the
 * browser verifier runs only the engine built into the UI, checked against a hash pinned at build time, never one
 * the node it checks could swap.
 */
function devnetRoutes(deployments: () => DevnetDeployments | null, model: ResolvedModel | null): ExtraRoutes {
  const models: Record<string, string> = model
    ? { 'checkpoint.bin': model.checkpointPath, 'tokenizer.bin': model.tokenizerPath }
    : {};
  const modelManifest = model ? manifest(model) : null;
  return (path) => {
    if (path === '/deployments.json') return { json: deployments() ?? {} };
    if (path === '/models/manifest.json') {
      return modelManifest
        ? { json: modelManifest }
        : { status: 404, text: 'this devnet was started without model files' };
    }
    const file = path.startsWith('/models/') ? models[path.slice('/models/'.length)] : undefined;
    if (file) return { file, contentType: 'application/octet-stream' };
    return undefined;
  };
}

/** The environment of the backend process (docs/interfaces.md, "The backend process"). */
function backendEnv(
  contract: string,
  record: ModelRecord,
  model: ResolvedModel | null,
): Record<string, string> {
  return {
    TT_CONTRACT: contract,
    TT_MODEL_NAME: record.name,
    TT_MODEL_LICENSE: record.license,
    ...(model ? { TT_CHECKPOINT: model.checkpointPath, TT_TOKENIZER: model.tokenizerPath } : {}),
  };
}

/** The backend the node runs: the one given (with the devnet's environment under its own), else the built one. */
function backendCommand(
  given: BackendCommand | 'none' | undefined,
  env: Record<string, string>,
  log: (line: string) => void,
): BackendCommand | 'none' {
  if (given === 'none') return 'none';
  if (given) return { ...given, env: { ...env, ...given.env } };
  if (existsSync(defaultBackendPath()))
    return { command: process.execPath, args: [defaultBackendPath()], env };
  log(
    `devnet: no backend at ${defaultBackendPath()} (build it with \`pnpm --filter @tt/dapp build\`); inputs wait until a backend polls the rollup API`,
  );
  return 'none';
}

function devnetDeployments(
  local: LocalChain,
  node: RunningNode,
  tt: { address: string; block: number },
  model: ModelRecord,
): DevnetDeployments {
  const { cartesi } = local;
  return {
    chainId: DEVNET_CHAIN_ID,
    network: 'devnet',
    rpcUrl: local.rpcUrl,
    graphqlUrl: node.graphqlUrl,
    inspectUrl: node.inspectUrl,
    contracts: {
      TrustAndTeach: tt.address,
      InputBox: cartesi.contracts.InputBox,
      CartesiDApp: cartesi.application,
      Authority: cartesi.authority,
      History: cartesi.history,
    },
    trustAndTeachDeploymentBlock: tt.block,
    model,
    cartesi: cartesi.contracts,
    inputBoxDeploymentBlock: cartesi.inputBoxDeploymentBlock,
  };
}
