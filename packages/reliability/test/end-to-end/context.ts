// The shared setup of the end-to-end suites: one devnet with the real backend (dapp/dist/backend.mjs, supervised by the
// node) and stories260K, started once by ../end-to-end.test.ts, which then runs the suites of this folder in order on
// it. The suites share the chain (each sends its inputs after the last one's), so they run one after another, in one
// process: they read the devnet in process (its backend's pid and restarts, settled()), which vitest's globalSetup,
// running in another process than the tests, could not give them.
import type { JsonRpcProvider } from 'ethers';
import type { Devnet } from '@tt/devnet';
import { haveModel, modelNote, sized, fuzzSeed } from '../../src/models.ts';
import {
  backendPath,
  dumpInputs,
  haveBackend,
  rpc,
  startRealDevnet,
  waitFor,
  type DumpedInput,
  type LoggedDevnet,
} from '../../src/devnet.ts';

export const FUZZ_INPUTS = sized('TT_FUZZ_INPUTS', 300, 3000);
export const BATCH = 50;
// each one costs the chain, the node and the backend tens of seconds on a busy 2-core machine
export const HUGE_INPUTS = sized('TT_HUGE_INPUTS', 2, 4);
export const LOAD_ACCOUNTS = sized('TT_LOAD_ACCOUNTS', 4, 8);
export const LOAD_PER_ACCOUNT = sized('TT_LOAD_PER_ACCOUNT', 4, 20);
export const SEED = fuzzSeed(20261201);
export const run = haveModel && haveBackend;
export const skipNote = !haveBackend ? ` [SKIPPED: no backend at ${backendPath}; run pnpm build]` : modelNote;

export let env: LoggedDevnet;
export let devnet: Devnet;
export let provider: JsonRpcProvider;
/** The TrustAndTeach address. */
export let TT: string;
export let seqLen: number;
/** The backend's pid when the suites started: it must still be the same process at the end. */
export let backendPid: number | undefined;

export async function startSharedDevnet(): Promise<void> {
  env = await startRealDevnet();
  devnet = env.devnet;
  provider = rpc(devnet.rpcUrl);
  TT = devnet.deployments.contracts.TrustAndTeach;
  seqLen = devnet.deployments.model.seqLen;
  await waitFor('the backend to start', async () => devnet.node.backend?.pid, 30_000);
  backendPid = devnet.node.backend!.pid;
}

export async function stopSharedDevnet(): Promise<void> {
  provider?.destroy();
  await env?.stop();
}

/** Backend deaths so far (nobody injects faults in these suites, so every one is a crash). */
export function backendCrashes(): number {
  return devnet.node.backend!.restarts;
}

export const phase = (what: string) => {
  if (process.env.TT_TEST_LOG) console.log(`[e2e ${new Date().toISOString()}] ${what}`);
};

export async function dumpOne(index: number): Promise<DumpedInput | undefined> {
  const all = await dumpInputs(devnet.graphqlUrl);
  return all.find((d) => d.index === index);
}
