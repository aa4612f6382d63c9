// Turns the errors ethers and the nodes raise for a failed transaction into messages with a next step.
import { isConnectionRefused, START_DEVNET_HINT, TtError } from './errors.ts';

export function explainTxError(err: unknown, account: string): Error {
  if (err instanceof TtError) return err;
  const e = err as { code?: unknown; shortMessage?: unknown; message?: unknown; reason?: unknown };
  const text = [e.shortMessage, e.message].filter((s) => typeof s === 'string').join(' ');
  if (
    e.code === 'INSUFFICIENT_FUNDS' ||
    /insufficient funds|doesn't have enough funds|sender doesn.t have enough/i.test(text)
  ) {
    return new TtError(
      'insufficient-funds',
      `insufficient funds: account ${account} cannot pay for this transaction`,
      'fund the account, or on the devnet use a test account (--account N)',
      { cause: err },
    );
  }
  if (isConnectionRefused(err)) {
    return new TtError('devnet-not-running', 'the chain stopped answering', START_DEVNET_HINT, {
      cause: err,
    });
  }
  if (err instanceof Error) return err;
  return new Error(String(err));
}

/** Another sender from the same account took the nonce between our read and our send (the devnet's claimer uses #0). */
export function isNonceRace(err: unknown): boolean {
  const e = err as { code?: unknown; shortMessage?: unknown; message?: unknown };
  const text = [e.shortMessage, e.message].filter((s) => typeof s === 'string').join(' ');
  return (
    e.code === 'NONCE_EXPIRED' ||
    /nonce too low|nonce has already been used|replacement transaction underpriced|known transaction/i.test(
      text,
    )
  );
}

/** Sends, and sends again (with a fresh nonce) when the nonce raced with another sender; other errors pass through. */
export async function sendWithNonceRetry<T>(send: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      if (attempt >= attempts || !isNonceRace(err)) throw err;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}
