// Many conversations on a devnet, fast: for the scale test and `pnpm bench:ui`. Through the chain's own JSON-RPC (in
// process, journaled like any other request), with automine off so hundreds of transactions share a block: prompts from
// a few test accounts, both responses posted by the application address itself (impersonated: exactly the call an
// executed voucher makes, without waiting for a backend), and rankings from a few accounts. Nothing reads a clock;
// the mix of stages is fixed by the counts given.
import { toUtf8Bytes, hexlify, Interface } from 'ethers';
import { TrustAndTeach__factory } from '@tt/contracts';
import { deriveSeed, devnetAccount } from '@tt/protocol';
import type { Devnet } from './devnet.js';

export interface SeedOptions {
  /** Conversations to add. */
  count: number;
  /** Of those, how many get both responses posted (the first ones). Default: all. */
  posted?: number;
  /** Test accounts that rank, and every how many posted conversations each ranks (1 = all). Default [[2, 3], [3, 2]]. */
  rankers?: [account: number, every: number][];
  /** Test accounts that send the prompts, in turn. Default 4..7. */
  authors?: number[];
  /** Transactions per mined block. Default 500. */
  perBlock?: number;
  /** Length of each prompt in tokens (steps). Default 64. */
  steps?: number;
}

export interface Seeded {
  /** The ids added, in order. */
  ids: bigint[];
  posted: number;
  rankings: number;
  blocks: number;
}

const STORY = [
  'Once upon a time, a little robot wanted to fly.',
  'The fox found a shiny stone by the river.',
  'Lily and her cat played in the garden all day.',
  'A small boat sailed to an island full of birds.',
];

export async function seedConversations(
  devnet: Pick<Devnet, 'chain' | 'deployments'>,
  o: SeedOptions,
): Promise<Seeded> {
  const rpc = devnet.chain.provider;
  const call = (method: string, params: unknown[] = []) => rpc.request({ method, params });
  const tt = devnet.deployments.contracts.TrustAndTeach;
  const dapp = devnet.deployments.contracts.CartesiDApp;
  const iface: Interface = TrustAndTeach__factory.createInterface();
  const model = devnet.deployments.model.hash;
  const steps = o.steps ?? 64;
  const perBlock = o.perBlock ?? 500;
  const authors = o.authors ?? [4, 5, 6, 7];
  const first = BigInt(
    (await call('eth_call', [
      { to: tt, data: iface.encodeFunctionData('conversationCount') },
      'latest',
    ])) as string,
  );
  const ids = Array.from({ length: o.count }, (_, i) => first + BigInt(i));
  let blocks = 0;
  let pending = 0;
  const send = async (from: string, data: string, gas: number) => {
    await call('eth_sendTransaction', [{ from, to: tt, data, gas: `0x${gas.toString(16)}` }]);
    if (++pending >= perBlock) await mine();
  };
  const mine = async () => {
    if (pending === 0) return;
    await call('evm_mine');
    pending = 0;
    blocks++;
  };

  await call('evm_setAutomine', [false]);
  try {
    for (const [i, id] of ids.entries()) {
      const text = `${STORY[i % STORY.length]} (#${id})`;
      const from = devnetAccount(authors[i % authors.length]!).address;
      await send(from, iface.encodeFunctionData('sendPrompt(string,uint32)', [text, steps]), 400_000);
    }
    await mine();

    const posted = Math.min(o.count, o.posted ?? o.count);
    await call('hardhat_impersonateAccount', [dapp]);
    await call('hardhat_setBalance', [dapp, '0x3635c9adc5dea00000']);
    for (const id of ids.slice(0, posted)) {
      for (const index of [0, 1] as const) {
        const seed = deriveSeed(id, index);
        const text = hexlify(
          toUtf8Bytes(
            `${index === 0 ? 'She smiled' : 'He laughed'} and the day was bright. (${id}/${index})`,
          ),
        );
        await send(
          dapp,
          iface.encodeFunctionData('postResponse', [id, index, text, model, seed, steps, 800, 900]),
          300_000,
        );
      }
    }
    await mine();
    await call('hardhat_stopImpersonatingAccount', [dapp]);

    let rankings = 0;
    for (const [account, every] of o.rankers ?? [
      [2, 3],
      [3, 2],
    ]) {
      const from = devnetAccount(account).address;
      for (const [i, id] of ids.slice(0, posted).entries()) {
        if (i % every !== 0) continue;
        const order = (Number(id) + account) % 3 === 0 ? [1, 0] : [0, 1];
        await send(from, iface.encodeFunctionData('submitRanking', [id, order]), 300_000);
        rankings++;
      }
    }
    await mine();
    return { ids, posted, rankings, blocks };
  } finally {
    await call('evm_setAutomine', [true]);
  }
}
