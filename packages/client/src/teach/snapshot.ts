// The ranked conversations as the chain held them at one block, from the contract's events alone. Fine-tuning needs a
// snapshot that anyone can read again later and get the same dataset (`tt teach --check` re-reads the block named in
// the manifest): events stay readable from any RPC for any past range, whereas contract views at an old block need an
// archive node. Every field the dataset uses is in the events: prompt bytes and sampling parameters (PromptSubmitted),
// response bytes, seeds and model hashes (ResponsePosted), and each ranker's latest order (RankingSubmitted).
import type { Provider } from 'ethers';
import { fromHex, type Hex } from '@tt/protocol';
import type { TrustAndTeach } from '../contract.ts';
import { TtError } from '../errors.ts';
import type { GenerationParams, PostedResponse, Ranking } from '../model.ts';

/** What the dataset needs of a conversation; a `Conversation` from readConversations is one too. */
export interface RankedConversation {
  id: bigint;
  prompt: Uint8Array;
  params: GenerationParams;
  responses: readonly [ResponseRecord | undefined, ResponseRecord | undefined];
  /** Each ranker's current ranking. */
  rankings: readonly Pick<Ranking, 'ranker' | 'order'>[];
}

export type ResponseRecord = Pick<PostedResponse, 'responseIndex' | 'bytes' | 'seed' | 'modelHash'>;

export interface ChainSnapshot {
  chainId: number;
  /** The TrustAndTeach contract read. */
  contract: Hex;
  /** The block the snapshot is as of (events up to and including it), and its hash. */
  block: number;
  blockHash: Hex;
  /** The contract's model (sha256(checkpoint ‖ tokenizer)). */
  modelHash: Hex;
  /** Every conversation prompted up to the block, in id order. */
  conversations: RankedConversation[];
}

export interface SnapshotOptions {
  contract: TrustAndTeach;
  provider: Provider;
  /** Block the contract was deployed in (the deployments file's trustAndTeachDeploymentBlock). */
  fromBlock: number;
  /** Read as of this block (default: the latest). */
  block?: number;
}

export async function readChainSnapshot(opts: SnapshotOptions): Promise<ChainSnapshot> {
  const { contract, provider, fromBlock } = opts;
  const latest = await provider.getBlockNumber();
  const block = opts.block ?? latest;
  if (!Number.isSafeInteger(block) || block < 0 || block > latest)
    throw new TtError(
      'bad-argument',
      `block ${block} does not exist yet: the chain is at block ${latest}`,
      'give a block number up to the latest, or leave --block out to read the latest',
    );
  if (block < fromBlock)
    throw new TtError(
      'bad-argument',
      `block ${block} is before the contract was deployed (block ${fromBlock})`,
      'give a later block',
    );
  const [header, network, modelHash, address] = await Promise.all([
    provider.getBlock(block),
    provider.getNetwork(),
    contract.modelHash({ blockTag: block }),
    contract.getAddress(),
  ]);
  if (!header?.hash)
    throw new TtError('node-unreachable', `the RPC has no block ${block}`, 'try another RPC');
  const [prompts, responses, rankings] = await Promise.all([
    contract.queryFilter(contract.filters.PromptSubmitted(), fromBlock, block),
    contract.queryFilter(contract.filters.ResponsePosted(), fromBlock, block),
    contract.queryFilter(contract.filters.RankingSubmitted(), fromBlock, block),
  ]);

  const byId = new Map<bigint, RankedConversation & { responses: [ResponseRecord?, ResponseRecord?] }>();
  for (const log of prompts) {
    const a = log.args;
    byId.set(a.conversationId, {
      id: a.conversationId,
      prompt: fromHex(a.prompt),
      params: {
        steps: Number(a.steps),
        temperatureMilli: Number(a.temperatureMilli),
        topPMilli: Number(a.topPMilli),
      },
      responses: [undefined, undefined],
      rankings: [],
    });
  }
  const conversation = (id: bigint, what: string) => {
    const c = byId.get(id);
    if (!c)
      throw new TtError(
        'graphql-error',
        `${what} for conversation ${id}, which has no PromptSubmitted event from block ${fromBlock}`,
        'the deployments file gives the wrong trustAndTeachDeploymentBlock, or the RPC prunes old logs',
      );
    return c;
  };
  for (const log of responses) {
    const a = log.args;
    const index = Number(a.responseIndex);
    if (index !== 0 && index !== 1) continue; // the contract posts only 0 and 1; anything else is not a pair's
    conversation(a.conversationId, 'a ResponsePosted event').responses[index] = {
      responseIndex: index,
      bytes: fromHex(a.text),
      seed: a.seed,
      modelHash: a.modelHash as Hex,
    };
  }
  // The latest submission of each ranker counts: replay the events in chain order.
  const ordered = [...rankings].sort((x, y) => x.blockNumber - y.blockNumber || x.index - y.index);
  const latestOrder = new Map<bigint, Map<string, { ranker: Hex; first: number }>>();
  for (const log of ordered) {
    const a = log.args;
    conversation(a.conversationId, 'a RankingSubmitted event');
    const perRanker = latestOrder.get(a.conversationId) ?? new Map();
    // Insertion order = first submission, as the contract's views list rankers.
    perRanker.set(a.ranker.toLowerCase(), { ranker: a.ranker as Hex, first: Number(a.order[0]) });
    latestOrder.set(a.conversationId, perRanker);
  }
  for (const [id, perRanker] of latestOrder) {
    byId.get(id)!.rankings = [...perRanker.values()].map((r) => ({
      ranker: r.ranker,
      order: r.first === 0 ? ([0, 1] as const) : ([1, 0] as const),
    }));
  }
  return {
    chainId: Number(network.chainId),
    contract: address as Hex,
    block,
    blockHash: header.hash as Hex,
    modelHash: modelHash as Hex,
    conversations: [...byId.values()].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)),
  };
}
