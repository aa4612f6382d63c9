// Test plumbing: a local chain and node on free ports with the echo backend (a real process, fixtures/echo-backend.mjs),
// and users talking to it over HTTP JSON-RPC and GraphQL like any client would.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonRpcProvider, NonceManager, hexlify, toUtf8Bytes } from 'ethers';
import { CartesiDApp__factory, InputBox__factory } from '@tt/cartesi-v1';
import {
  startLocalChain,
  type BackendCommand,
  type Chain,
  type LocalChainOptions,
  type LocalNodeOptions,
  type RunningNode,
} from '../src/index.js';

export { echoBackendPath } from '../src/testing.js';
import { echoBackendPath } from '../src/testing.js';

export const tempStateDir = () => mkdtempSync(join(tmpdir(), 'tt-node-test-'));

/** What the tests see of a local chain with its node: URLs, addresses, and the parts to poke at. */
export interface TestNode {
  stateDir: string;
  rpcUrl: string;
  nodeUrl: string;
  graphqlUrl: string;
  inspectUrl: string;
  rollupUrl: string;
  contracts: { InputBox: string; CartesiDApp: string; Authority: string; History: string };
  inputBoxDeploymentBlock: number;
  chain: Chain;
  node: RunningNode;
  settled(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export type TestNodeOptions = Partial<Omit<LocalChainOptions, 'stateDir'> & LocalNodeOptions> & {
  stateDir?: string;
  backend?: BackendCommand | 'none';
};

/** A local chain and node on free ports with the echo backend; quiet unless DEVNET_TEST_LOG is set. */
export async function startEchoNode(opts: TestNodeOptions = {}): Promise<TestNode> {
  const log =
    opts.log ??
    ((l: string) => {
      if (process.env.DEVNET_TEST_LOG) console.log(l);
    });
  const local = await startLocalChain({
    stateDir: opts.stateDir ?? tempStateDir(),
    fresh: opts.fresh,
    rpcPort: 0,
    claimerAccount: opts.claimerAccount,
    log,
  });
  try {
    const node = await local.startNode({
      port: 0,
      backend: opts.backend ?? { command: process.execPath, args: [echoBackendPath] },
      epochLength: opts.epochLength,
      blockTime: opts.blockTime,
      restoreBackendState: opts.restoreBackendState,
      finishTimeoutMs: opts.finishTimeoutMs ?? 2_000,
    });
    const { cartesi } = local;
    return {
      stateDir: local.stateDir,
      rpcUrl: local.rpcUrl,
      nodeUrl: node.url,
      graphqlUrl: node.graphqlUrl,
      inspectUrl: node.inspectUrl,
      rollupUrl: node.rollupUrl,
      contracts: {
        InputBox: cartesi.contracts.InputBox,
        CartesiDApp: cartesi.application,
        Authority: cartesi.authority,
        History: cartesi.history,
      },
      inputBoxDeploymentBlock: cartesi.inputBoxDeploymentBlock,
      chain: local.chain,
      node,
      settled: (t) => node.settled(t),
      stop: () => local.stop(),
    };
  } catch (e) {
    await local.stop();
    throw e;
  }
}

/**
 * A user talking to the chain over HTTP JSON-RPC, like any client would, as one of the accounts Hardhat funds and
 * unlocks (eth_accounts): the node signs its transactions, so no key is needed here.
 */
export async function user(devnet: TestNode, account = 1) {
  const provider = new JsonRpcProvider(devnet.rpcUrl, 31337, {
    staticNetwork: true,
    pollingInterval: 50,
    cacheTimeout: -1,
  });
  const signer = await provider.getSigner(account);
  const wallet = new NonceManager(signer);
  const inputBox = InputBox__factory.connect(devnet.contracts.InputBox, wallet);
  const dapp = CartesiDApp__factory.connect(devnet.contracts.CartesiDApp, wallet);
  return {
    provider,
    wallet,
    inputBox,
    dapp,
    address: signer.address.toLowerCase(),
    async addInput(text: string) {
      const tx = await inputBox.addInput(devnet.contracts.CartesiDApp, hexlify(toUtf8Bytes(text)));
      return (await tx.wait())!;
    },
    destroy: () => provider.destroy(),
  };
}

export async function gql<T = any>(
  devnet: TestNode,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ data: T; errors?: { message: string }[] }> {
  const res = await fetch(devnet.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return res.json() as never;
}

export const hexText = (s: string) => hexlify(toUtf8Bytes(s));
