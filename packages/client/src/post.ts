// Posting a conversation's responses on chain: execute the voucher that posts each response, chosen by what it decodes
// to (checkOutputs), never by its position; or, for a prompt the backend refused, the voucher that records the
// rejection. What the vouchers must say comes from the chain (the contract's model hash, the conversation's parameters),
// never from the node. The one workflow the CLI (`tt post`, `--wait`) and the UI ("Post on-chain") both run, with its
// progress reported as it goes.
import type { Signer } from 'ethers';
import { trustAndTeach } from './contract.ts';
import { TtError } from './errors.ts';
import type { GraphQLClient } from './graphql/request.ts';
import type { Hex } from './model.ts';
import { checkOutputs, describeRefused, type RefusedOutput } from './outputs.ts';
import { fetchNodeInput, nodeView } from './rollup.ts';
import { executeVoucher, type VoucherOutcome } from './vouchers.ts';

/**
 * Where posting is: per voucher (about to sign, sent, finished; `responseIndex` says which response it posts, absent
 * for the rejection), outputs refused as not the conversation's, or waiting for the responses or the proofs.
 */
export type PostProgress =
  | { phase: 'signing'; voucherIndex: number; responseIndex?: 0 | 1 }
  | { phase: 'pending'; voucherIndex: number; responseIndex?: 0 | 1; txHash: Hex }
  | { phase: 'done'; voucherIndex: number; responseIndex?: 0 | 1; outcome: VoucherOutcome }
  | { phase: 'refused'; refused: RefusedOutput[] }
  | { phase: 'waiting'; reason: TtError };

export interface PostOptions {
  graphql: GraphQLClient;
  /** The CartesiDApp address. */
  dapp: string;
  /** The TrustAndTeach address (from the deployments): the only destination a voucher may have. */
  trustAndTeach: string;
  signer: Signer;
  inputIndex: number;
  conversationId: bigint;
  onProgress?: (progress: PostProgress) => void;
}

/**
 * Executes whichever of the conversation's vouchers have not run (both responses, or the rejection); throws
 * `proofs-not-ready` until their proofs are available. Outputs that are not the conversation's are reported
 * (`refused` progress, and in the result), never executed; a response with no voucher of its own is an error after
 * the others were posted.
 */
export async function postResponses(opts: PostOptions): Promise<VoucherOutcome[]> {
  const input = await fetchNodeInput(opts.graphql, opts.inputIndex);
  const raw = input ? nodeView(input) : null;
  if (!raw || raw.status === 'UNPROCESSED') {
    throw new TtError(
      'proofs-not-ready',
      `conversation ${opts.conversationId}'s responses are still being generated (input ${opts.inputIndex})`,
      `wait for them: \`pnpm tt post ${opts.conversationId} --wait\``,
    );
  }
  if (raw.status !== 'ACCEPTED') {
    throw new TtError(
      'input-rejected',
      `conversation ${opts.conversationId} has no responses to post: the backend ${raw.status.toLowerCase()} it`,
      `see why with \`pnpm tt status ${opts.conversationId}\``,
    );
  }
  // what the vouchers must say, from the chain
  const tt = trustAndTeach(opts.trustAndTeach, opts.signer);
  // the conversation's model: the base, or the fine-tuned version its prompt asked for
  const conversation = await tt.getConversation(opts.conversationId);
  const modelHash = conversation.modelHash;
  if (Number(conversation.inputIndex) !== opts.inputIndex)
    throw new TtError(
      'bad-argument',
      `conversation ${opts.conversationId} was sent as input ${conversation.inputIndex}, not ${opts.inputIndex}`,
    );
  const view = checkOutputs(raw, {
    trustAndTeach: opts.trustAndTeach,
    conversationId: opts.conversationId,
    modelHash: modelHash as Hex,
    params: {
      steps: Number(conversation.steps),
      temperatureMilli: Number(conversation.temperatureMilli),
      topPMilli: Number(conversation.topPMilli),
    },
  });
  const refused = view.refused ?? [];
  if (refused.length) opts.onProgress?.({ phase: 'refused', refused });
  const outcomes: VoucherOutcome[] = refused
    .filter((r) => r.kind === 'voucher')
    .map((r) => ({ voucherIndex: r.index, status: 'refused', reason: r.reason }));

  const execute = async (voucher: (typeof view.vouchers)[number]) => {
    const { index: voucherIndex, responseIndex } = voucher;
    opts.onProgress?.({ phase: 'signing', voucherIndex, responseIndex });
    const outcome = await executeVoucher({
      dapp: opts.dapp,
      signer: opts.signer,
      inputIndex: opts.inputIndex,
      voucher,
      onSent: (txHash) => opts.onProgress?.({ phase: 'pending', voucherIndex, responseIndex, txHash }),
    });
    const withResponse: VoucherOutcome =
      responseIndex === undefined ? outcome : { ...outcome, responseIndex };
    opts.onProgress?.({ phase: 'done', voucherIndex, responseIndex, outcome: withResponse });
    outcomes.push(withResponse);
  };

  if (view.rejection) {
    // the prompt was refused: recording that on chain is all there is to post
    await execute(view.rejection.voucher);
    return outcomes;
  }
  // In response order, one at a time: the signer's nonces must not race.
  for (const voucher of view.vouchers) await execute(voucher);
  const posted = conversation.responseHashes.map((h) => !/^0x0*$/.test(h));
  const missing = ([0, 1] as const).filter(
    (i) => !view.vouchers.some((v) => v.responseIndex === i) && !posted[i],
  );
  if (missing.length) {
    const why = describeRefused(refused, opts.inputIndex);
    throw new TtError(
      'voucher-failed',
      `input ${opts.inputIndex} has no voucher that posts response ${missing.join(' and ')} of conversation ${opts.conversationId}` +
        (why.length ? `; refused: ${why.join('; ')}` : ''),
      "the node holds outputs that are not the backend's answer to this prompt: check the node, then `pnpm tt status`",
    );
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
