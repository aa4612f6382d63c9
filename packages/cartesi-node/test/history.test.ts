// The chain's history rewritten under a running node. The devnet refuses evm_snapshot/evm_revert (access.test.ts);
// here they are sent to the Hardhat chain behind the journal, as another tool on the same chain could. The node must
// notice on its next scan, drop what it held from the lost blocks and rebuild: a new input at the reverted index gets
// its own outputs (not the reverted input's), and the node claims on, without wedging or a claim mismatch.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Eip1193Provider } from '../src/chain/index.js';
import { gql, hexText, startEchoNode, user, type TestNode } from './helpers.js';

let node: TestNode;
const logs: string[] = [];

beforeAll(async () => {
  node = await startEchoNode({ log: (l) => logs.push(l) });
}, 60_000);

afterAll(async () => {
  await node?.stop();
});

it('rebuilds its state when the blocks it read are reverted, and serves the new input at that index', async () => {
  const hardhat = (node.chain.provider as unknown as { inner: Eip1193Provider }).inner;
  const alice = await user(node, 1);
  await alice.addInput('kept');
  await node.settled();
  const snapshot = await hardhat.request({ method: 'evm_snapshot' });
  await alice.addInput('reverted');
  await node.settled();
  alice.destroy();
  expect((await gql(node, '{ input(index: 1) { payload } }')).data.input.payload).toBe(hexText('reverted'));

  expect(await hardhat.request({ method: 'evm_revert', params: [snapshot] })).toBe(true);
  const bob = await user(node, 2); // a fresh nonce manager: alice's nonces were reverted with the blocks
  await bob.addInput('replacement');
  await node.settled();
  bob.destroy();

  const r = await gql(
    node,
    '{ inputs { totalCount edges { node { index status payload notices { edges { node { payload proof { context } } } } } } } }',
  );
  const inputs = r.data.inputs.edges.map((e: any) => e.node);
  expect(inputs.map((i: any) => [i.index, i.status, i.payload])).toEqual([
    [0, 'ACCEPTED', hexText('kept')],
    [1, 'ACCEPTED', hexText('replacement')],
  ]);
  expect(inputs[1].notices.edges.map((e: any) => e.node.payload)).toEqual([hexText('replacement')]);
  expect(inputs[1].notices.edges[0].node.proof).not.toBeNull();
  expect(logs.some((l) => /no longer on the chain.*rebuilding the node state/.test(l))).toBe(true);
  expect(node.node.pipeline.lastError).toBeNull();
});
