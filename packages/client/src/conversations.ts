// Conversations rebuilt from chain data alone: the contract's events carry everything (who, the parameters, the input
// index, prompt and response bytes with their hashes, every ranking) and their blocks give the times. Nothing here
// trusts the rollup node, so the dataset can be exported from any Ethereum RPC. Reading some conversations by id also
// asks the contract's views, so their response hashes are the stored commitments (what `tt verify ID` compares with)
// and their rankings are checked against the contract's count. (The views are not read for every conversation: at
// about 12k gas each, 5,000 of them cost seconds, while their events say the same.)
//
// The reader is incremental: it remembers the last block it read and, on update(), reads only the logs after it, in
// chunks of `blockRange` blocks (public RPCs cap the range of one eth_getLogs), and the views of the conversations
// those logs touched. When the block it stopped at is no longer on the chain (a reorg, or a devnet started afresh),
// it reads everything again. The UI keeps one reader and updates it on every new block; the CLI reads once.
import { toBeHex, zeroPadValue, type Provider } from 'ethers';
import { fromHex } from '@tt/protocol';
import { eventDecoder, eventTopics, type RawLog, type TrustAndTeachEvent } from './chain/events.ts';
import { getLogsChunked } from './chain/logs.ts';
import { explainContractError, type TrustAndTeach } from './contract.ts';
import { TtError } from './errors.ts';
import type { Conversation, Hex, PostedResponse, Ranking, RankingOrder } from './model.ts';

const PAGE = 100;
/** Requests in flight at once: ethers sends them as one JSON-RPC batch; small enough not to trip a rate limit. */
const PARALLEL = 32;

type ConversationView = Awaited<ReturnType<TrustAndTeach['getConversation']>>;

export interface ReadOptions {
  contract: TrustAndTeach;
  provider: Provider;
  /** Block the contract was deployed in: event queries start there. */
  fromBlock: number;
  /** Only these conversations (default: all). Unknown ids throw `unknown-conversation`. */
  ids?: readonly bigint[];
  /** Blocks per eth_getLogs query (default DEFAULT_BLOCK_RANGE, 10,000); see chain/logs.ts. */
  blockRange?: number;
  /** The provider's JSON-RPC URL, when known: logs are then read with plain fetch (much faster at scale). */
  rpcUrl?: string;
}

export interface ReaderUpdate {
  /** Every conversation read so far, by id ascending. Objects that did not change are the same objects as before. */
  conversations: readonly Conversation[];
  /** The block read up to. */
  block: number;
  /** Something new since the previous update. */
  changed: boolean;
  /** The chain under the reader changed (reorg, new chain): everything was read again. */
  reset: boolean;
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

/** One read from the deployment block to the head; with `ids`, those conversations in that order. */
export async function readConversations(opts: ReadOptions): Promise<Conversation[]> {
  const { conversations } = await new ConversationReader(opts).update();
  if (!opts.ids) return [...conversations];
  const byId = new Map(conversations.map((c) => [c.id, c]));
  return opts.ids.map((id) => byId.get(id)!);
}

type Event<N extends TrustAndTeachEvent['name']> = Extract<TrustAndTeachEvent, { name: N }> & {
  block: number;
  txHash: Hex;
};

interface Decoded {
  prompts: Map<bigint, Event<'PromptSubmitted'>>;
  responses: Event<'ResponsePosted'>[];
  rankings: Event<'RankingSubmitted'>[];
  rejections: Event<'PromptRejected'>[];
  models: Event<'PromptModel'>[];
}

export class ConversationReader {
  private byId = new Map<bigint, Conversation>();
  private sorted: readonly Conversation[] = [];
  private cursor: { block: number; hash: string } | null = null;
  private times = new Map<number, number>();
  private modelHash: Hex | null = null;
  private address: Hex | null = null;
  private readonly topics: (string | string[] | null)[];
  private readonly decodeLog: (log: RawLog) => TrustAndTeachEvent | null;

  constructor(private readonly o: ReadOptions) {
    const t = eventTopics(o.contract);
    // All five events index the conversation id first, so one query reads them all (for some ids, or every id).
    this.topics = [
      [t.prompt, t.response, t.ranking, t.rejected, t.model],
      o.ids ? o.ids.map((id) => zeroPadValue(toBeHex(id), 32)) : null,
    ];
    this.decodeLog = eventDecoder(o.contract);
  }

  get conversations(): readonly Conversation[] {
    return this.sorted;
  }

  /** The block read up to, or null before the first update. */
  get block(): number | null {
    return this.cursor?.block ?? null;
  }

  /** Reads what happened since the last update (everything, the first time). */
  async update(): Promise<ReaderUpdate> {
    const { provider } = this.o;
    const head = await provider.getBlock('latest');
    if (!head?.hash) throw new TtError('node-unreachable', 'the RPC returned no latest block', 'try again');
    let reset = false;
    if (this.cursor) {
      if (head.number === this.cursor.block && head.hash === this.cursor.hash)
        return { conversations: this.sorted, block: head.number, changed: false, reset: false };
      const seen =
        head.number < this.cursor.block ? null : await provider.getBlock(this.cursor.block).catch(() => null);
      if (seen?.hash !== this.cursor.hash) {
        reset = true;
        this.byId = new Map();
        this.sorted = [];
        this.times = new Map();
        this.cursor = null;
      }
    }
    const from = this.cursor ? this.cursor.block + 1 : this.o.fromBlock;
    const before = this.sorted;
    if (!this.cursor) await this.checkIds();
    const logs = await getLogsChunked(
      provider,
      { address: await this.o.contract.getAddress(), topics: this.topics },
      from,
      head.number,
      { blockRange: this.o.blockRange, rpcUrl: this.o.rpcUrl },
    );
    await this.apply(this.decode(logs), head.number);
    this.cursor = { block: head.number, hash: head.hash };
    return {
      conversations: this.sorted,
      block: head.number,
      changed: reset || this.sorted !== before,
      reset,
    };
  }

  private async checkIds(): Promise<void> {
    if (!this.o.ids) return;
    const count = await this.o.contract.conversationCount();
    for (const id of this.o.ids) {
      if (id >= count) {
        throw new TtError(
          'unknown-conversation',
          `there is no conversation ${id} (this contract has ${count}${count > 0n ? `: ids 0 to ${count - 1n}` : ''})`,
          'list conversations with `pnpm tt status`',
        );
      }
    }
  }

  private decode(logs: readonly RawLog[]): Decoded {
    const out: Decoded = { prompts: new Map(), responses: [], rankings: [], rejections: [], models: [] };
    for (const log of logs) {
      const e = this.decodeLog(log);
      if (!e) continue;
      const at = { block: log.blockNumber, txHash: log.transactionHash as Hex };
      if (e.name === 'PromptSubmitted') out.prompts.set(e.conversationId, { ...e, ...at });
      else if (e.name === 'ResponsePosted') out.responses.push({ ...e, ...at });
      else if (e.name === 'PromptRejected') out.rejections.push({ ...e, ...at });
      else if (e.name === 'PromptModel') out.models.push({ ...e, ...at });
      else out.rankings.push({ ...e, ...at });
    }
    return out;
  }

  private async apply(d: Decoded, head: number): Promise<void> {
    if (
      d.prompts.size === 0 &&
      d.responses.length === 0 &&
      d.rankings.length === 0 &&
      d.rejections.length === 0 &&
      d.models.length === 0
    ) {
      if (!this.cursor) await this.checkComplete(0, head);
      return;
    }
    // Views only for conversations read by id (see the top of this file).
    const touched = this.o.ids
      ? [...new Set([...d.prompts.keys(), ...d.responses.map((r) => r.conversationId)])]
      : [];
    const [views] = await Promise.all([
      this.readViews(touched, head),
      this.readTimes([
        ...[...d.prompts.values()].map((p) => p.block),
        ...d.responses.map((r) => r.block),
        ...d.rankings.map((r) => r.block),
      ]),
    ]);
    this.modelHash ??= (await this.o.contract.modelHash()) as Hex;
    this.address ??= (await this.o.contract.getAddress()) as Hex;

    // Conversations are never changed in place: a changed one is a new object, so a UI can compare by identity.
    const next = new Map(this.byId);
    const copied = new Set<bigint>();
    const own = (id: bigint): Conversation | undefined => {
      const c = next.get(id);
      if (!c || copied.has(id)) return c;
      const copy: Conversation = { ...c, responses: [...c.responses], rankings: [...c.rankings] };
      next.set(id, copy);
      copied.add(id);
      return copy;
    };
    for (const [id, p] of d.prompts) {
      if (next.has(id)) continue;
      next.set(id, {
        id,
        inputIndex: p.inputIndex,
        author: p.author,
        prompt: fromHex(p.prompt),
        params: { steps: p.steps, temperatureMilli: p.temperatureMilli, topPMilli: p.topPMilli },
        modelHash: this.modelHash,
        // the contract's createdAt is the prompt's block timestamp
        promptedAt: this.times.get(p.block) ?? 0,
        promptTxHash: p.txHash,
        responses: [undefined, undefined],
        rankings: [],
        trustAndTeach: this.address,
      });
      copied.add(id);
    }
    for (const r of d.responses) {
      const c = own(r.conversationId);
      if (!c) continue;
      // Read by id, the stored commitment replaces the event's copy, so verification compares the bytes against
      // what the contract holds.
      const stored = views.get(r.conversationId)?.responseHashes[r.responseIndex] as Hex | undefined;
      c.responses[r.responseIndex] = {
        responseIndex: r.responseIndex,
        bytes: fromHex(r.text),
        seed: r.seed,
        modelHash: r.modelHash,
        textHash: stored ?? r.textHash,
        postedAt: this.times.get(r.block),
        txHash: r.txHash,
      };
    }
    // A prompt for a fine-tuned version: its responses must come from that version's weights.
    for (const m of d.models) {
      const c = own(m.conversationId);
      if (c) Object.assign(c, { modelHash: m.modelHash, modelVersion: m.modelVersion });
    }
    // The backend refused the prompt (its rejectPrompt voucher was executed): no responses will come.
    for (const r of d.rejections) {
      const c = own(r.conversationId);
      if (c) c.rejectionReason = r.reason;
    }
    // A ranker's latest order replaces their earlier one and keeps their place: the order the contract's
    // getRankings gives (rankers in the order they first ranked).
    for (const r of d.rankings) {
      const c = own(r.conversationId);
      if (!c) continue;
      const entry: Ranking = {
        ranker: r.ranker,
        order: r.order,
        rankedAt: this.times.get(r.block) ?? 0,
        txHash: r.txHash,
      };
      const at = c.rankings.findIndex((x) => x.ranker.toLowerCase() === r.ranker.toLowerCase());
      if (at === -1) c.rankings.push(entry);
      else c.rankings[at] = entry;
    }
    for (const [id, view] of views) {
      const c = own(id);
      if (!c) {
        throw new TtError(
          'graphql-error',
          `conversation ${id} has no PromptSubmitted event after block ${this.o.fromBlock}`,
          'the deployments file gives the wrong trustAndTeachDeploymentBlock, or the RPC prunes old logs',
        );
      }
      // The events should say what the views say; where they do not (an RPC that pruned logs), the views win.
      if (c.rankings.length !== Number(view.rankingCount))
        c.rankings = await this.readRankings(id, Number(view.rankingCount), head);
    }
    if (!this.cursor) await this.checkComplete(next.size, head);
    this.byId = next;
    this.sorted = [...next.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** A first full read must find every conversation the contract counts; fewer means logs before `fromBlock`. */
  private async checkComplete(found: number, head: number): Promise<void> {
    if (this.o.ids) return;
    const count = await this.o.contract.conversationCount({ blockTag: head });
    if (BigInt(found) < count) {
      throw new TtError(
        'graphql-error',
        `the contract has ${count} conversations but only ${found} PromptSubmitted events were found after block ${this.o.fromBlock}`,
        'the deployments file gives the wrong trustAndTeachDeploymentBlock, or the RPC prunes old logs',
      );
    }
  }

  /** Views of the given conversations at `head` (reads by id only). */
  private async readViews(ids: bigint[], head: number): Promise<Map<bigint, ConversationView>> {
    const out = new Map<bigint, ConversationView>();
    if (ids.length === 0) return out;
    try {
      const got = await Promise.all(ids.map((id) => this.o.contract.getConversation(id, { blockTag: head })));
      for (const v of got) out.set(v.id, v);
      return out;
    } catch (err) {
      throw explainContractError(err, '');
    }
  }

  private async readRankings(id: bigint, count: number, head: number): Promise<Ranking[]> {
    const out: Ranking[] = [];
    for (let offset = 0; offset < count; offset += PAGE) {
      for (const r of await this.o.contract.getRankings(id, offset, PAGE, { blockTag: head })) {
        const order: RankingOrder = Number(r.order[0]) === 0 ? [0, 1] : [1, 0];
        out.push({ ranker: r.ranker as Hex, order, rankedAt: 0 });
      }
    }
    return out;
  }

  private async readTimes(blocks: number[]): Promise<void> {
    const missing = [...new Set(blocks)].filter((b) => !this.times.has(b));
    for (let i = 0; i < missing.length; i += PARALLEL) {
      const batch = missing.slice(i, i + PARALLEL);
      const got = await Promise.all(batch.map((n) => this.o.provider.getBlock(n)));
      got.forEach((b, j) => this.times.set(batch[j]!, b?.timestamp ?? 0));
    }
  }
}
