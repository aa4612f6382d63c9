// Posting a conversation's responses on chain: execute its two vouchers (voucher i carries response i). The one
// workflow the CLI (`tt post`, `--wait`) and the UI ("Post on-chain") both run, with its progress reported as it goes.
import type { Signer } from 'ethers';
import { TtError } from './errors.ts';
import type { GraphQLClient } from './graphql/request.ts';
import type { Hex } from './model.ts';
import { fetchNodeInput, nodeView } from './rollup.ts';
import { executeVoucher, type VoucherOutcome } from './vouchers.ts';

/** Where posting is: per voucher (about to sign, sent, finished), or waiting for the responses or the proofs. */
export type PostProgress =
  | { phase: 'signing'; voucherIndex: number }
  | { phase: 'pending'; voucherIndex: number; txHash: Hex }
  | { phase: 'done'; voucherIndex: number; outcome: VoucherOutcome }
  | { phase: 'waiting'; reason: TtError };

export interface PostOptions {
  graphql: GraphQLClient;
  /** The CartesiDApp address. */
  dapp: string;
  signer: Signer;
  inputIndex: number;
  conversationId: bigint;
  onProgress?: (progress: PostProgress) => void;
}

/** Executes whichever of the two vouchers have not run; throws `proofs-not-ready` until both proofs are available. */
export async function postResponses(opts: PostOptions): Promise<VoucherOutcome[]> {
  const input = await fetchNodeInput(opts.graphql, opts.inputIndex);
  const view = input ? nodeView(input) : null;
  if (!view || view.status === 'UNPROCESSED') {
    throw new TtError(
      'proofs-not-ready',
      `conversation ${opts.conversationId}'s responses are still being generated (input ${opts.inputIndex})`,
      `wait for them: \`pnpm tt post ${opts.conversationId} --wait\``,
    );
  }
  if (view.status !== 'ACCEPTED') {
    throw new TtError(
      'input-rejected',
      `conversation ${opts.conversationId} has no responses to post: the backend ${view.status.toLowerCase()} it`,
      `see why with \`pnpm tt status ${opts.conversationId}\``,
    );
  }
  if (view.vouchers.length < 2) {
    throw new TtError(
      'voucher-failed',
      `input ${opts.inputIndex} has ${view.vouchers.length} vouchers, expected 2`,
    );
  }
  const outcomes: VoucherOutcome[] = [];
  // In order, one at a time: the signer's nonces must not race, and voucher 0 is response 0.
  for (const voucher of view.vouchers.slice(0, 2)) {
    const voucherIndex = voucher.index;
    opts.onProgress?.({ phase: 'signing', voucherIndex });
    const outcome = await executeVoucher({
      dapp: opts.dapp,
      signer: opts.signer,
      inputIndex: opts.inputIndex,
      voucher,
      onSent: (txHash) => opts.onProgress?.({ phase: 'pending', voucherIndex, txHash }),
    });
    opts.onProgress?.({ phase: 'done', voucherIndex, outcome });
    outcomes.push(outcome);
  }
  return outcomes;
}

export interface WaitOptions {
  /** Give up after this long (default 10 minutes). */
  timeoutMs?: number;
  /** Ask the node again this often while the proofs are not ready (default 2 s). */
  retryMs?: number;
  signal?: AbortSignal;
}

/**
 * postResponses, waiting while it says `proofs-not-ready`: the responses are still being generated, the epoch is not
 * closed, or the node serves a proof before its claim is mined (cartesi-v1.md §2.2). Each wait is reported as
 * `waiting`; past the deadline it throws `timeout` with the last reason. Any other error ends it at once.
 */
export async function postWhenClaimed(opts: PostOptions & WaitOptions): Promise<VoucherOutcome[]> {
  const timeoutMs = opts.timeoutMs ?? 600_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await postResponses(opts);
    } catch (err) {
      if (!(err instanceof TtError) || err.code !== 'proofs-not-ready') throw err;
      if (Date.now() > deadline) {
        throw new TtError(
          'timeout',
          `gave up waiting for the proofs of conversation ${opts.conversationId} after ${Math.round(timeoutMs / 1000)} s: ${err.message}`,
          err.hint,
          { cause: err },
        );
      }
      opts.onProgress?.({ phase: 'waiting', reason: err });
      await sleep(opts.retryMs ?? 2_000, opts.signal);
      if (opts.signal?.aborted) throw err;
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
