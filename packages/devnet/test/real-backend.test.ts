// The devnet with the real backend (dapp/dist/backend.mjs, built by `pnpm build`) and the small
// stories260K model: a prompt sent to TrustAndTeach comes back as two notices and two vouchers whose
// execution posts both responses on-chain.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contract, Interface, toUtf8String } from 'ethers';
import { TrustAndTeach__factory } from '@tt/contracts';
import type { Devnet } from '../src/index.js';
import { defaultBackendPath } from '../src/paths.js';
import { gql, tempStateDir, user } from './helpers.js';
import { startDevnet } from '../src/index.js';

const models = fileURLToPath(new URL('../../../../shared/models/', import.meta.url));
const checkpoint = `${models}stories260K.bin`;
const tokenizer = `${models}tokenizer.bin`;

let devnet: Devnet;
let alice: ReturnType<typeof user>;

beforeAll(async () => {
  if (!existsSync(defaultBackendPath())) {
    throw new Error(
      `${defaultBackendPath()} is missing: build the backend first (pnpm --filter @tt/dapp build, or pnpm build)`,
    );
  }
  devnet = await startDevnet({
    ports: { rpc: 0, node: 0 },
    stateDir: tempStateDir(),
    checkpoint,
    tokenizer,
    modelName: 'stories260K',
    log: (l) => process.env.DEVNET_TEST_LOG && console.log(l),
  });
  alice = user(devnet, 2);
}, 60_000);

afterAll(async () => {
  alice?.destroy();
  await devnet?.stop();
});

describe('real backend', () => {
  it('turns a TrustAndTeach prompt into notices and executable vouchers that post the responses', async () => {
    const tt = new Contract(
      devnet.deployments.contracts.TrustAndTeach,
      TrustAndTeach__factory.abi,
      alice.wallet,
    );
    const t0 = Date.now();
    const receipt = await (await tt.getFunction('sendPrompt(string,uint32)')('Once upon a time', 24)).wait();
    expect(receipt.status).toBe(1);
    await devnet.settled(120_000);
    const proofReadyMs = Date.now() - t0;

    const r = await gql(
      devnet,
      `{ input(index: 0) { status msgSender notices { edges { node { payload } } } vouchers { edges { node { index destination payload proof { context validity { inputIndexWithinEpoch outputIndexWithinInput outputHashesRootHash vouchersEpochRootHash noticesEpochRootHash machineStateHash outputHashInOutputHashesSiblings outputHashesInEpochSiblings } } } } } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.input.status).toBe('ACCEPTED');
    expect(r.data.input.msgSender).toBe(devnet.deployments.contracts.TrustAndTeach.toLowerCase());
    const notices = r.data.input.notices.edges.map((e: any) => JSON.parse(toUtf8String(e.node.payload)));
    expect(notices.map((n: any) => [n.type, n.responseIndex])).toEqual([
      ['response', 0],
      ['response', 1],
    ]);
    expect(notices[0].modelHash).toBe(devnet.deployments.model.hash);

    const vouchers = r.data.input.vouchers.edges.map((e: any) => e.node);
    expect(vouchers).toHaveLength(2);
    const iface = new Interface(TrustAndTeach__factory.abi);
    for (const v of vouchers) {
      expect(v.destination).toBe(devnet.deployments.contracts.TrustAndTeach.toLowerCase());
      expect(iface.parseTransaction({ data: v.payload })?.name).toBe('postResponse');
      const ok = await alice.dapp.getFunction('executeVoucher').staticCall(v.destination, v.payload, v.proof);
      expect(ok).toBe(true);
      await (await alice.dapp.getFunction('executeVoucher')(v.destination, v.payload, v.proof)).wait();
    }
    const conversation = await tt.getFunction('getConversation')(0);
    expect(Number(conversation.responsesPosted)).toBe(2);
    console.log(
      `real backend: prompt to executable proof in ${proofReadyMs} ms (stories260K, 24 steps, 2 responses)`,
    );
  }, 150_000);
});
