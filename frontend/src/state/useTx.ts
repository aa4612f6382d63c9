// One transaction's life as the UI shows it: waiting for the wallet → pending (hash) → mined, or failed with a reason.
// Buttons read `busy` to show progress instead of freezing, and the state stays visible after it finishes.
import type { Interface, TransactionReceipt, TransactionResponse } from 'ethers';
import { useCallback, useRef, useState } from 'react';
import { describeError, type UserError } from '../lib/errors.ts';

export type TxState =
  | { phase: 'idle' }
  | { phase: 'signing' }
  | { phase: 'pending'; hash: string }
  | { phase: 'mined'; hash: string; blockNumber: number }
  | { phase: 'failed'; error: UserError; hash?: string };

export function isBusy(s: TxState): boolean {
  return s.phase === 'signing' || s.phase === 'pending';
}

/** Sends `send()`'s transaction and follows it; resolves with the receipt, or null when it failed (state says why). */
export async function runTx(
  send: () => Promise<TransactionResponse>,
  onState: (s: TxState) => void,
  iface?: Interface,
): Promise<TransactionReceipt | null> {
  onState({ phase: 'signing' });
  let hash: string | undefined;
  try {
    const tx = await send();
    hash = tx.hash;
    onState({ phase: 'pending', hash });
    const receipt = await tx.wait();
    if (!receipt || receipt.status !== 1) throw new Error('The transaction was mined but reverted.');
    onState({ phase: 'mined', hash, blockNumber: receipt.blockNumber });
    return receipt;
  } catch (err) {
    onState({ phase: 'failed', error: describeError(err, iface), hash });
    return null;
  }
}

export function useTx(iface?: Interface) {
  const [state, setState] = useState<TxState>({ phase: 'idle' });
  const ifaceRef = useRef(iface);
  ifaceRef.current = iface;
  const run = useCallback(
    (send: () => Promise<TransactionResponse>) => runTx(send, setState, ifaceRef.current),
    [],
  );
  const reset = useCallback(() => setState({ phase: 'idle' }), []);
  return { state, run, reset, busy: isBusy(state) };
}
