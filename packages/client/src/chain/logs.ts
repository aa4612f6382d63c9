// eth_getLogs over a block range in chunks. Public RPCs cap the range of one query (often 10,000 blocks, some 2,000
// or 500) or the number of results; one query from the deployment block to the head then fails outright. Each chunk
// is at most `blockRange` blocks, and a chunk the RPC refuses as too large is split in half and tried again, so a
// too-optimistic range still gets through (at the cost of a few refused queries).
import type { Filter, Provider } from 'ethers';
import type { RawLog } from './events.ts';

/** Blocks per eth_getLogs query unless told otherwise: what most public RPCs accept. */
export const DEFAULT_BLOCK_RANGE = 10_000;

export interface ChunkedLogsOptions {
  /** Blocks per query (≥ 1). Default DEFAULT_BLOCK_RANGE. */
  blockRange?: number;
  /**
   * The JSON-RPC URL behind the provider: logs are then read with plain fetch. ethers' own transport builds large
   * answers slowly (seconds for the ~20 MB of 5,000 conversations' logs); fetch and JSON.parse take a fraction.
   */
  rpcUrl?: string;
  /** Told after each chunk: the last block read so far and the logs it held. */
  onChunk?: (toBlock: number, logs: readonly RawLog[]) => void;
}

/** Messages RPCs use to refuse a range or result set that is too large (Infura, Alchemy, QuickNode, Ankr, geth…). */
const TOO_LARGE =
  /range|too many|more than|limit exceeded|exceed|too large|query returned|response size|block range|10000 results/i;

export function isRangeTooLarge(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 6; depth++) {
    const x = e as { message?: unknown; error?: unknown; info?: { error?: unknown }; cause?: unknown };
    if (typeof x.message === 'string' && TOO_LARGE.test(x.message)) return true;
    e = x.error ?? x.info?.error ?? x.cause;
  }
  return false;
}

export function checkBlockRange(blockRange: number | undefined): number {
  const range = blockRange ?? DEFAULT_BLOCK_RANGE;
  if (!Number.isSafeInteger(range) || range < 1)
    throw new RangeError(`the block range of a log query must be a whole number ≥ 1, not ${blockRange}`);
  return range;
}

type LogFilter = Pick<Filter, 'address' | 'topics'>;

/**
 * One eth_getLogs. Straight through the provider's JSON-RPC when it has one: ethers' Log objects cost more to build
 * than the logs cost to read, at tens of thousands of logs.
 */
async function getLogs(
  provider: Provider,
  filter: LogFilter,
  from: number,
  to: number,
  rpcUrl: string | undefined,
): Promise<RawLog[]> {
  const params = [{ ...filter, fromBlock: `0x${from.toString(16)}`, toBlock: `0x${to.toString(16)}` }];
  const send = (provider as Provider & { send?: (method: string, params: unknown[]) => Promise<unknown> })
    .send;
  if (rpcUrl || typeof send === 'function') {
    const raw = (
      rpcUrl
        ? await fetchRpc(rpcUrl, 'eth_getLogs', params)
        : await send!.call(provider, 'eth_getLogs', params)
    ) as {
      blockNumber: string;
      topics: string[];
      data: string;
      transactionHash: string;
      removed?: boolean;
    }[];
    return raw
      .filter((l) => !l.removed)
      .map((l) => ({
        blockNumber: Number(l.blockNumber),
        topics: l.topics,
        data: l.data,
        transactionHash: l.transactionHash,
      }));
  }
  return (await provider.getLogs({ ...filter, fromBlock: from, toBlock: to })).map((l) => ({
    blockNumber: l.blockNumber,
    topics: l.topics,
    data: l.data,
    transactionHash: l.transactionHash,
  }));
}

/** Every log matching `filter` with fromBlock ≤ block ≤ toBlock, in chain order, read in chunks. */
export async function getLogsChunked(
  provider: Provider,
  filter: LogFilter,
  fromBlock: number,
  toBlock: number,
  opts: ChunkedLogsOptions = {},
): Promise<RawLog[]> {
  let range = checkBlockRange(opts.blockRange);
  const out: RawLog[] = [];
  for (let from = fromBlock; from <= toBlock;) {
    const to = Math.min(toBlock, from + range - 1);
    let logs: RawLog[];
    try {
      logs = await getLogs(provider, filter, from, to, opts.rpcUrl);
    } catch (err) {
      if (to > from && isRangeTooLarge(err)) {
        range = Math.max(1, Math.floor((to - from + 1) / 2));
        continue;
      }
      throw err;
    }
    for (const log of logs) out.push(log);
    opts.onChunk?.(to, logs);
    from = to + 1;
  }
  return out;
}

/** One JSON-RPC call with plain fetch; an error answer becomes an Error with the RPC's message (and code). */
async function fetchRpc(url: string, method: string, params: unknown[]): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await res.json().catch(() => null)) as {
    result?: unknown;
    error?: { code?: number; message?: string };
  } | null;
  if (!body) throw new Error(`${url} answered HTTP ${res.status} without a JSON-RPC body`);
  if (body.error)
    throw Object.assign(new Error(body.error.message ?? `JSON-RPC error ${body.error.code}`), {
      code: body.error.code,
    });
  return body.result;
}
