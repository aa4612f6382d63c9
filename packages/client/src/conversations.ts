// Conversations rebuilt from chain data alone: the contract's events (prompt and response bytes, rankings and their
// times) and its views (who, parameters, input index, the stored response commitments). Nothing here trusts the
// rollup node, so the dataset can be exported from any Ethereum RPC.
//
// The reader is incremental: it remembers the last block it read and, on update(), reads only the logs after it, in
// chunks of `blockRange` blocks (public RPCs cap the range of one eth_getLogs), and the views of the conversations
// those logs touched. When the block it stopped at is no longer on the chain (a reorg, or a devnet started afresh),
// it reads everything again. The UI keeps one reader and updates it on every new block; the CLI reads once.
import { toBeHex, zeroPadValue, type Log, type Provider } from 'ethers';
import { fromHex } from '@tt/protocol';
import { getLogsChunked } from './chain/logs.ts';
import { explainContractError, type TrustAndTeach } from './contract.ts';
import { TtError } from './errors.ts';
import type { Conversation, Hex, PostedResponse, Ranking, RankingOrder } from './model.ts';

const PAGE = 100;
/** Requests in flight at once: enough to hide latency (ethers batches them), not enough to trip a rate limit. */
const PARALLEL = 16;

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

interface Decoded {
  prompts: Map<bigint, { bytes: Uint8Array; txHash: Hex }>;
  responses: { id: bigint; response: PostedResponse; block: number }[];
  rankings: { id: bigint; ranker: Hex; order: RankingOrder; block: number; txHash: Hex }[];
}

export class ConversationReader {
  private byId = new Map<bigint, Conversation>();
  private sorted: readonly Conversation[] = [];
  private cursor: { block: number; hash: string } | null = null;
  private times = new Map<number, number>();
  private modelHash: Hex | null = null;
  private readonly topics: (string | string[] | null)[];

  constructor(private readonly o: ReadOptions) {
    const e = (name: 'PromptSubmitted' | 'ResponsePosted' | 'RankingSubmitted') =>
      o.contract.interface.getEvent(name)!.topicHash;
    // All three events index the conversation id first, so one query reads them all (for some ids, or every id).
    this.topics = [
      [e('PromptSubmitted'), e('ResponsePosted'), e('RankingSubmitted')],
      o.ids ? o.ids.map((id) => zeroPadValue(toBeHex(id), 32)) : null,
    ];
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
      { blockRange: this.o.blockRange },
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

  private decode(logs: readonly Log[]): Decoded {
    const iface = this.o.contract.interface;
    const out: Decoded = { prompts: new Map(), responses: [], rankings: [] };
    for (const log of logs) {
      const parsed = iface.parseLog(log);
      if (!parsed) continue;
      const a = parsed.args;
      const txHash = log.transactionHash as Hex;
      if (parsed.name === 'PromptSubmitted') {
        out.prompts.set(a.conversationId as bigint, { bytes: fromHex(a.prompt as string), txHash });
      } else if (parsed.name === 'ResponsePosted') {
        out.responses.push({
          id: a.conversationId as bigint,
          block: log.blockNumber,
          response: {
            responseIndex: Number(a.responseIndex) as 0 | 1,
            bytes: fromHex(a.text as string),
            seed: a.seed as bigint,
            modelHash: a.modelHash as Hex,
            textHash: a.textHash as Hex,
            txHash,
          },
        });
      } else if (parsed.name === 'RankingSubmitted') {
        out.rankings.push({
          id: a.conversationId as bigint,
          ranker: a.ranker as Hex,
          order: Number((a.order as bigint[])[0]) === 0 ? [0, 1] : [1, 0],
          block: log.blockNumber,
          txHash,
        });
      }
    }
    return out;
  }

  private async apply(d: Decoded, head: number): Promise<void> {
    const touched = new Set<bigint>([...d.prompts.keys(), ...d.responses.map((r) => r.id)]);
    if (touched.size === 0 && d.rankings.length === 0) return;
    const [views] = await Promise.all([
      this.readViews([...touched], head),
      this.readTimes([...d.responses.map((r) => r.block), ...d.rankings.map((r) => r.block)]),
    ]);
    this.modelHash ??= (await this.o.contract.modelHash()) as Hex;

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
    for (const [id, view] of views) {
      if (next.has(id)) continue;
      const prompt = d.prompts.get(id);
      if (!prompt) {
        throw new TtError(
          'graphql-error',
          `conversation ${id} has no PromptSubmitted event after block ${this.o.fromBlock}`,
          'the deployments file gives the wrong trustAndTeachDeploymentBlock, or the RPC prunes old logs',
        );
      }
      next.set(id, {
        id,
        inputIndex: Number(view.inputIndex),
        author: view.author as Hex,
        prompt: prompt.bytes,
        params: {
          steps: Number(view.steps),
          temperatureMilli: Number(view.temperatureMilli),
          topPMilli: Number(view.topPMilli),
        },
        modelHash: this.modelHash,
        promptedAt: Number(view.createdAt),
        promptTxHash: prompt.txHash,
        responses: [undefined, undefined],
        rankings: [],
      });
      copied.add(id);
    }
    for (const { id, response, block } of d.responses) {
      const c = own(id);
      if (!c) continue;
      // Storage keeps keccak(text); the event is the copy of the text. Prefer the stored commitment for textHash so
      // verification compares bytes against what the contract holds.
      const stored = views.get(id)?.responseHashes[response.responseIndex] as Hex | undefined;
      c.responses[response.responseIndex] = {
        ...response,
        textHash: stored ?? response.textHash,
        postedAt: this.times.get(block),
      };
    }
    // A ranker's latest order replaces their earlier one and keeps their place: the order the contract's
    // getRankings gives (rankers in the order they first ranked).
    for (const r of d.rankings) {
      const c = own(r.id);
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
    // The events should say what the views say; where they do not (an RPC that pruned logs), the views win.
    for (const [id, view] of views) {
      const c = own(id)!;
      if (c.rankings.length !== Number(view.rankingCount))
        c.rankings = await this.readRankings(id, Number(view.rankingCount), head);
    }
    this.byId = next;
    this.sorted = [...next.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Views of the given conversations at `head`, in pages over runs of nearby ids. */
  private async readViews(ids: bigint[], head: number): Promise<Map<bigint, ConversationView>> {
    const out = new Map<bigint, ConversationView>();
    if (ids.length === 0) return out;
    const { contract } = this.o;
    const at = { blockTag: head };
    try {
      if (this.o.ids) {
        const got = await Promise.all(ids.map((id) => contract.getConversation(id, at)));
        got.forEach((v) => out.set(v.id, v));
        return out;
      }
      const wanted = new Set(ids);
      ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const pages: [bigint, number][] = [];
      for (let i = 0; i < ids.length;) {
        const start = ids[i]!;
        let j = i;
        while (j + 1 < ids.length && ids[j + 1]! - start < BigInt(PAGE)) j++;
        pages.push([start, Number(ids[j]! - start) + 1]);
        i = j + 1;
      }
      for (let i = 0; i < pages.length; i += PARALLEL / 4) {
        const got = await Promise.all(
          pages
            .slice(i, i + PARALLEL / 4)
            .map(([offset, limit]) => contract.getConversations(offset, limit, at)),
        );
        for (const page of got) for (const v of page) if (wanted.has(v.id)) out.set(v.id, v);
      }
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
