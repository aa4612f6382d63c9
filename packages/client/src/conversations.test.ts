// The conversation reader against a real chain (Hardhat with the Cartesi v1 contracts and TrustAndTeach), through a
// proxy that caps eth_getLogs ranges like a public RPC.
import { JsonRpcProvider } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCappedRpc, type CappedRpc } from '../test/capped-rpc.ts';
import { startTestChain, type TestChain } from '../test/chain.ts';
import { trustAndTeach } from './contract.ts';
import { ConversationReader, readConversation, readConversations } from './conversations.ts';
import { decodeWithEthers, eventDecoder } from './chain/events.ts';
import { getLogsChunked } from './chain/logs.ts';
import { devnetAccount } from '@tt/protocol';
import type { Eip1193Provider } from '@tt/cartesi-node';

let chain: TestChain;
let capped: CappedRpc;
let provider: JsonRpcProvider;
const RANGE = 4;

beforeAll(async () => {
  chain = await startTestChain();
  capped = await startCappedRpc(chain.rpcUrl, RANGE);
  provider = new JsonRpcProvider(capped.url, 31337, { staticNetwork: true, cacheTimeout: -1 });
}, 60_000);
afterAll(async () => {
  provider?.destroy();
  await capped?.close();
  await chain?.stop();
});

/** Logs through plain fetch (rpcUrl), as the UI and the CLI read them; `viaProvider` through ethers' transport. */
const reader = (blockRange?: number, viaProvider = false) =>
  new ConversationReader({
    contract: trustAndTeach(chain.address, provider),
    provider,
    fromBlock: chain.deploymentBlock,
    blockRange,
    rpcUrl: viaProvider ? undefined : capped.url,
  });

/** What the contract's views say: the record the events must agree with. */
async function viewsOf(id: bigint) {
  const tt = chain.as(0);
  const rankings = await tt.getRankings(id, 0, 100);
  return rankings.map((r) => [r.ranker.toLowerCase(), Number(r.order[0])]);
}

describe('ConversationReader', () => {
  it('reads in chunks of the block range, and a range the RPC refuses is split until it passes', async () => {
    for (let i = 0; i < 3; i++) await chain.prompt(1, `prompt ${i}`);
    await chain.post(0n);
    await chain.post(2n, ['left', 'right']);
    await chain.rank(1, 0n, 0);
    await chain.rank(2, 0n, 1);
    await chain.rank(1, 0n, 1); // a changed mind keeps its place
    await chain.rank(3, 2n, 0);

    const head = await provider.getBlockNumber();
    capped.served.length = 0;
    const r = reader(RANGE);
    const { conversations, block } = await r.update();
    expect(block).toBe(head);
    expect(capped.served.every(([f, t]) => t - f + 1 <= RANGE)).toBe(true);
    expect(capped.served[0]![0]).toBe(chain.deploymentBlock);
    expect(capped.served.at(-1)![1]).toBe(head);
    expect(capped.refused).toBe(0);

    expect(conversations.map((c) => c.id)).toEqual([0n, 1n, 2n]);
    expect(new TextDecoder().decode(conversations[2]!.responses[1]!.bytes)).toBe('right');
    expect(conversations[1]!.responses).toEqual([undefined, undefined]);
    for (const c of conversations) {
      expect(c.rankings.map((x) => [x.ranker.toLowerCase(), x.order[0]])).toEqual(await viewsOf(c.id));
    }
    expect(conversations[0]!.rankings.every((x) => x.rankedAt > 0 && x.txHash)).toBe(true);

    // The events' fixed-layout decoder says exactly what ethers' general one says, on every log.
    const contract = trustAndTeach(chain.address, provider);
    const logs = await getLogsChunked(provider, { address: chain.address }, chain.deploymentBlock, head, {
      blockRange: RANGE,
    });
    const fast = eventDecoder(contract);
    expect(logs.length).toBeGreaterThan(8);
    for (const log of logs) expect(fast(log)).toEqual(decodeWithEthers(contract, log));

    // Too optimistic a range: refused, halved, read all the same.
    capped.served.length = 0;
    const big = await reader(1000).update();
    expect(capped.refused).toBeGreaterThan(0);
    expect(big.conversations).toEqual(conversations);
    // the same through ethers' own transport
    const refused = capped.refused;
    expect((await reader(1000, true).update()).conversations).toEqual(conversations);
    expect(capped.refused).toBeGreaterThan(refused);
  });

  it('reads only the blocks after the last one seen, and keeps unchanged conversations as the same objects', async () => {
    const r = reader(RANGE);
    const first = await r.update();
    const again = await r.update();
    expect(again.changed).toBe(false);
    expect(again.conversations).toBe(first.conversations);

    await chain.post(1n);
    await chain.rank(2, 1n, 0);
    capped.served.length = 0;
    const next = await r.update();
    expect(next.changed).toBe(true);
    expect(capped.served[0]![0]).toBe(first.block + 1);
    expect(next.conversations[0]).toBe(first.conversations[0]);
    expect(next.conversations[1]).not.toBe(first.conversations[1]);
    expect(next.conversations[1]!.rankings.map((x) => x.order[0])).toEqual([0]);
    expect(next.conversations[1]!.responses.every(Boolean)).toBe(true);
    // the same as a reader starting from scratch
    expect(next.conversations).toEqual(
      await reader(RANGE)
        .update()
        .then((u) => u.conversations),
    );
  });

  it('reads everything again when the block it stopped at is gone (a reorg, or a chain started afresh)', async () => {
    // The devnet refuses evm_snapshot/evm_revert; they go to the Hardhat chain behind its journal, as another tool on
    // the same chain could.
    const hardhat = (chain.local.chain.provider as unknown as { inner: Eip1193Provider }).inner;
    const snapshot = await hardhat.request({ method: 'evm_snapshot' });
    await chain.prompt(2, 'soon gone');
    const r = reader(RANGE);
    expect((await r.update()).conversations).toHaveLength(4);
    await hardhat.request({ method: 'evm_revert', params: [snapshot] });
    await chain.prompt(3, 'instead');
    await chain.prompt(3, 'and another');
    const after = await r.update();
    expect(after.reset).toBe(true);
    expect(after.conversations.map((c) => new TextDecoder().decode(c.prompt))).toEqual([
      'prompt 0',
      'prompt 1',
      'prompt 2',
      'instead',
      'and another',
    ]);
    expect(after.conversations[3]!.author).toBe(devnetAccount(3).address);
  });

  it('says so when the deployment block given is after some of the prompts', async () => {
    const late = new ConversationReader({
      contract: trustAndTeach(chain.address, provider),
      provider,
      fromBlock: (await provider.getBlockNumber()) - 1,
    });
    await expect(late.update()).rejects.toThrow(
      /wrong trustAndTeachDeploymentBlock|only \d+ PromptSubmitted/,
    );
  });

  it('reads some conversations by id, in the order asked, and names an unknown id', async () => {
    const contract = trustAndTeach(chain.address, provider);
    const opts = { contract, provider, fromBlock: chain.deploymentBlock, blockRange: RANGE };
    const picked = await readConversations({ ...opts, ids: [2n, 0n] });
    expect(picked.map((c) => c.id)).toEqual([2n, 0n]);
    expect(picked[1]!.rankings).toHaveLength(2);
    expect((await readConversation({ ...opts, id: 1n })).responses.every(Boolean)).toBe(true);
    await expect(readConversation({ ...opts, id: 99n })).rejects.toMatchObject({
      code: 'unknown-conversation',
    });
  });
});
