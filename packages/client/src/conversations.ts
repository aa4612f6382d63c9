// Conversations rebuilt from chain data alone: the contract's views (who, parameters, input index, response hashes,
// current rankings) and its events (prompt and response bytes, ranking times). Nothing here trusts the rollup node, so
// the dataset can be exported from any Ethereum RPC.
import type { Provider } from 'ethers';
import { fromHex } from '@tt/protocol';
import { explainContractError, type TrustAndTeach } from './contract.ts';
import { TtError } from './errors.ts';
import type { Conversation, Hex, PostedResponse, Ranking, RankingOrder } from './model.ts';

const PAGE = 100n;

type ConversationView = Awaited<ReturnType<TrustAndTeach['getConversation']>>;

export interface ReadOptions {
  contract: TrustAndTeach;
  provider: Provider;
  /** Block the contract was deployed in: event queries start there. */
  fromBlock: number;
  /** Only these conversations (default: all). Unknown ids throw `unknown-conversation`. */
  ids?: readonly bigint[];
}

export async function conversationCount(contract: TrustAndTeach): Promise<bigint> {
  return contract.conversationCount();
}

export async function readConversation(
  opts: Omit<ReadOptions, 'ids'> & { id: bigint },
): Promise<Conversation> {
  const [c] = await readConversations({ ...opts, ids: [opts.id] });
  return c!;
}

export async function readConversations(opts: ReadOptions): Promise<Conversation[]> {
  const { contract, provider, fromBlock } = opts;
  const count = await contract.conversationCount();
  const views = await readViews(contract, count, opts.ids);
  if (views.length === 0) return [];
  // With one conversation asked for, the indexed id narrows every log query; otherwise read them all in one sweep.
  const one = opts.ids?.length === 1 ? opts.ids[0] : undefined;
  const [prompts, responses, rankingLogs] = await Promise.all([
    contract.queryFilter(contract.filters.PromptSubmitted(one), fromBlock),
    contract.queryFilter(contract.filters.ResponsePosted(one), fromBlock),
    contract.queryFilter(contract.filters.RankingSubmitted(one), fromBlock),
  ]);
  const timestamps = await blockTimestamps(
    provider,
    [...responses, ...rankingLogs].map((l) => l.blockNumber),
  );

  const promptById = new Map<bigint, { bytes: Uint8Array; txHash: Hex }>();
  for (const log of prompts) {
    promptById.set(log.args.conversationId, {
      bytes: fromHex(log.args.prompt),
      txHash: log.transactionHash as Hex,
    });
  }
  const responsesById = new Map<bigint, PostedResponse[]>();
  for (const log of responses) {
    const a = log.args;
    const list = responsesById.get(a.conversationId) ?? [];
    list.push({
      responseIndex: Number(a.responseIndex) as 0 | 1,
      bytes: fromHex(a.text),
      seed: a.seed,
      modelHash: a.modelHash as Hex,
      textHash: a.textHash as Hex,
      postedAt: timestamps.get(log.blockNumber),
      txHash: log.transactionHash as Hex,
    });
    responsesById.set(a.conversationId, list);
  }
  // Latest submission time per (conversation, ranker): logs come in chain order, so later ones overwrite.
  const rankedAt = new Map<string, { at: number; txHash: Hex }>();
  for (const log of rankingLogs) {
    rankedAt.set(`${log.args.conversationId}:${log.args.ranker.toLowerCase()}`, {
      at: timestamps.get(log.blockNumber) ?? 0,
      txHash: log.transactionHash as Hex,
    });
  }

  const modelHash = (await contract.modelHash()) as Hex;
  const address = (await contract.getAddress()) as Hex;
  // Rankings come from the views (the current order of each ranker), a few conversations at a time.
  const rankingsById = new Map<bigint, Ranking[]>();
  const ranked = views.filter((v) => v.rankingCount > 0n);
  for (let i = 0; i < ranked.length; i += 8) {
    await Promise.all(
      ranked.slice(i, i + 8).map(async (v) => {
        rankingsById.set(v.id, await readRankings(contract, v.id, Number(v.rankingCount), rankedAt));
      }),
    );
  }
  const out: Conversation[] = [];
  for (const v of views) {
    const prompt = promptById.get(v.id);
    if (!prompt) {
      throw new TtError(
        'graphql-error',
        `conversation ${v.id} has no PromptSubmitted event after block ${fromBlock}`,
        'the deployments file gives the wrong trustAndTeachDeploymentBlock, or the RPC prunes old logs',
      );
    }
    const slots: Conversation['responses'] = [undefined, undefined];
    for (const r of responsesById.get(v.id) ?? []) {
      // Storage keeps keccak(text); the event is the copy of the text. Prefer the stored commitment for textHash so
      // verification compares bytes against what the contract holds.
      slots[r.responseIndex] = { ...r, textHash: (v.responseHashes[r.responseIndex] as Hex) ?? r.textHash };
    }
    const rankings = rankingsById.get(v.id) ?? [];
    out.push({
      id: v.id,
      inputIndex: Number(v.inputIndex),
      author: v.author as Hex,
      prompt: prompt.bytes,
      params: {
        steps: Number(v.steps),
        temperatureMilli: Number(v.temperatureMilli),
        topPMilli: Number(v.topPMilli),
      },
      modelHash,
      promptedAt: Number(v.createdAt),
      promptTxHash: prompt.txHash,
      responses: slots,
      rankings,
      trustAndTeach: address,
      rejectionReason: Number(v.rejectionReason),
    });
  }
  return out;
}

async function readViews(
  contract: TrustAndTeach,
  count: bigint,
  ids?: readonly bigint[],
): Promise<ConversationView[]> {
  if (ids) {
    for (const id of ids) {
      if (id >= count) {
        throw new TtError(
          'unknown-conversation',
          `there is no conversation ${id} (this contract has ${count}${count > 0n ? `: ids 0 to ${count - 1n}` : ''})`,
          'list conversations with `pnpm tt status`',
        );
      }
    }
    try {
      return await Promise.all(ids.map((id) => contract.getConversation(id)));
    } catch (err) {
      throw explainContractError(err, '');
    }
  }
  const views: ConversationView[] = [];
  for (let offset = 0n; offset < count; offset += PAGE)
    views.push(...(await contract.getConversations(offset, PAGE)));
  return views;
}

async function readRankings(
  contract: TrustAndTeach,
  id: bigint,
  count: number,
  rankedAt: Map<string, { at: number; txHash: Hex }>,
): Promise<Ranking[]> {
  const out: Ranking[] = [];
  for (let offset = 0; offset < count; offset += Number(PAGE)) {
    for (const r of await contract.getRankings(id, offset, PAGE)) {
      const first = Number(r.order[0]);
      const order: RankingOrder = first === 0 ? [0, 1] : [1, 0];
      const when = rankedAt.get(`${id}:${r.ranker.toLowerCase()}`);
      out.push({ ranker: r.ranker as Hex, order, rankedAt: when?.at ?? 0, txHash: when?.txHash });
    }
  }
  return out;
}

async function blockTimestamps(provider: Provider, blocks: number[]): Promise<Map<number, number>> {
  const unique = [...new Set(blocks)];
  const out = new Map<number, number>();
  // A few at a time: enough to hide latency, not enough to trip an RPC's rate limit.
  for (let i = 0; i < unique.length; i += 8) {
    const batch = unique.slice(i, i + 8);
    const got = await Promise.all(batch.map((n) => provider.getBlock(n)));
    got.forEach((b, j) => out.set(batch[j]!, b?.timestamp ?? 0));
  }
  return out;
}
