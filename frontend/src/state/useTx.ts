// One transaction's life as the UI shows it: waiting for the wallet → (waiting for the chain or the node) → pending
// (hash) → done, or failed with a reason and a next step. The one hook every button that sends uses (prompt, post,
// rank): they read `busy` to show progress instead of freezing, and the state stays visible after it finishes.
import { useCallback, useMemo, useState } from 'react';
import { describeError, type UserError } from '../lib/errors.ts';

export interface TxDone {
  /** Absent when nothing was sent (an already executed voucher, an unchanged ranking). */
  hash?: string;
  blockNumber?: number;
  /** What the outcome means, in words ("Conversation #3 created", "already on-chain"). */
  note?: string;
}

export type TxState =
  | { phase: 'idle' }
  | { phase: 'signing' }
  | { phase: 'waiting'; reason: string }
  | { phase: 'pending'; hash: string }
  | ({ phase: 'done' } & TxDone)
  | { phase: 'failed'; error: UserError; hash?: string };

export function isBusy(s: TxState): boolean {
  return s.phase === 'signing' || s.phase === 'waiting' || s.phase === 'pending';
}

/** Moves a transaction through its phases; for workflows that report their own progress (posting two vouchers). */
export interface TxTracker {
  signing(): void;
  waiting(reason: string): void;
  sent(hash: string): void;
  done(done?: TxDone): void;
  failed(err: unknown): void;
  reset(): void;
}

export function useTx() {
  const [state, setState] = useState<TxState>({ phase: 'idle' });
  const track = useMemo<TxTracker>(() => {
    let hash: string | undefined;
    return {
      signing: () => {
        hash = undefined;
        setState({ phase: 'signing' });
      },
      waiting: (reason) => setState({ phase: 'waiting', reason }),
      sent: (h) => {
        hash = h;
        setState({ phase: 'pending', hash: h });
      },
      done: (d = {}) => setState({ phase: 'done', ...d }),
      failed: (err) => setState({ phase: 'failed', error: describeError(err), hash }),
      reset: () => setState({ phase: 'idle' }),
    };
  }, []);

  /**
   * Runs one transaction: `send` gets a callback for the hash once the wallet has sent it; `describe` turns the result
   * into what the done state shows. Resolves with the result, or null when it failed (the state says why).
   */
  const run = useCallback(
    async <R>(send: (sent: (hash: string) => void) => Promise<R>, describe: (result: R) => TxDone) => {
      track.signing();
      try {
        const result = await send(track.sent);
        track.done(describe(result));
        return result;
      } catch (err) {
        track.failed(err);
        return null;
      }
    },
    [track],
  );

  return { state, track, run, busy: isBusy(state) };
}

export type Tx = ReturnType<typeof useTx>;
