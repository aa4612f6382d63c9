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
