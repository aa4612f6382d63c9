// The Trust-and-Teach devnet with the real backend (dapp/dist/backend.mjs, built by `pnpm build`) and the small
// stories260K model: TrustAndTeach bound, the deployments file written and served, the model and engine files served
// for the browser, and a prompt that comes back as two notices and two vouchers whose execution posts both responses.
// The node itself (inputs, proofs, claims, restarts) is tested in @tt/cartesi-node.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDeployments, parseResponseNotice, type ResponseNotice } from '@tt/protocol';
import {
  backendPath,
  gql,
  PROOF_FIELDS,
  sharedModel,
  startTestDevnet,
  testAccount,
  type TestAccount,
  type TestDevnet,
} from '../src/testing.js';

let devnet: TestDevnet;
let alice: TestAccount;

beforeAll(async () => {
  if (sharedModel.missingReason) throw new Error(sharedModel.missingReason);
  if (!existsSync(backendPath)) {
    throw new Error(
      `${backendPath} is missing: build the backend first (pnpm --filter @tt/dapp build, or pnpm build)`,
    );
  }
  devnet = await startTestDevnet();
  alice = testAccount(devnet, 2);
}, 60_000);

afterAll(async () => {
  alice?.destroy();
  await devnet?.stop();
});

describe('the application on the local chain', () => {
  it('binds TrustAndTeach to the application and writes and serves the deployments file', async () => {
    expect(await alice.trustAndTeach.dapp()).toBe(devnet.deployments.contracts.CartesiDApp);
    const file = JSON.parse(readFileSync(devnet.deploymentsPath, 'utf8'));
    expect(file).toEqual(devnet.deployments);
    expect(parseDeployments(file, devnet.deploymentsPath)).toEqual(devnet.deployments);
    const served = await (await fetch(`${devnet.nodeUrl}/deployments.json`)).json();
    expect(served).toEqual(file);
    expect(served).toMatchObject({
      chainId: 31337,
      network: 'devnet',
      rpcUrl: devnet.rpcUrl,
      graphqlUrl: devnet.graphqlUrl,
      model: { name: 'stories260K', license: 'MIT', seqLen: 512 },
    });
    expect((await fetch(`${devnet.nodeUrl}/models/nothing.bin`)).status).toBe(404);
  });
});

describe('model files for the browser', () => {
  it('serves a manifest whose sha256 values match the files it serves', async () => {
    const { checkpoint, tokenizer } = sharedModel;
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
    // no engine: the browser runs only the one built into the UI
    expect(manifest.engine).toBeUndefined();
    expect((await fetch(`${devnet.nodeUrl}/engine/llm-simd.wasm`)).status).toBe(404);
  });
});

describe('real backend', () => {
  it('turns a TrustAndTeach prompt into notices and executable vouchers that post the responses', async () => {
    const tt = alice.trustAndTeach;
    const t0 = Date.now();
    const receipt = await (await tt['sendPrompt(string,uint32)']('Once upon a time', 24)).wait();
    expect(receipt?.status).toBe(1);
    await devnet.settled(120_000);
    const proofReadyMs = Date.now() - t0;

    const r = await gql(
      devnet.graphqlUrl,
      `{ input(index: 0) { status msgSender notices { edges { node { payload } } } vouchers { edges { node { index destination payload ${PROOF_FIELDS} } } } } }`,
    );
    expect(r.input.status).toBe('ACCEPTED');
    expect(r.input.msgSender).toBe(devnet.deployments.contracts.TrustAndTeach.toLowerCase());
    const notices = r.input.notices.edges.map(
      (e: any) => parseResponseNotice(e.node.payload) as ResponseNotice,
    );
    expect(notices.map((n: ResponseNotice) => n.responseIndex)).toEqual([0, 1]);
    expect(notices[0].modelHash).toBe(devnet.deployments.model.hash);

    const vouchers = r.input.vouchers.edges.map((e: any) => e.node);
    expect(vouchers).toHaveLength(2);
    for (const v of vouchers) {
      expect(v.destination).toBe(devnet.deployments.contracts.TrustAndTeach.toLowerCase());
      expect(tt.interface.parseTransaction({ data: v.payload })?.name).toBe('postResponse');
      expect(await alice.dapp.executeVoucher.staticCall(v.destination, v.payload, v.proof)).toBe(true);
      await (await alice.dapp.executeVoucher(v.destination, v.payload, v.proof)).wait();
    }
    expect(Number((await tt.getConversation(0)).responsesPosted)).toBe(2);
    console.log(
      `real backend: prompt to executable proof in ${proofReadyMs} ms (stories260K, 24 steps, 2 responses)`,
    );
  }, 150_000);
});
