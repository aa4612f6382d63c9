// "Post all ready": every conversation whose two vouchers are proven but not yet executed, posted one after the other
// (one signer, so its nonces must not race), each with its own outcome, and a total. `tt post --all` and the UI's
// "Post all ready" both run this.
import type { Signer } from 'ethers';
import { TtError } from './errors.ts';
import type { GraphQLClient } from './graphql/request.ts';
import { postResponses, type PostProgress } from './post.ts';
import type { ConversationState } from './status.ts';
import type { VoucherOutcome } from './vouchers.ts';

/** Conversations whose responses can be posted now: both proofs served, not both on chain. Oldest first. */
export function readyToPost(states: readonly ConversationState[]): ConversationState[] {
  return states
    .filter((s) => s.stage.stage === 'proofsReady')
    .sort((a, b) => (a.conversation.id < b.conversation.id ? -1 : 1));
}

export type PostAllOutcome =
  | { conversationId: bigint; status: 'posted'; vouchers: VoucherOutcome[] }
  | { conversationId: bigint; status: 'failed'; error: Error };

export type PostAllProgress =
  | { phase: 'item'; conversationId: bigint; position: number; total: number }
  | { phase: 'voucher'; conversationId: bigint; progress: PostProgress }
  | { phase: 'outcome'; outcome: PostAllOutcome; position: number; total: number };

export interface PostAllOptions {
  graphql: GraphQLClient;
  dapp: string;
  /** The TrustAndTeach address: the only destination a voucher may have (see post.ts). */
  trustAndTeach: string;
  signer: Signer;
  items: readonly { conversationId: bigint; inputIndex: number }[];
  onProgress?: (p: PostAllProgress) => void;
  /** Checked between items: stop before the next one. */
  signal?: AbortSignal;
}

/** Errors about the signer rather than one conversation: nothing after them can succeed, so posting stops. */
const FATAL = new Set(['insufficient-funds', 'no-signer', 'wrong-network', 'devnet-not-running']);

export interface PostAllResult {
  outcomes: PostAllOutcome[];
  posted: number;
  failed: number;
  /** Items not tried: stopped by a fatal error or the signal. */
  skipped: number;
}

export async function postAll(opts: PostAllOptions): Promise<PostAllResult> {
  const outcomes: PostAllOutcome[] = [];
  const total = opts.items.length;
  for (const [i, item] of opts.items.entries()) {
    if (opts.signal?.aborted) break;
    const position = i + 1;
    opts.onProgress?.({ phase: 'item', conversationId: item.conversationId, position, total });
    let outcome: PostAllOutcome;
    try {
      const vouchers = await postResponses({
        graphql: opts.graphql,
        dapp: opts.dapp,
        trustAndTeach: opts.trustAndTeach,
        signer: opts.signer,
        inputIndex: item.inputIndex,
        conversationId: item.conversationId,
        onProgress: (progress) =>
          opts.onProgress?.({ phase: 'voucher', conversationId: item.conversationId, progress }),
      });
      outcome = { conversationId: item.conversationId, status: 'posted', vouchers };
    } catch (err) {
      outcome = { conversationId: item.conversationId, status: 'failed', error: err as Error };
    }
    outcomes.push(outcome);
    opts.onProgress?.({ phase: 'outcome', outcome, position, total });
    if (outcome.status === 'failed' && outcome.error instanceof TtError && FATAL.has(outcome.error.code))
      break;
    if (outcome.status === 'failed' && isUserRejection(outcome.error)) break;
  }
  const posted = outcomes.filter((o) => o.status === 'posted').length;
  return { outcomes, posted, failed: outcomes.length - posted, skipped: total - outcomes.length };
}

/** A wallet's "the user refused to sign" (EIP-1193 code 4001, ethers ACTION_REJECTED): stop, do not ask again. */
function isUserRejection(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 6; depth++) {
    const x = e as { code?: unknown; cause?: unknown; error?: unknown; info?: { error?: unknown } };
    if (x.code === 4001 || x.code === 'ACTION_REJECTED') return true;
    e = x.cause ?? x.error ?? x.info?.error;
  }
  return false;
}
