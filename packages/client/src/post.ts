// Posting a conversation's responses on chain: execute its two vouchers (voucher i carries response i).
import type { Signer } from 'ethers';
import { TtError } from './errors.ts';
import type { GraphQLClient } from './graphql/request.ts';
import type { Hex } from './model.ts';
import { fetchNodeInput, nodeView } from './rollup.ts';
import { executeVoucher, type VoucherOutcome } from './vouchers.ts';

export interface PostOptions {
  graphql: GraphQLClient;
  /** The CartesiDApp address. */
  dapp: string;
  signer: Signer;
  inputIndex: number;
  conversationId: bigint;
  onSent?: (voucherIndex: number, txHash: Hex) => void;
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
    outcomes.push(
      await executeVoucher({
        dapp: opts.dapp,
        signer: opts.signer,
        inputIndex: opts.inputIndex,
        voucher,
        onSent: (tx) => opts.onSent?.(voucher.index, tx),
      }),
    );
  }
  return outcomes;
}
