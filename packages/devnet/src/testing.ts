// The one test harness for a whole Trust-and-Teach devnet, shared by every package's tests and benchmarks (the backend's,
// the CLI's, the UI's, the reliability suite, this package's): a devnet on free ports in a throwaway state folder with
// the small real model, its log kept, and the test accounts talking to it over HTTP like any client would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonRpcProvider, NonceManager } from 'ethers';
import { CartesiDApp__factory, InputBox__factory } from '@tt/cartesi-v1';
import { TrustAndTeach__factory } from '@tt/contracts';
import { sharedModels } from '@tt/llm/testing';
import { devnetAccount, DEVNET_CHAIN_ID, toHex } from '@tt/protocol';
import { startDevnet, type Devnet, type DevnetOptions } from './devnet.js';
import { defaultBackendPath } from './layout.js';

export { seedConversations, type SeedOptions, type Seeded } from './seed.js';

/** stories260K and the Llama 2 tokenizer beside the project (../shared/models), or in $TT_MODELS_DIR. */
export const sharedModel = sharedModels();
/** Appended to the names of suites that need the model, so a skip says why in the test report. */
export const modelNote = sharedModel.available ? '' : ` [SKIPPED: ${sharedModel.missingReason}]`;

/** The built backend the devnet runs by default (`pnpm build` makes it). */
export const backendPath = defaultBackendPath();

export interface TestDevnet extends Devnet {
  /** Every line the devnet, its node and its backend logged, in order. */
  logs: string[];
}

/**
 * startDevnet for a test: free ports; a fresh state folder of its own, deleted by stop() (unless `stateDir` is given);
 * the shared small model as stories260K (when present); the built backend unless `backend` says otherwise. Set
 * TT_TEST_LOG=1 to see the devnet's log.
 */
export async function startTestDevnet(opts: DevnetOptions = {}): Promise<TestDevnet> {
  const logs: string[] = [];
  const ownDir = opts.stateDir ? null : mkdtempSync(join(tmpdir(), 'tt-test-devnet-'));
  const model = sharedModel.available
    ? {
        checkpoint: sharedModel.checkpoint,
        tokenizer: sharedModel.tokenizer,
        modelName: 'stories260K',
        modelLicense: 'MIT',
      }
    : {};
  let devnet: Devnet;
  try {
    devnet = await startDevnet({
      ports: { rpc: 0, node: 0 },
      stateDir: ownDir ?? undefined,
      finishTimeoutMs: 1_000,
      ...model,
      ...opts,
      log: (line) => {
        logs.push(line);
        opts.log?.(line);
        if (process.env.TT_TEST_LOG) console.log(line);
      },
    });
  } catch (e) {
    if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    throw e;
  }
  return {
    ...devnet,
    logs,
    async stop() {
      await devnet.stop();
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    },
  };
}

/** A JSON-RPC provider for tests: the devnet's chain id fixed, fast polling, no caching (state changes under it). */
export function testProvider(rpcUrl: string): JsonRpcProvider {
  return new JsonRpcProvider(rpcUrl, DEVNET_CHAIN_ID, {
    staticNetwork: true,
    pollingInterval: 50,
    cacheTimeout: -1,
  });
}

/** Test account `index` on the devnet, signing locally like a wallet; #0 is the node's claimer. */
export function testAccount(devnet: Pick<Devnet, 'rpcUrl' | 'deployments'>, index: number) {
  const provider = testProvider(devnet.rpcUrl);
  const key = devnetAccount(index);
  const wallet = new NonceManager(key.connect(provider));
  const { contracts } = devnet.deployments;
  const inputBox = InputBox__factory.connect(contracts.InputBox, wallet);
  return {
    address: key.address,
    privateKey: key.privateKey,
    provider,
    wallet,
    inputBox,
    dapp: CartesiDApp__factory.connect(contracts.CartesiDApp, wallet),
    trustAndTeach: TrustAndTeach__factory.connect(contracts.TrustAndTeach, wallet),
    /** InputBox.addInput with exactly these bytes, to the application; resolves to the input's index. */
    async addInput(payload: Uint8Array | string): Promise<number> {
      const before = Number(await inputBox.getNumberOfInputs(contracts.CartesiDApp));
      const tx = await inputBox.addInput(
        contracts.CartesiDApp,
        typeof payload === 'string' ? payload : toHex(payload),
      );
      await tx.wait();
      return before;
    },
    destroy: () => provider.destroy(),
  };
}
export type TestAccount = ReturnType<typeof testAccount>;

/** A GraphQL query to the node's reader; throws with the reader's messages when it answers with errors. */
export async function gql<T = any>(
  graphqlUrl: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<T> {
  const res = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`GraphQL: ${body.errors.map((e) => e.message).join('; ')}`);
  return body.data;
}

/** The fields of a voucher's proof, as the reader serves them and CartesiDApp.executeVoucher takes them. */
export const PROOF_FIELDS =
  'proof { context validity { inputIndexWithinEpoch outputIndexWithinInput outputHashesRootHash vouchersEpochRootHash noticesEpochRootHash machineStateHash outputHashInOutputHashesSiblings outputHashesInEpochSiblings } }';
