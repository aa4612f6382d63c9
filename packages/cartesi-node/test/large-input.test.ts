// Big payloads travel the whole way: InputBox → node → backend → outputs → GraphQL → proof matching the on-chain claim.
import { afterAll, expect, it } from 'vitest';
import { Contract, hexlify, randomBytes } from 'ethers';
import { Authority__factory } from '@tt/cartesi-v1';
import { proofs } from '../src/index.js';
import { gql, startEchoNode, user, type TestNode } from './helpers.js';

let devnet: TestNode | undefined;
afterAll(async () => {
  await devnet?.stop();
});

const word = (n: number | string) => (typeof n === 'number' ? n.toString(16) : n.slice(2)).padStart(64, '0');

it('handles an input near the InputBox size limit and proves its notice of the same size', async () => {
  devnet = await startEchoNode();
  const alice = await user(devnet, 1);
  // InputBox accepts at most 2^21 - 64 bytes, InputSizeExceedsLimit above
  const payload = hexlify(randomBytes(2 ** 21 - 64 - 256));
  // addInput(address,bytes) call data written by hand and sent from an unlocked test account: ethers would spend
  // tens of seconds ABI-encoding and signing 2 MiB, which is the client's cost, not the devnet's
  const bytes = (payload.length - 2) / 2;
  const data = `0x1789cd63${word(devnet.contracts.CartesiDApp)}${word(64)}${word(bytes)}${payload.slice(2).padEnd(Math.ceil(bytes / 32) * 64, '0')}`;
  const t0 = Date.now();
  const hash = (await alice.provider.send('eth_sendTransaction', [
    { from: alice.address, to: devnet.contracts.InputBox, data, gas: '0x55d4a80' },
  ])) as string;
  expect((await alice.provider.getTransactionReceipt(hash))?.status).toBe(1);
  await devnet.settled();
  const elapsed = Date.now() - t0;

  const r = await gql(
    devnet,
    `{ input(index: 0) { status payload notice(index: 0) { payload proof { context validity { inputIndexWithinEpoch outputIndexWithinInput outputHashesRootHash vouchersEpochRootHash noticesEpochRootHash machineStateHash outputHashInOutputHashesSiblings outputHashesInEpochSiblings } } } } }`,
  );
  expect(r.data.input.status).toBe('ACCEPTED');
  expect(r.data.input.payload).toBe(payload);
  const notice = r.data.input.notice;
  expect(notice.payload).toBe(payload);
  // the checks validateNotice makes, against the claim the node put on-chain
  const v = notice.proof.validity;
  const leaf = proofs.hashRoot(proofs.noticeHash(payload));
  expect(proofs.rootFromSiblings(0n, 5, leaf, v.outputHashInOutputHashesSiblings)).toBe(
    v.outputHashesRootHash,
  );
  expect(proofs.rootFromSiblings(0n, 5, v.outputHashesRootHash, v.outputHashesInEpochSiblings)).toBe(
    v.noticesEpochRootHash,
  );
  const authority = Authority__factory.connect(devnet.contracts.Authority, alice.provider);
  const [epochHash] = await authority.getFunction('getClaim')(
    devnet.contracts.CartesiDApp,
    notice.proof.context,
  );
  expect(proofs.computeEpochHash(v.vouchersEpochRootHash, v.noticesEpochRootHash, v.machineStateHash)).toBe(
    epochHash,
  );
  console.log(`2 MiB input: mined, processed, proven and claimed in ${elapsed} ms`);
  alice.destroy();
}, 120_000);
