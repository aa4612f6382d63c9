// Gas of the TrustAndTeach operations on the devnet (issue 3, "Benchmark"): `pnpm bench:gas` prints a table,
// `pnpm bench:gas --json` one JSON object. Every figure is the gasUsed of a real transaction's receipt on the devnet's
// chain, which runs the real Cartesi v1 contracts:
// - sendPromptFirst / sendPromptLater: TrustAndTeach.sendPrompt (→ InputBox.addInput), the first and the second ever;
// - post1024 / post2048: CartesiDApp.executeVoucher(destination, payload, proof) of the vouchers a backend emitted for
//   a prompt, with the proofs the devnet's GraphQL serves once the epoch is claimed: what the user who executes a
//   voucher pays, proof verification included (the "real voucher path");
// - post1024Direct / post2048Direct: the same voucher payloads (of the second conversation) sent as plain transactions
//   to TrustAndTeach from the CartesiDApp address (Hardhat impersonation), i.e. the contract's own cost, which is what
//   `pnpm --filter @tt/contracts bench:gas` measures on Hardhat's in-process chain;
// - rankFirst / rankUpdate: submitRanking by an address that never ranked, then a change of its order;
// - teach10Pairs: TrustAndTeach.teach over 10 answered conversations, each ranked by two rankers (20 rankings read
//   from storage, majority taken, ONE InputBox input sent);
// - registerModel: a model version registered from the CartesiDApp address (impersonation, like post*Direct: the
//   bench backend does not train), its 88-byte hyper-parameters in the event.
// The backend is bench/backend.ts (texts of exactly 1,024 and 2,048 ASCII characters, no model); the model files of
// ../shared/models (stories260K) are used when present so the deployed model hash is a real one.
// Exits non-zero on any failure, including a voucher whose inner call failed (executeVoucher returns false then).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  JsonRpcProvider,
  JsonRpcSigner,
  NonceManager,
  keccak256,
  toUtf8String,
  type TransactionReceipt,
  type TransactionResponse,
} from 'ethers';
import { CartesiDApp__factory } from '@tt/cartesi-v1';
import { TrustAndTeach__factory } from '@tt/contracts';
import { devnetAccount } from '@tt/protocol';
import { startDevnet, type Devnet } from '../src/index.js';
import { BENCH_TEXT_LENGTHS } from './backend.js';
import { sharedModels } from '@tt/llm/testing';

/** The 2023 prototype's costs and this project's goals (issue 3); undefined = no goal, measured for reference. */
export const GOALS = {
  sendPromptFirst: 150_000,
  sendPromptLater: 150_000,
  post1024: Math.floor(922_019 / 4), // a quarter of the prototype's 922,019 for 1,024 characters
  post2048: undefined,
  post1024Direct: undefined,
  post2048Direct: undefined,
  rankFirst: 100_000,
  rankUpdate: undefined,
  teach10Pairs: undefined,
  registerModel: undefined,
} as const;
export type GasKey = keyof typeof GOALS;
export type GasResults = Record<GasKey, number>;

const PROMPT = 'Once upon a time, there was a little dog';
const STEPS = 256;
const PROOF_FIELDS = `proof { context validity { inputIndexWithinEpoch outputIndexWithinInput outputHashesRootHash vouchersEpochRootHash noticesEpochRootHash machineStateHash outputHashInOutputHashesSiblings outputHashesInEpochSiblings } }`;

const benchDir = fileURLToPath(new URL('.', import.meta.url));

interface Voucher {
  destination: string;
  payload: string;
  proof: Parameters<ReturnType<typeof CartesiDApp__factory.connect>['executeVoucher']>[2];
}

async function receiptOf(tx: Promise<TransactionResponse>, what: string): Promise<TransactionReceipt> {
  const receipt = await (await tx).wait();
  if (!receipt || receipt.status !== 1) throw new Error(`${what}: the transaction failed`);
  return receipt;
}

async function voucherOf(devnet: Devnet, inputIndex: number, voucherIndex: number): Promise<Voucher> {
  const res = await fetch(devnet.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `query ($v: Int!, $i: Int!) { voucher(voucherIndex: $v, inputIndex: $i) { destination payload ${PROOF_FIELDS} } }`,
      variables: { v: voucherIndex, i: inputIndex },
    }),
  });
  const body = (await res.json()) as { data?: { voucher: Voucher | null }; errors?: { message: string }[] };
  const voucher = body.data?.voucher;
  if (body.errors?.length || !voucher?.proof) {
    throw new Error(
      `voucher ${voucherIndex} of input ${inputIndex} has no proof: ${JSON.stringify(body.errors ?? body.data)}`,
    );
  }
  return voucher;
}

/** Starts a devnet with the bench backend, runs every operation once, stops it; throws on any failure. */
export async function measureGas(opts: { log?: (line: string) => void } = {}): Promise<GasResults> {
  const stateDir = mkdtempSync(join(tmpdir(), 'tt-bench-gas-'));
  const { checkpoint, tokenizer, available: withModel } = sharedModels();
  let devnet: Devnet | undefined;
  let provider: JsonRpcProvider | undefined;
  try {
    devnet = await startDevnet({
      ports: { rpc: 0, node: 0 },
      stateDir,
      ...(withModel ? { checkpoint, tokenizer, modelName: 'stories260K' } : {}),
      // tsx is resolved from the bench folder (the workspace root's devDependency).
      backend: { command: process.execPath, args: ['--import', 'tsx', 'backend.ts'], cwd: benchDir },
      finishTimeoutMs: 2_000,
      log: opts.log ?? (() => undefined),
    });
    const rpc = new JsonRpcProvider(devnet.rpcUrl, 31337, {
      staticNetwork: true,
      pollingInterval: 50,
      cacheTimeout: -1,
    });
    provider = rpc;
    // Accounts 1.. (the node claims from account 0), each with its own nonces.
    const wallet = (i: number) => new NonceManager(devnetAccount(i).connect(rpc));
    const author = wallet(1);
    const ranker = wallet(2);
    const executor = wallet(3);
    const { TrustAndTeach: ttAddress, CartesiDApp: dappAddress } = devnet.deployments.contracts;
    const tt = TrustAndTeach__factory.connect(ttAddress, provider);
    const dapp = CartesiDApp__factory.connect(dappAddress!, executor);
    if ((await tt.dapp()) !== dappAddress) throw new Error('TrustAndTeach is not bound to the CartesiDApp');

    const gas = (r: TransactionReceipt) => Number(r.gasUsed);
    const send = tt.connect(author)['sendPrompt(string,uint32)'];
    const sendPromptFirst = gas(await receiptOf(send(PROMPT, STEPS), 'sendPrompt (first)'));
    const sendPromptLater = gas(await receiptOf(send(PROMPT, STEPS), 'sendPrompt (later)'));
    if ((await tt.conversationCount()) !== 2n) throw new Error('expected exactly 2 conversations');
    await devnet.settled(30_000); // both inputs processed, the epoch closed, proven and claimed

    /** The voucher of response `index` of conversation `id`, checked to be the postResponse the bench expects. */
    const responseVoucher = async (id: bigint, index: number) => {
      const inputIndex = Number((await tt.getConversation(id)).inputIndex);
      const v = await voucherOf(devnet!, inputIndex, index);
      const decoded = tt.interface.decodeFunctionData('postResponse', v.payload);
      const text = toUtf8String(decoded[2] as string);
      if (
        v.destination.toLowerCase() !== ttAddress.toLowerCase() ||
        decoded[0] !== id ||
        Number(decoded[1]) !== index
      ) {
        throw new Error(`voucher ${index} of input ${inputIndex} is not postResponse(${id}, ${index}, …)`);
      }
      if (text.length !== BENCH_TEXT_LENGTHS[index] || !/^[\x20-\x7e]*$/.test(text)) {
        throw new Error(
          `voucher ${index} of input ${inputIndex} does not carry ${BENCH_TEXT_LENGTHS[index]} ASCII characters`,
        );
      }
      return { ...v, text, inputIndex };
    };
    /** Fails unless the response is on record with the voucher's text. */
    const expectPosted = async (id: bigint, index: number, text: string, what: string) => {
      if ((await tt.responseHash(id, index)) !== keccak256(Buffer.from(text))) {
        throw new Error(`${what}: response ${index} of conversation ${id} is not on record`);
      }
    };

    // Through the voucher path: executeVoucher with the served proof.
    const viaVoucher: number[] = [];
    for (const index of [0, 1]) {
      const v = await responseVoucher(0n, index);
      const what = `executeVoucher (conversation 0, response ${index})`;
      const receipt = await receiptOf(dapp.executeVoucher(v.destination, v.payload, v.proof), what);
      // executeVoucher returns false (no revert) when TrustAndTeach refuses the call: check it really was posted.
      if (!(await dapp.wasVoucherExecuted(v.inputIndex, index))) {
        throw new Error(`${what}: the voucher was not executed (TrustAndTeach refused the call)`);
      }
      await expectPosted(0n, index, v.text, what);
      viaVoucher.push(gas(receipt));
    }

    // Direct: the second conversation's voucher payloads sent from the DApp's own address.
    await provider.send('hardhat_impersonateAccount', [dappAddress]);
    await provider.send('hardhat_setBalance', [dappAddress, '0x56BC75E2D63100000']); // 100 ETH for gas
    const dappSigner = new JsonRpcSigner(provider, dappAddress); // not in eth_accounts, so not getSigner
    const direct: number[] = [];
    for (const index of [0, 1]) {
      const v = await responseVoucher(1n, index);
      const what = `direct postResponse (conversation 1, response ${index})`;
      direct.push(gas(await receiptOf(dappSigner.sendTransaction({ to: ttAddress, data: v.payload }), what)));
      await expectPosted(1n, index, v.text, what);
    }

    const rank = tt.connect(ranker).submitRanking;
    const rankFirst = gas(await receiptOf(rank(0n, [0, 1]), 'submitRanking (first)'));
    const rankUpdate = gas(await receiptOf(rank(0n, [1, 0]), 'submitRanking (update)'));

    // Ten more conversations, answered directly from the DApp's address and ranked by two rankers each.
    const teachIds: bigint[] = [];
    const secondRanker = wallet(4);
    for (let k = 0; k < 10; k++) {
      const id = await tt.conversationCount();
      await receiptOf(send(`${PROMPT} ${k}`, STEPS), `sendPrompt ${id}`);
      const c = await tt.getConversation(id);
      for (const index of [0, 1]) {
        const post = tt
          .connect(dappSigner)
          .postResponse(
            id,
            index,
            Buffer.from(`response ${index} of ${id}`),
            c.modelHash,
            await tt.seedFor(id, index),
            c.steps,
            c.temperatureMilli,
            c.topPMilli,
          );
        await receiptOf(post, `postResponse ${id}/${index}`);
      }
      const order = k % 2 === 0 ? [0, 1] : [1, 0];
      await receiptOf(rank(id, order), `submitRanking ${id}`);
      await receiptOf(tt.connect(secondRanker).submitRanking(id, order), `submitRanking ${id} (second)`);
      teachIds.push(id);
    }
    const teachReceipt = await receiptOf(tt.connect(executor).teach(teachIds), 'teach (10 pairs)');
    const requested = teachReceipt.logs
      .map((l) => tt.interface.parseLog(l))
      .find((e) => e?.name === 'TeachRequested');
    if (requested?.args.conversationIds.length !== 10) throw new Error('teach did not send 10 pairs');
    const teach10Pairs = gas(teachReceipt);

    const registerModel = gas(
      await receiptOf(
        tt
          .connect(dappSigner)
          .registerModel(
            keccak256(Buffer.from('bench model')),
            await tt.modelHash(),
            keccak256(Buffer.from('bench dataset')),
            requested.args.inputIndex as bigint,
            10,
            5,
            `0x${'00'.repeat(88)}`,
          ),
        'registerModel',
      ),
    );
    if ((await tt.modelVersionCount()) !== 2n) throw new Error('registerModel did not register a version');

    return {
      sendPromptFirst,
      sendPromptLater,
      post1024: viaVoucher[0]!,
      post2048: viaVoucher[1]!,
      post1024Direct: direct[0]!,
      post2048Direct: direct[1]!,
      rankFirst,
      rankUpdate,
      teach10Pairs,
      registerModel,
    };
  } finally {
    provider?.destroy();
    await devnet?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

const NOTES: Partial<Record<GasKey, string>> = {
  post1024: 'CartesiDApp.executeVoucher, proof check included',
  post2048: 'CartesiDApp.executeVoucher, proof check included',
  post1024Direct: 'TrustAndTeach.postResponse sent from the DApp address (reference)',
  post2048Direct: 'TrustAndTeach.postResponse sent from the DApp address (reference)',
  sendPromptFirst: 'TrustAndTeach.sendPrompt → InputBox.addInput, first input',
  teach10Pairs: 'TrustAndTeach.teach: 10 conversations × 2 rankings read, one InputBox input',
  registerModel: 'TrustAndTeach.registerModel sent from the DApp address (reference)',
};

export function table(results: GasResults): string {
  const rows = (Object.keys(GOALS) as GasKey[]).map((key) => {
    const goal = GOALS[key];
    const verdict = goal === undefined ? '' : results[key] <= goal ? `≤ ${goal} ok` : `> ${goal} OVER`;
    return `${key.padEnd(16)} ${String(results[key]).padStart(9)}  ${verdict.padEnd(14)}  ${NOTES[key] ?? ''}`.trimEnd();
  });
  return ['operation              gas  goal            note', ...rows].join('\n');
}

async function main(): Promise<void> {
  const lines: string[] = [];
  let results: GasResults;
  try {
    results = await measureGas({ log: (l) => lines.push(l) });
  } catch (error) {
    console.error(lines.join('\n'));
    throw error;
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify(results));
  else console.log(table(results));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
