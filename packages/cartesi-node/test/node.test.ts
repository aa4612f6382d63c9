// Integration tests: a local chain and node on free ports, the echo backend as a real process, real clients
// (ethers over HTTP JSON-RPC, GraphQL over HTTP) and the real v1 contracts checking the proofs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZeroHash, AbiCoder } from 'ethers';
import { Authority__factory } from '@tt/cartesi-v1';
import { CANONICAL_ADDRESSES } from '../src/index.js';
import { gql, hexText, startEchoNode, user, type TestNode } from './helpers.js';

let devnet: TestNode;
let alice: Awaited<ReturnType<typeof user>>;

const PROOF_FIELDS = `proof { context validity { inputIndexWithinEpoch outputIndexWithinInput outputHashesRootHash vouchersEpochRootHash noticesEpochRootHash machineStateHash outputHashInOutputHashesSiblings outputHashesInEpochSiblings } }`;

beforeAll(async () => {
  devnet = await startEchoNode();
  alice = await user(devnet, 1);
  await alice.addInput('hello devnet'); // input 0: accepted
  await alice.addInput('reject:no thanks'); // input 1: rejected
  await alice.addInput('second accepted'); // input 2: accepted
  await alice.addInput('exception:boom'); // input 3: exception
  await devnet.settled();
}, 60_000);

afterAll(async () => {
  alice?.destroy();
  await devnet?.stop();
});

describe('chain and contracts', () => {
  it('has the Cartesi v1 contracts and the CLI devnet application at their canonical addresses', async () => {
    const d = devnet;
    expect(d.contracts.InputBox).toBe('0x59b22D57D4f067708AB0c00552767405926dc768');
    expect(d.contracts.CartesiDApp).toBe('0xab7528bb862fB57E8A2BCd567a2e929a0Be56a5e');
    expect(d.contracts.Authority).toBe('0x58c93F83fb3304730C95aad2E360cdb88b782010');
    expect(d.contracts.History).toBe('0x325272217ae6815b494bF38cED004c5Eb8a7CdA7');
    for (const address of [
      ...Object.values(CANONICAL_ADDRESSES),
      d.contracts.CartesiDApp,
      d.contracts.Authority,
      d.contracts.History,
    ]) {
      expect(await alice.provider.getCode(address), address).not.toBe('0x');
    }
    expect((await alice.provider.getNetwork()).chainId).toBe(31337n);
  });

  it("answers the UI's CORS preflights on the node and the chain (its origin only), and shows a page on GET /graphql", async () => {
    for (const url of [devnet.graphqlUrl, `${devnet.inspectUrl}/x`, devnet.rpcUrl]) {
      const res = await fetch(url, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:5173' } });
      expect(res.status, url).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
    }
    const page = await fetch(devnet.graphqlUrl);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toMatch(/GraphQL/);
  });
});

describe('input pipeline', () => {
  it('feeds InputBox inputs to the backend through /host-runner/finish and records their status', async () => {
    const r = await gql(
      devnet,
      `{ inputs { totalCount edges { node { index status msgSender payload blockNumber timestamp } } } }`,
    );
    expect(r.errors).toBeUndefined();
    const nodes = r.data.inputs.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => n.status)).toEqual(['ACCEPTED', 'REJECTED', 'ACCEPTED', 'EXCEPTION']);
    expect(nodes[0]).toMatchObject({ index: 0, msgSender: alice.address, payload: hexText('hello devnet') });
    // BigInt goes on the wire as a string
    expect(typeof nodes[0].blockNumber).toBe('string');
    expect(typeof nodes[0].timestamp).toBe('string');
    const block = await alice.provider.getBlock(Number(nodes[0].blockNumber));
    expect(nodes[0].timestamp).toBe(String(block!.timestamp));
  });

  it('keeps the reports of rejected inputs and drops their vouchers and notices', async () => {
    const r = await gql(
      devnet,
      `{ input(index: 1) { status reports { totalCount edges { node { payload } } } vouchers { totalCount } notices { totalCount } } vouchers { totalCount edges { node { input { index } } } } }`,
    );
    expect(r.data.input.reports.totalCount).toBe(1);
    expect(r.data.input.reports.edges[0].node.payload).toBe(hexText('reject:no thanks'));
    expect(r.data.input.vouchers.totalCount).toBe(0);
    expect(r.data.input.notices.totalCount).toBe(0);
    expect(r.data.vouchers.edges.map((e: any) => e.node.input.index)).toEqual([0, 2]);
  });

  it('answers "not found" errors like the real node', async () => {
    const r = await gql(devnet, `{ input(index: 99) { index } }`);
    expect(r.errors?.[0]?.message).toBe('input not found');
    const v = await gql(devnet, `{ voucher(voucherIndex: 5, inputIndex: 0) { index } }`);
    expect(v.errors?.[0]?.message).toBe('voucher not found');
    const n = await gql(devnet, `{ input(index: 0) { notice(index: 3) { index } } }`);
    expect(n.errors?.[0]?.message).toBe('notice not found');
  });
});

describe('proofs on-chain', () => {
  const proofOf = async (kind: 'voucher' | 'notice', inputIndex: number) => {
    const q =
      kind === 'voucher'
        ? `{ voucher(voucherIndex: 0, inputIndex: ${inputIndex}) { destination payload ${PROOF_FIELDS} } }`
        : `{ notice(noticeIndex: 0, inputIndex: ${inputIndex}) { payload ${PROOF_FIELDS} } }`;
    const r = await gql(devnet, q);
    expect(r.errors).toBeUndefined();
    return r.data[kind];
  };

  it('serves proofs once the epoch is closed, and the claim is on-chain', async () => {
    const v = await proofOf('voucher', 2);
    expect(v.proof.validity.outputHashInOutputHashesSiblings).toHaveLength(16);
    expect(v.proof.validity.outputHashesInEpochSiblings).toHaveLength(32);
    expect(v.proof.validity.machineStateHash).toBe(ZeroHash);
    const authority = Authority__factory.connect(devnet.contracts.Authority, alice.provider);
    const [epochHash, first, last] = await authority.getFunction('getClaim')(
      devnet.contracts.CartesiDApp,
      v.proof.context,
    );
    expect(epochHash).not.toBe(ZeroHash);
    expect(first).toBeLessThanOrEqual(2n);
    expect(last).toBeGreaterThanOrEqual(2n);
  });

  it('executeVoucher succeeds with the served proof, once, and fails with a tampered payload or context', async () => {
    const v = await proofOf('voucher', 2);
    const execute = alice.dapp.getFunction('executeVoucher');
    await expect(execute.staticCall(v.destination, v.payload.replace(/.$/, '0'), v.proof)).rejects.toThrow();
    const badContext = AbiCoder.defaultAbiCoder().encode(['uint256'], [BigInt(v.proof.context) + 1n]);
    await expect(
      execute.staticCall(v.destination, v.payload, { ...v.proof, context: badContext }),
    ).rejects.toThrow();
    const receipt = (await (await execute(v.destination, v.payload, v.proof)).wait())!;
    expect(receipt.status).toBe(1);
    expect(await alice.dapp.getFunction('wasVoucherExecuted')(2, 0)).toBe(true);
    await expect(execute.staticCall(v.destination, v.payload, v.proof)).rejects.toThrow();
  });

  it('validateNotice succeeds with the served proof and fails when tampered', async () => {
    for (const inputIndex of [0, 2]) {
      const n = await proofOf('notice', inputIndex);
      const validate = alice.dapp.getFunction('validateNotice');
      expect(await validate.staticCall(n.payload, n.proof)).toBe(true);
      await expect(validate.staticCall(hexText('forged'), n.proof)).rejects.toThrow();
      const siblings = [...n.proof.validity.outputHashInOutputHashesSiblings];
      siblings[0] = ZeroHash;
      await expect(
        validate.staticCall(n.payload, {
          ...n.proof,
          validity: { ...n.proof.validity, outputHashInOutputHashesSiblings: siblings },
        }),
      ).rejects.toThrow();
    }
  });
});

describe('pagination', () => {
  const indices = (r: any) => r.data.inputs.edges.map((e: any) => e.node.index);

  it('uses base64 decimal offsets as cursors, forwards and backwards', async () => {
    const all = await gql(
      devnet,
      `{ inputs { edges { cursor } pageInfo { startCursor endCursor hasNextPage hasPreviousPage } } }`,
    );
    expect(all.data.inputs.edges.map((e: any) => e.cursor)).toEqual(['MA==', 'MQ==', 'Mg==', 'Mw==']);
    expect(all.data.inputs.pageInfo).toEqual({
      startCursor: 'MA==',
      endCursor: 'Mw==',
      hasNextPage: false,
      hasPreviousPage: false,
    });
    const first2 = await gql(
      devnet,
      `{ inputs(first: 2) { edges { node { index } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`,
    );
    expect(indices(first2)).toEqual([0, 1]);
    expect(first2.data.inputs.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      endCursor: 'MQ==',
    });
    const next = await gql(
      devnet,
      `{ inputs(first: 2, after: "MQ==") { edges { node { index } } pageInfo { hasNextPage hasPreviousPage } } }`,
    );
    expect(indices(next)).toEqual([2, 3]);
    expect(next.data.inputs.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });
    const last2 = await gql(devnet, `{ inputs(last: 2) { edges { node { index } } } }`);
    expect(indices(last2)).toEqual([2, 3]);
    const before = await gql(devnet, `{ inputs(last: 1, before: "Mg==") { edges { node { index } } } }`);
    expect(indices(before)).toEqual([1]);
    const filtered = await gql(
      devnet,
      `{ inputs(where: { indexGreaterThan: 0, indexLowerThan: 3 }) { totalCount edges { node { index } cursor } } }`,
    );
    expect(filtered.data.inputs.totalCount).toBe(2);
    expect(filtered.data.inputs.edges.map((e: any) => [e.node.index, e.cursor])).toEqual([
      [1, 'MA=='],
      [2, 'MQ=='],
    ]);
  });

  it('refuses mixed directions, negative limits and bad cursors', async () => {
    const mixed = await gql(devnet, `{ inputs(first: 1, last: 1) { totalCount } }`);
    expect(mixed.errors?.[0]?.message).toBe(
      'cannot mix forward pagination (first, after) with backward pagination (last, before)',
    );
    const mixed2 = await gql(devnet, `{ inputs(after: "MA==", before: "Mg==") { totalCount } }`);
    expect(mixed2.errors?.[0]?.message).toMatch(/cannot mix/);
    const negative = await gql(devnet, `{ inputs(first: -1) { totalCount } }`);
    expect(negative.errors?.[0]?.message).toBe('invalid pagination limit -1');
    const outOfRange = await gql(devnet, `{ inputs(after: "OTk=") { totalCount } }`);
    expect(outOfRange.errors?.[0]?.message).toBe('invalid pagination cursor OTk=');
    const notBase64 = await gql(devnet, `{ inputs(after: "!!") { totalCount } }`);
    expect(notBase64.errors?.[0]?.message).toBe('failed to decode base64 cursor');
  });
});

describe('inspect', () => {
  it('GET /inspect/<payload> and POST /inspect return the v1 response shape', async () => {
    const get = await (await fetch(`${devnet.inspectUrl}/hello%20world?x=1`)).json();
    expect(get).toEqual({
      status: 'Accepted',
      exception_payload: null,
      reports: [{ payload: hexText('hello world?x=1') }],
      processed_input_count: 4,
    });
    const post = await (
      await fetch(devnet.inspectUrl, { method: 'POST', body: new Uint8Array([0, 255]) })
    ).json();
    expect(post.reports).toEqual([{ payload: '0x00ff' }]);
  });
});

describe('rollup HTTP API checks', () => {
  const call = (route: string, body: unknown) =>
    fetch(`${devnet.rollupUrl}/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('refuses outputs in idle state, bad statuses, bad hex and bad addresses with 400 text errors', async () => {
    let r = await call('notice', { payload: '0x00' });
    expect(r.status).toBe(400);
    expect(await r.text()).toBe('invalid request notice in idle state');
    r = await call('finish', { status: 'maybe' });
    expect(r.status).toBe(400);
    expect(await r.text()).toBe("status must be 'accept' or 'reject'");
    const { checkHex, checkAddress } = await import('../src/node/rollup-api/host-runner.js');
    expect(() => checkHex('00', 'payload')).toThrow(/must start with 0x/);
    expect(() => checkHex('0X00', 'payload')).toThrow(/must start with 0x/);
    expect(() => checkHex('0x0g', 'payload')).toThrow(/invalid hex/);
    expect(checkHex('0xAB', 'payload')).toBe('0xab');
    expect(() => checkAddress('0x1234')).toThrow('Address not valid');
  });
});
