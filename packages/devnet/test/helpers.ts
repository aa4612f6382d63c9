import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Contract, JsonRpcProvider, NonceManager, Wallet, hexlify, toUtf8Bytes } from 'ethers';
import { abis, FUNDED_ACCOUNTS, startDevnet, type Devnet, type DevnetOptions } from '../src/index.js';

export const echoBackendPath = fileURLToPath(new URL('./fixtures/echo-backend.mjs', import.meta.url));

export const tempStateDir = () => mkdtempSync(join(tmpdir(), 'tt-devnet-test-'));

/** A devnet on free ports with the echo backend; quiet unless DEVNET_TEST_LOG is set. */
export function startEchoDevnet(opts: Partial<DevnetOptions> = {}): Promise<Devnet> {
  const lines: string[] = [];
  return startDevnet({
    ports: { rpc: 0, node: 0 },
    stateDir: opts.stateDir ?? tempStateDir(),
    backend: { command: process.execPath, args: [echoBackendPath] },
    finishTimeoutMs: 2_000,
    log: (l) => {
      lines.push(l);
      if (process.env.DEVNET_TEST_LOG) console.log(l);
    },
    ...opts,
  });
}

/** A user on the devnet talking to it over HTTP JSON-RPC, like any client would. */
export function user(devnet: Devnet, account = 1) {
  const provider = new JsonRpcProvider(devnet.rpcUrl, 31337, {
    staticNetwork: true,
    pollingInterval: 50,
    cacheTimeout: -1,
  });
  const wallet = new NonceManager(new Wallet(FUNDED_ACCOUNTS[account]![1], provider));
  const inputBox = new Contract(devnet.deployments.contracts.InputBox, abis.InputBox, wallet);
  const dapp = new Contract(devnet.deployments.contracts.CartesiDApp, abis.CartesiDApp, wallet);
  return {
    provider,
    wallet,
    inputBox,
    dapp,
    address: FUNDED_ACCOUNTS[account]![0].toLowerCase(),
    async addInput(text: string) {
      const tx = await inputBox.getFunction('addInput')(
        devnet.deployments.contracts.CartesiDApp,
        hexlify(toUtf8Bytes(text)),
      );
      return tx.wait();
    },
    destroy: () => provider.destroy(),
  };
}

export async function gql<T = any>(
  devnet: Devnet,
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
