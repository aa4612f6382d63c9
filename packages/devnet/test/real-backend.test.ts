// The devnet with the real backend (dapp/dist/backend.mjs, built by `pnpm build`) and the small
// stories260K model: a prompt sent to TrustAndTeach comes back as two notices and two vouchers whose
// execution posts both responses on-chain.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contract, Interface, toUtf8String } from 'ethers';
import { TrustAndTeach__factory } from '@tt/contracts';
import { sharedModels } from '@tt/llm/testing';
import type { Devnet } from '../src/index.js';
import { defaultBackendPath } from '../src/paths.js';
import { gql, tempStateDir, user } from './helpers.js';
import { startDevnet } from '../src/index.js';

const models = sharedModels();
const { checkpoint, tokenizer } = models;

let devnet: Devnet;
let alice: ReturnType<typeof user>;

beforeAll(async () => {
  if (models.missingReason) throw new Error(models.missingReason);
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

describe('model and engine files for the browser', () => {
  it('serves a manifest whose sha256 values match the files it serves', async () => {
    const manifest = await (await fetch(`${devnet.nodeUrl}/models/manifest.json`)).json();
    expect(manifest).toMatchObject({ name: 'stories260K', hash: devnet.deployments.model.hash, seqLen: 512 });
    const sha = async (url: string) =>
      createHash('sha256')
        .update(Buffer.from(await (await fetch(`${devnet.nodeUrl}${url}`)).arrayBuffer()))
        .digest('hex');
    expect(await sha(manifest.files.checkpoint.url)).toBe(
      createHash('sha256').update(readFileSync(checkpoint)).digest('hex'),
    );
    expect(await sha(manifest.files.checkpoint.url)).toBe(manifest.files.checkpoint.sha256);
    expect(await sha(manifest.files.tokenizer.url)).toBe(manifest.files.tokenizer.sha256);
    const both = createHash('sha256')
      .update(readFileSync(checkpoint))
      .update(readFileSync(tokenizer))
      .digest('hex');
    expect(manifest.hash).toBe(`0x${both}`);
    const engines = Object.values(manifest.engine) as { url: string; sha256: string }[];
    expect(engines.length).toBeGreaterThan(0);
    for (const e of engines) {
      const res = await fetch(`${devnet.nodeUrl}${e.url}`);
      expect(res.headers.get('content-type')).toBe('application/wasm');
      expect(
        createHash('sha256')
          .update(Buffer.from(await res.arrayBuffer()))
          .digest('hex'),
      ).toBe(e.sha256);
    }
  });
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
