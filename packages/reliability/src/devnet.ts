// Shared plumbing for the suites that run a whole devnet: the real backend (dapp/dist/backend.mjs) with stories260K
// supervised by the devnet's node, every log line captured, accounts of the test mnemonic, impersonation of the
// TrustAndTeach address, batched inputs (many per block), and GraphQL dumps read like any client would.
import { existsSync } from 'node:fs';
import { request as httpRequestRaw, type IncomingHttpHeaders } from 'node:http';
import { JsonRpcProvider, NonceManager, Wallet, getBytes, hexlify, toBeHex } from 'ethers';
import { CartesiDApp__factory, InputBox__factory } from '@tt/cartesi-v1';
import { ITrustAndTeachInput__factory, TrustAndTeach__factory } from '@tt/contracts';
import type { Devnet, DevnetOptions } from '@tt/devnet';
import { backendPath, startTestDevnet, testProvider } from '@tt/devnet/testing';
import { devnetAccount } from '@tt/protocol';

export { backendPath };
export const haveBackend = existsSync(backendPath);

/** Secrets planted in the environment of the devnet's backend: they must never show up in any log. */
export const PLANTED = {
  privateKey: Wallet.createRandom().privateKey,
  mnemonic: Wallet.createRandom().mnemonic!.phrase,
};

/** ethers' general ABI coder over the compiled ITrustAndTeachInput: independent of @tt/protocol's codec. */
export const inputIface = ITrustAndTeachInput__factory.createInterface();
export const ttIface = TrustAndTeach__factory.createInterface();
export const inputBoxIface = InputBox__factory.createInterface();

export interface PromptFields {
  id?: bigint;
  prompt: Uint8Array | string;
  steps?: number;
  temperatureMilli?: number;
  topPMilli?: number;
}
/** The payload TrustAndTeach would send (ABI call data of ITrustAndTeachInput.prompt), for any field values. */
export function promptPayload(p: PromptFields): string {
  const bytes = typeof p.prompt === 'string' ? new TextEncoder().encode(p.prompt) : p.prompt;
  return inputIface.encodeFunctionData('prompt', [
    p.id ?? 0n,
    bytes,
    p.steps ?? 24,
    p.temperatureMilli ?? 800,
    p.topPMilli ?? 900,
  ]);
}

export interface LoggedDevnet {
  devnet: Devnet;
  logs: string[];
  /** Wall time (ms) each input index finished processing, from the node's one line per input. */
  processedAt: Map<number, number>;
  /** How many times each input index was reported processed (must be 1). */
  processedCount: Map<number, number>;
  stop(): Promise<void>;
}

/** The shared test devnet with the real backend, secrets planted in its environment, and every input's processing timed. */
export async function startRealDevnet(opts: DevnetOptions = {}): Promise<LoggedDevnet> {
  const processedAt = new Map<number, number>();
  const processedCount = new Map<number, number>();
  const devnet = await startTestDevnet({
    backend: {
      command: process.execPath,
      args: [backendPath],
      env: {
        TT_PRIVATE_KEY: PLANTED.privateKey,
        MNEMONIC: PLANTED.mnemonic,
        PRIVATE_KEY: PLANTED.privateKey,
      },
    },
    ...opts,
    log: (l) => {
      const m = /^input (\d+) from 0x[0-9a-f]{40}: [A-Z_]+/.exec(l);
      if (m) {
        const i = Number(m[1]);
        processedAt.set(i, Date.now());
        processedCount.set(i, (processedCount.get(i) ?? 0) + 1);
      }
      opts.log?.(l);
    },
  });
  return { devnet, logs: devnet.logs, processedAt, processedCount, stop: () => devnet.stop() };
}

/** Account i of the test mnemonic (Hardhat funds 0..19), over JSON-RPC like any wallet. #0 is the node's claimer. */
export function account(rpcUrl: string, index: number) {
  const provider = testProvider(rpcUrl);
  const hd = devnetAccount(index);
  const wallet = new NonceManager(new Wallet(hd.privateKey, provider));
  return {
    provider,
    wallet,
    address: hd.address,
    privateKey: hd.privateKey,
    destroy: () => provider.destroy(),
  };
}

export const rpc = testProvider;

/** Lets `address` send transactions without its key (hardhat_impersonateAccount) and gives it ether. */
export async function impersonate(provider: JsonRpcProvider, address: string): Promise<void> {
  await provider.send('hardhat_impersonateAccount', [address]);
  await provider.send('hardhat_setBalance', [address, toBeHex(10n ** 21n)]);
}

/**
 * Sends many InputBox.addInput transactions into one block: automine off, every transaction queued (from impersonated
 * or unlocked senders via eth_sendTransaction), one evm_mine, automine back on. Returns the mined block number.
 */
export async function addInputsInOneBlock(
  provider: JsonRpcProvider,
  inputBox: string,
  dapp: string,
  inputs: { from: string; payload: string }[],
): Promise<number> {
  await provider.send('evm_setAutomine', [false]);
  const hashes: string[] = [];
  try {
    for (const i of inputs) {
      const data = inputBoxIface.encodeFunctionData('addInput', [dapp, i.payload]);
      const len = (i.payload.length - 2) / 2;
      const gas = 200_000 + 80 * len;
      hashes.push(
        await provider.send('eth_sendTransaction', [{ from: i.from, to: inputBox, data, gas: toBeHex(gas) }]),
      );
    }
    await provider.send('evm_mine', []);
  } finally {
    await provider.send('evm_setAutomine', [true]);
    // a claim the node sent between our evm_mine and automine coming back would stay pending forever (and the node
    // waits for it): mine it
    await provider.send('evm_mine', []);
  }
  let block = -1;
  for (const h of hashes) {
    const r = await provider.getTransactionReceipt(h);
    if (!r || r.status !== 1) throw new Error(`addInput ${h} did not succeed: ${JSON.stringify(r?.status)}`);
    block = r.blockNumber;
  }
  return block;
}

/**
 * One HTTP request on a fresh connection. The in-process devnet shares this event loop: after a long synchronous
 * stretch (hardhat mining a block, ethers decoding) the server's keep-alive timer and a pooled client socket race, and a
 * reused socket gets ECONNRESET. That is an artifact of running both ends in one process (the same polling against a
 * devnet in its own process never reset), so the suites do not reuse connections.
 */
export function httpRequest(
  url: string,
  init: { method?: string; body?: string | Uint8Array; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string; headers: IncomingHttpHeaders; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequestRaw(
      url,
      {
        method: init.method ?? 'GET',
        agent: false,
        // JSON unless told otherwise; any header may be set (Host and Origin too, as attacks do)
        headers: init.headers ?? (init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            headers: res.headers,
            ms: performance.now() - t0,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

export async function gql<T = any>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<T> {
  const res = await httpRequest(url, { method: 'POST', body: JSON.stringify({ query, variables }) });
  const body = JSON.parse(res.text) as { data: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`GraphQL: ${body.errors.map((e) => e.message).join('; ')}`);
  return body.data;
}

const PROOF = `proof { context validity { inputIndexWithinEpoch outputIndexWithinInput outputHashesRootHash vouchersEpochRootHash noticesEpochRootHash machineStateHash outputHashInOutputHashesSiblings outputHashesInEpochSiblings } }`;
const INPUT_FIELDS = `index status msgSender timestamp blockNumber payload
  notices { totalCount edges { node { index payload ${PROOF} } } }
  vouchers { totalCount edges { node { index destination payload ${PROOF} } } }
  reports { totalCount edges { node { index payload } } }`;

export interface DumpedOutput {
  index: number;
  payload: string;
  destination?: string;
  proof: unknown;
}
export interface DumpedInput {
  index: number;
  status: string;
  msgSender: string;
  timestamp: string;
  blockNumber: string;
  payload: string;
  notices: { totalCount: number; edges: { node: DumpedOutput }[] };
  vouchers: { totalCount: number; edges: { node: DumpedOutput }[] };
  reports: { totalCount: number; edges: { node: { index: number; payload: string } }[] };
}

/** Every input with its outputs and proofs, page by page (the reader caps pages at 1000). */
export async function dumpInputs(graphqlUrl: string): Promise<DumpedInput[]> {
  const out: DumpedInput[] = [];
  let after: string | null = null;
  for (;;) {
    const page: any = await gql(
      graphqlUrl,
      `query($after: String) { inputs(first: 200, after: $after) { pageInfo { hasNextPage endCursor } edges { node { ${INPUT_FIELDS} } } } }`,
      { after },
    );
    out.push(...page.inputs.edges.map((e: any) => e.node));
    if (!page.inputs.pageInfo.hasNextPage) return out;
    after = page.inputs.pageInfo.endCursor;
  }
}

/** Every voucher the node knows (top-level connection), with destination and input index. */
export async function allVouchers(
  graphqlUrl: string,
): Promise<{ index: number; destination: string; payload: string; input: { index: number } }[]> {
  const out: any[] = [];
  let after: string | null = null;
  for (;;) {
    const page: any = await gql(
      graphqlUrl,
      `query($after: String) { vouchers(first: 500, after: $after) { pageInfo { hasNextPage endCursor } edges { node { index destination payload input { index } } } } }`,
      { after },
    );
    out.push(...page.vouchers.edges.map((e: any) => e.node));
    if (!page.vouchers.pageInfo.hasNextPage) return out;
    after = page.vouchers.pageInfo.endCursor;
  }
}

export const reportJson = (hex: string): any => {
  try {
    return JSON.parse(Buffer.from(getBytes(hex)).toString('utf8'));
  } catch {
    return { unparsable: hex };
  }
};

/** All InputAdded events of the application, in chain order. */
export async function inputAddedEvents(
  provider: JsonRpcProvider,
  inputBox: string,
  dapp: string,
  fromBlock = 0,
) {
  const ev = inputBoxIface.getEvent('InputAdded')!;
  const logs = await provider.getLogs({
    address: inputBox,
    topics: [ev.topicHash, '0x' + dapp.slice(2).toLowerCase().padStart(64, '0')],
    fromBlock,
    toBlock: 'latest',
  });
  return logs.map((l) => {
    const p = inputBoxIface.parseLog(l)!;
    return {
      index: Number(p.args.inputIndex as bigint),
      sender: (p.args.sender as string).toLowerCase(),
      payload: hexlify(p.args.input as string),
      blockNumber: l.blockNumber,
    };
  });
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`,
      );
    await new Promise((r) => setTimeout(r, 150));
  }
}

export function cartesiDApp(address: string, runner: JsonRpcProvider | NonceManager) {
  return CartesiDApp__factory.connect(address, runner);
}

/** The PromptSubmitted event of a sendPrompt receipt: the conversation id and the input index. */
export function promptSubmitted(
  receipt: { logs: readonly { topics: readonly string[]; data: string }[] } | null,
) {
  for (const log of receipt?.logs ?? []) {
    const event = ttIface.parseLog({ topics: [...log.topics], data: log.data });
    if (event?.name === 'PromptSubmitted') {
      return {
        conversationId: event.args.conversationId as bigint,
        inputIndex: Number(event.args.inputIndex),
      };
    }
  }
  throw new Error('the transaction emitted no PromptSubmitted event');
}

/** The arguments of a voucher's postResponse call data, or null when it calls something else. */
export function postResponseArgs(payload: string) {
  const call = ttIface.parseTransaction({ data: payload });
  if (call?.name !== 'postResponse') return null;
  const [conversationId, responseIndex, text, modelHash, seed, steps, temperatureMilli, topPMilli] =
    call.args.toArray() as [bigint, bigint, string, string, bigint, bigint, bigint, bigint];
  return { conversationId, responseIndex, text, modelHash, seed, steps, temperatureMilli, topPMilli };
}
