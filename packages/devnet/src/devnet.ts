// startDevnet: the whole local system in one process: a Hardhat chain with the Cartesi v1 contracts
// at their canonical addresses, TrustAndTeach deployed and bound, and the node (with the backend
// it supervises) on top. Used by `pnpm dev`, `pnpm devnet` and the other packages' tests.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ZeroHash } from 'ethers';
import { Authority__factory, CLI_DEVNET_APPLICATION, findDeploymentBlock } from '@tt/cartesi-v1';
import { deployCartesi, startChain, type CartesiDeployment, type Chain } from './chain/index.js';
import { startNode, type BackendCommand, type RunningNode, type StaticAssets } from './node/index.js';
import { defaultBackendPath, defaultStateDir } from './paths.js';
import { describeModel, manifest, sha256File, type ModelFiles, type ResolvedModel } from './model.js';

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
  /** Blocks per epoch, like the real node; default: close an epoch as soon as the known inputs are processed. */
  epochLength?: number;
  /** Mine an empty block every N seconds (needed for block-based epochs to close when nobody sends transactions). */
  blockTime?: number;
  /**
   * Replay the accepted inputs into every new backend process (after a crash or a restart) before new inputs, so its
   * in-memory state survives like a machine snapshot would keep it. Default false.
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
  log?: (line: string) => void;
}

/** The deployments file (docs/interfaces.md); its type is `Deployments` in @tt/contracts. */
export interface DevnetDeployments {
  chainId: number;
  network: 'devnet';
  rpcUrl: string;
  graphqlUrl: string;
  inspectUrl: string;
  contracts: {
    TrustAndTeach: string;
    InputBox: string;
    CartesiDApp: string;
    Authority: string;
    History: string;
  };
  trustAndTeachDeploymentBlock: number;
  model: { name: string; license: string; hash: string; seqLen: number };
  /** Extra, devnet only: every Cartesi v1 contract address and where the node starts reading inputs. */
  cartesi: CartesiDeployment['contracts'];
  inputBoxDeploymentBlock: number;
}

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
  chain: Chain;
  node: RunningNode;
  /** Resolves when every input on the chain so far is processed (and, in the default epoch mode, proven and claimed). */
  settled(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

async function deployTrustAndTeachBound(
  chain: Chain,
  cartesi: CartesiDeployment,
  model: { name: string; license: string; hash: string; seqLen: number },
) {
  let contracts: typeof import('@tt/contracts');
  try {
    contracts = await import('@tt/contracts');
  } catch (e) {
    throw new Error(
      `cannot load @tt/contracts (${(e as Error).message}): build it first with \`pnpm --filter @tt/contracts build\``,
    );
  }
  const owner = await chain.signer(0);
  const args = {
    owner: await owner.getAddress(),
    inputBox: cartesi.contracts.InputBox,
    modelName: model.name,
    modelLicense: model.license,
    modelHash: model.hash,
    seqLen: model.seqLen,
  };
  const result = await contracts.deployTrustAndTeach(owner, args);
  await contracts.bindDApp(owner, result.address, cartesi.application);
  const block = result.blockNumber ?? (await findDeploymentBlock(chain.ethers, result.address)) ?? 0;
  return { address: result.address, block };
}

/** The signer that submits claims; moves the Authority's ownership to it when it is not account 0. */
async function claimerSigner(chain: Chain, authorityAddress: string, index: number) {
  if (!Number.isInteger(index) || index < 0 || index > 19)
    throw new Error(`claimerAccount must be 0..19, got ${index}`);
  const claimer = await chain.signer(index);
  const authority = Authority__factory.connect(authorityAddress, chain.ethers);
  const owner = await authority.owner();
  if (owner.toLowerCase() !== claimer.address.toLowerCase()) {
    // every test account is unlocked on the devnet chain, whichever one owns the Authority now
    const current = await chain.ethers.getSigner(owner);
    await (await authority.connect(current).transferOwnership(claimer.address)).wait();
  }
  return claimer;
}

/** Two devnets on one state directory would interleave their chain journals and corrupt them. */
function checkNotInUse(lock: string, stateDir: string) {
  let pid: number;
  try {
    pid = Number(readFileSync(lock, 'utf8'));
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return;
  try {
    process.kill(pid, 0);
  } catch {
    return; // that process is gone (it was killed): the state is ours to take over
  }
  throw new Error(
    `another devnet (pid ${pid}) is using ${stateDir}: stop it first, or give this one its own --state-dir`,
  );
}

export async function startDevnet(o: DevnetOptions = {}): Promise<Devnet> {
  const log = o.log ?? ((l: string) => console.log(l));
  const host = o.host ?? '127.0.0.1';
  const stateDir = o.stateDir ?? defaultStateDir();
  const lock = join(stateDir, 'devnet.pid');
  checkNotInUse(lock, stateDir);
  if (o.fresh) rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(lock, String(process.pid));
  const unlock = () => {
    try {
      if (readFileSync(lock, 'utf8') === String(process.pid)) rmSync(lock);
    } catch {
      // already gone
    }
  };

  let model: ResolvedModel | null = null;
  if (o.checkpoint || o.tokenizer) {
    if (!o.checkpoint || !o.tokenizer)
      throw new Error('pass both a checkpoint and a tokenizer (--checkpoint <file> --tokenizer <file>)');
    const files: ModelFiles = {
      name: o.modelName ?? basename(o.checkpoint).replace(/\.bin$/, ''),
      license: o.modelLicense ?? 'MIT',
      checkpointPath: o.checkpoint,
      tokenizerPath: o.tokenizer,
    };
    model = await describeModel(files);
  }
  const modelInfo = model
    ? { name: model.name, license: model.license, hash: model.hash, seqLen: model.seqLen }
    : { name: o.modelName ?? 'none', license: o.modelLicense ?? 'none', hash: ZeroHash, seqLen: 256 };

  const chain = await startChain({
    journalPath: join(stateDir, 'chain-journal.jsonl'),
    host,
    port: o.ports?.rpc ?? 8545,
    log,
  }).catch((e: unknown) => {
    unlock();
    throw e;
  });
  let node: RunningNode | undefined;
  let miner: NodeJS.Timeout | undefined;
  try {
    const owner = await chain.signer(0);
    const cartesi = await deployCartesi(owner, async (address, code) => {
      await chain.provider.request({ method: 'hardhat_setCode', params: [address, code] });
    });
    const claimer = await claimerSigner(chain, cartesi.authority, o.claimerAccount ?? 0);
    if (cartesi.application.toLowerCase() !== CLI_DEVNET_APPLICATION.application.toLowerCase()) {
      throw new Error(
        `the application landed at ${cartesi.application}, not the CLI devnet's ${CLI_DEVNET_APPLICATION.application}`,
      );
    }
    const tt =
      o.trustAndTeach === false
        ? { address: ZeroHash.slice(0, 42), block: 0 }
        : await deployTrustAndTeachBound(chain, cartesi, modelInfo);

    const genesis = await chain.ethers.getBlock(0);
    const nodePort = o.ports?.node ?? 8080;
    let deployments: DevnetDeployments | null = null;

    let engine: Record<string, string> = {};
    const engineSha: Record<string, string> = {};
    try {
      const { wasmPaths } = await import('@tt/llm/node');
      for (const p of Object.values(wasmPaths())) {
        if (existsSync(p)) {
          engine[basename(p)] = p;
          engineSha[basename(p)] = (await sha256File(p)).hex;
        }
      }
    } catch {
      engine = {};
    }
    const assets: StaticAssets = model
      ? {
          manifest: manifest(model, engine, engineSha),
          models: { 'checkpoint.bin': model.checkpointPath, 'tokenizer.bin': model.tokenizerPath },
          engine,
        }
      : { engine };

    let backend: BackendCommand | 'none';
    const backendEnv: Record<string, string> = {
      TT_CONTRACT: tt.address,
      TT_MODEL_NAME: modelInfo.name,
      TT_MODEL_LICENSE: modelInfo.license,
      ...(model ? { TT_CHECKPOINT: model.checkpointPath, TT_TOKENIZER: model.tokenizerPath } : {}),
    };
    if (o.backend === 'none') backend = 'none';
    else if (o.backend) backend = { ...o.backend, env: { ...backendEnv, ...o.backend.env } };
    else if (existsSync(defaultBackendPath()))
      backend = { command: process.execPath, args: [defaultBackendPath()], env: backendEnv };
    else {
      log(
        `devnet: no backend at ${defaultBackendPath()} (build it with \`pnpm --filter @tt/dapp build\`); inputs wait until a backend polls the rollup API`,
      );
      backend = 'none';
    }

    node = await startNode({
      provider: chain.ethers,
      owner: claimer,
      application: cartesi.application,
      authority: cartesi.authority,
      inputBox: cartesi.contracts.InputBox,
      inputBoxDeploymentBlock: cartesi.inputBoxDeploymentBlock,
      storePath: join(stateDir, 'node.sqlite'),
      host,
      port: nodePort,
      backend,
      epochLength: o.epochLength,
      restoreBackendState: o.restoreBackendState,
      finishTimeoutMs: o.finishTimeoutMs,
      chainIdentity: genesis!.hash!,
      deployments: () => deployments,
      assets: () => assets,
      log,
    });
    const n = node;
    deployments = {
      chainId: 31337,
      network: 'devnet',
      rpcUrl: chain.rpcUrl,
      graphqlUrl: n.graphqlUrl,
      inspectUrl: n.inspectUrl,
      contracts: {
        TrustAndTeach: tt.address,
        InputBox: cartesi.contracts.InputBox,
        CartesiDApp: cartesi.application,
        Authority: cartesi.authority,
        History: cartesi.history,
      },
      trustAndTeachDeploymentBlock: tt.block,
      model: modelInfo,
      cartesi: cartesi.contracts,
      inputBoxDeploymentBlock: cartesi.inputBoxDeploymentBlock,
    };
    const deploymentsPath = join(stateDir, 'deployments.json');
    writeFileSync(deploymentsPath, JSON.stringify(deployments, null, 2) + '\n');
    const unsubscribe = chain.provider.onBlock(() => n.poke());
    if (o.blockTime && o.blockTime > 0) {
      miner = setInterval(
        () => void chain.provider.request({ method: 'evm_mine' }).catch(() => undefined),
        o.blockTime * 1000,
      );
    }
    const d = deployments;
    return {
      rpcUrl: chain.rpcUrl,
      nodeUrl: n.url,
      graphqlUrl: n.graphqlUrl,
      rollupUrl: n.rollupUrl,
      inspectUrl: n.inspectUrl,
      deployments: d,
      deploymentsPath,
      stateDir,
      model,
      chain,
      node: n,
      settled: (t) => n.settled(t),
      async stop() {
        if (miner) clearInterval(miner);
        unsubscribe();
        await n.stop();
        await chain.stop();
        unlock();
      },
    };
  } catch (e) {
    if (miner) clearInterval(miner);
    await node?.stop().catch(() => undefined);
    await chain.stop().catch(() => undefined);
    unlock();
    throw e;
  }
}
