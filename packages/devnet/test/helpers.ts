import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JsonRpcProvider, NonceManager, hexlify, toUtf8Bytes } from 'ethers';
import { CartesiDApp__factory, InputBox__factory } from '@tt/cartesi-v1';
import { devnetAccount } from '@tt/protocol';
import { startDevnet, type Devnet, type DevnetOptions } from '../src/index.js';

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
  const key = devnetAccount(account);
  const wallet = new NonceManager(key.connect(provider));
  const inputBox = InputBox__factory.connect(devnet.deployments.contracts.InputBox, wallet);
  const dapp = CartesiDApp__factory.connect(devnet.deployments.contracts.CartesiDApp, wallet);
  return {
    provider,
    wallet,
    inputBox,
    dapp,
    address: key.address.toLowerCase(),
    async addInput(text: string) {
      const tx = await inputBox.addInput(
        devnet.deployments.contracts.CartesiDApp,
        hexlify(toUtf8Bytes(text)),
      );
      return (await tx.wait())!;
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
