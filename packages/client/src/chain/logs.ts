// eth_getLogs over a block range in chunks. Public RPCs cap the range of one query (often 10,000 blocks, some 2,000
// or 500) or the number of results; one query from the deployment block to the head then fails outright. Each chunk
// is at most `blockRange` blocks, and a chunk the RPC refuses as too large is split in half and tried again, so a
// too-optimistic range still gets through (at the cost of a few refused queries).
import type { Filter, Log, Provider } from 'ethers';

/** Blocks per eth_getLogs query unless told otherwise: what most public RPCs accept. */
export const DEFAULT_BLOCK_RANGE = 10_000;

export interface ChunkedLogsOptions {
  /** Blocks per query (≥ 1). Default DEFAULT_BLOCK_RANGE. */
  blockRange?: number;
  /** Told after each chunk: the last block read so far and the logs it held. */
  onChunk?: (toBlock: number, logs: readonly Log[]) => void;
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

/** Every log matching `filter` with fromBlock ≤ block ≤ toBlock, in chain order, read in chunks. */
export async function getLogsChunked(
  provider: Provider,
  filter: Omit<Filter, 'fromBlock' | 'toBlock'>,
  fromBlock: number,
  toBlock: number,
  opts: ChunkedLogsOptions = {},
): Promise<Log[]> {
  let range = checkBlockRange(opts.blockRange);
  const out: Log[] = [];
  for (let from = fromBlock; from <= toBlock;) {
    const to = Math.min(toBlock, from + range - 1);
    let logs: Log[];
    try {
      logs = await provider.getLogs({ ...filter, fromBlock: from, toBlock: to });
    } catch (err) {
      if (to > from && isRangeTooLarge(err)) {
        range = Math.max(1, Math.floor((to - from + 1) / 2));
        continue;
      }
      throw err;
    }
    out.push(...logs);
    opts.onChunk?.(to, logs);
    from = to + 1;
  }
  return out;
}
