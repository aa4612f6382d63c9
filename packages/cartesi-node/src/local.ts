// A local Cartesi v1 rollup in one process, in two steps an application can deploy its own contracts between:
//   startLocalChain: lock the state directory, start the chain (replaying its journal), deploy the v1 contracts at
//                    their canonical addresses and the application like the Cartesi CLI 1.5 devnet, pick the claimer;
//   chain.startNode: the node over that chain (reader, inspect, rollup API, pipeline, claimer, the backend it runs),
//                    told of every new block, with an empty block mined every few seconds when asked.
// Everything here is Cartesi's; what a particular application adds (its contracts, its files) is its caller's.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonRpcSigner } from 'ethers';
import { Authority__factory, CLI_DEVNET_APPLICATION } from '@tt/cartesi-v1';
import { ChainFacts, deployCartesi, startChain, type CartesiDeployment, type Chain } from './chain/index.js';
import { StateDirInUseError } from './errors.js';
import { isAlive } from './pid.js';
import {
  startNode,
  type BackendCommand,
  type ExtraRoutes,
  type MachineOptions,
  type RunningNode,
} from './node/index.js';

export interface LocalChainOptions {
  /** Where the chain journal and the node store live. */
  stateDir: string;
  /** Delete the saved state first. */
  fresh?: boolean;
  host?: string;
  /** Chain JSON-RPC port; 0 = any free port. Default 8545. */
  rpcPort?: number;
  /**
   * Test account (0..19) that owns the Authority and submits claims. Default 0, like the Cartesi CLI devnet. Another
   * index hands the Authority over to that account, so claims never race account 0's own transactions for nonces.
   */
  claimerAccount?: number;
  /**
   * Web origins (the UI's) allowed to call the chain and the node, with CORS headers for them alone. Default: the UI
   * on its default port (http://127.0.0.1:5173, http://localhost:5173); [] allows no web page.
   */
  allowedOrigins?: readonly string[];
  log?: (line: string) => void;
}

export interface LocalNodeOptions {
  /** Node port (GraphQL, inspect, rollup API); 0 = any free port. Default 8080. */
  port?: number;
  /** The backend the node runs and supervises (host mode), or 'none' to run one yourself against the rollup URL. */
  backend: BackendCommand | 'none';
  /** Machine mode: run the backend inside this Cartesi machine instead (snapshots in <stateDir>/machine). */
  machine?: MachineOptions;
  /** Blocks per epoch, like the real node; default: close an epoch as soon as its block's inputs are processed. */
  epochLength?: number;
  /** Mine an empty block every N seconds (block-based epochs close only when the chain moves). */
  blockTime?: number;
  /** Replay accepted inputs into every new backend process first (see PipelineOptions.restoreBackendState). */
  restoreBackendState?: boolean;
  /** How long /finish waits before answering 202 (host-runner default 10 s). */
  finishTimeoutMs?: number;
  /** GET routes the application serves beside the node's APIs. */
  routes?: ExtraRoutes;
}

export interface LocalChain {
  stateDir: string;
  host: string;
  chain: Chain;
  rpcUrl: string;
  /** Every v1 contract, and this chain's application, Authority and History. */
  cartesi: CartesiDeployment;
  /** Owns the Authority and submits the claims. */
  claimer: JsonRpcSigner;
  /** Facts recorded once for this chain in the state directory (deployment blocks): see ChainFacts. */
  facts: ChainFacts;
  /** Set once startNode has run. */
  node: RunningNode | null;
  startNode(o: LocalNodeOptions): Promise<RunningNode>;
  /** Stops the node (if started) and the chain, and releases the state directory. */
  stop(): Promise<void>;
}

export async function startLocalChain(o: LocalChainOptions): Promise<LocalChain> {
  const log = o.log ?? ((l: string) => console.log(l));
  const host = o.host ?? '127.0.0.1';
  const unlock = lockStateDir(o.stateDir, !!o.fresh);
  let chain: Chain | undefined;
  try {
    chain = await startChain({
      journalPath: join(o.stateDir, 'chain-journal.jsonl'),
      host,
      port: o.rpcPort ?? 8545,
      allowedOrigins: o.allowedOrigins,
      log,
    });
    const facts = new ChainFacts(join(o.stateDir, 'chain-facts.json'), await chain.identity());
    const cartesi = await deployCartesiLikeTheCli(chain, facts);
    const claimer = await claimerSigner(chain, cartesi.authority, o.claimerAccount ?? 0);
    return localChain(chain, cartesi, claimer, facts, {
      stateDir: o.stateDir,
      host,
      log,
      unlock,
      allowedOrigins: o.allowedOrigins,
    });
  } catch (e) {
    await chain?.stop().catch(() => undefined);
    unlock();
    throw e;
  }
}

/**
 * Takes the state directory for this process (a pid file), after emptying it when `fresh`. Two processes on one state
 * directory would interleave their chain journals and corrupt them; a pid file left by a killed process is taken over.
 */
function lockStateDir(stateDir: string, fresh: boolean): () => void {
  const lock = join(stateDir, 'devnet.pid');
  let pid: number | undefined;
  try {
    pid = Number(readFileSync(lock, 'utf8'));
  } catch {
    // no lock: nobody uses it
  }
  if (pid !== undefined && Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
    throw new StateDirInUseError(stateDir, pid);
  }
  if (fresh) rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(lock, String(process.pid));
  return () => {
    try {
      if (readFileSync(lock, 'utf8') === String(process.pid)) rmSync(lock);
    } catch {
      // already gone
    }
  };
}

/**
 * The v1 contracts, and the application created as the Cartesi CLI 1.5 devnet does, at the addresses it has; the
 * InputBox's deployment block recorded when it happens.
 */
async function deployCartesiLikeTheCli(chain: Chain, facts: ChainFacts): Promise<CartesiDeployment> {
  const { inputBoxDeployedAt, ...cartesi } = await deployCartesi(
    await chain.signer(0),
    async (address, code) => {
      await chain.provider.request({ method: 'hardhat_setCode', params: [address, code] });
    },
  );
  if (cartesi.application.toLowerCase() !== CLI_DEVNET_APPLICATION.application.toLowerCase()) {
    throw new Error(
      `the application landed at ${cartesi.application}, not the CLI devnet's ${CLI_DEVNET_APPLICATION.application}`,
    );
  }
  const inputBoxDeploymentBlock = await facts.deploymentBlock(
    'InputBox',
    chain.ethers,
    cartesi.contracts.InputBox,
    inputBoxDeployedAt,
  );
  return { ...cartesi, inputBoxDeploymentBlock };
}

/** The signer that submits claims; moves the Authority's ownership to it when it is not account 0. */
async function claimerSigner(chain: Chain, authorityAddress: string, index: number): Promise<JsonRpcSigner> {
  if (!Number.isInteger(index) || index < 0 || index > 19)
    throw new Error(`claimerAccount must be 0..19, got ${index}`);
  const claimer = await chain.signer(index);
  const authority = Authority__factory.connect(authorityAddress, chain.ethers);
  const owner = await authority.owner();
  if (owner.toLowerCase() !== claimer.address.toLowerCase()) {
    // every test account is unlocked on the local chain, whichever one owns the Authority now
    const current = await chain.ethers.getSigner(owner);
    await (await authority.connect(current).transferOwnership(claimer.address)).wait();
  }
  return claimer;
}

function localChain(
  chain: Chain,
  cartesi: CartesiDeployment,
  claimer: JsonRpcSigner,
  facts: ChainFacts,
  o: {
    stateDir: string;
    host: string;
    log: (line: string) => void;
    unlock: () => void;
    allowedOrigins?: readonly string[];
  },
): LocalChain {
  let stopFollowing = () => {};
  const local: LocalChain = {
    stateDir: o.stateDir,
    host: o.host,
    chain,
    rpcUrl: chain.rpcUrl,
    cartesi,
    claimer,
    facts,
    node: null,
    async startNode(n) {
      if (local.node) throw new Error('the node is already started on this chain');
      local.node = await startNode({
        provider: chain.ethers,
        owner: claimer,
        application: cartesi.application,
        authority: cartesi.authority,
        inputBox: cartesi.contracts.InputBox,
        inputBoxDeploymentBlock: cartesi.inputBoxDeploymentBlock,
        storePath: join(o.stateDir, 'node.sqlite'),
        host: o.host,
        port: n.port ?? 8080,
        backend: n.backend,
        machine: n.machine,
        machineStateDir: join(o.stateDir, 'machine'),
        epochLength: n.epochLength,
        restoreBackendState: n.restoreBackendState,
        finishTimeoutMs: n.finishTimeoutMs,
        chainIdentity: await chain.identity(),
        routes: n.routes,
        allowedOrigins: o.allowedOrigins,
        log: o.log,
      });
      stopFollowing = followChain(chain, local.node, n.blockTime);
      return local.node;
    },
    async stop() {
      stopFollowing();
      await local.node?.stop();
      await chain.stop();
      o.unlock();
    },
  };
  return local;
}

/** Tells the node of every new block, and mines an empty one every `blockTime` seconds when given. */
function followChain(chain: Chain, node: RunningNode, blockTime: number | undefined): () => void {
  const unsubscribe = chain.provider.onBlock(() => node.poke());
  const miner =
    blockTime && blockTime > 0
      ? setInterval(
          () => void chain.provider.request({ method: 'evm_mine' }).catch(() => undefined),
          blockTime * 1000,
        )
      : undefined;
  return () => {
    if (miner) clearInterval(miner);
    unsubscribe();
  };
}
