// Errors meant for a person: what went wrong in one line, and the next step in `hint`. The CLI prints both; the UI shows
// the message and the hint. `code` lets callers branch without matching on wording.

export type TtErrorCode =
  | 'devnet-not-running'
  | 'node-unreachable'
  | 'graphql-error'
  | 'wrong-network'
  | 'no-deployments'
  | 'unknown-conversation'
  | 'responses-not-posted'
  | 'proofs-not-ready'
  | 'insufficient-funds'
  | 'input-rejected'
  | 'voucher-failed'
  | 'bad-argument'
  | 'no-signer'
  | 'timeout'
  // fine-tuning (tt teach): the dataset from the chain, the base model, the manifest
  | 'dataset-empty'
  | 'dataset-only-ties'
  | 'response-mismatch'
  | 'base-mismatch'
  | 'bad-manifest'
  // fine-tuning inside the rollup: a version the chain registered that re-deriving does not reproduce
  | 'version-mismatch'
  // a long operation the user stopped
  | 'cancelled';

export class TtError extends Error {
  constructor(
    readonly code: TtErrorCode,
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TtError';
  }
}

export const START_DEVNET_HINT =
  'start the local devnet with `pnpm devnet` (or pass --rpc/--graphql for another node)';

/** True for the network errors fetch and ethers raise when nothing listens on the port. */
export function isConnectionRefused(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 6; depth++) {
    const x = e as { code?: unknown; message?: unknown; cause?: unknown; error?: unknown };
    if (
      x.code === 'ECONNREFUSED' ||
      x.code === 'ECONNRESET' ||
      x.code === 'ENOTFOUND' ||
      x.code === 'EHOSTUNREACH'
    ) {
      return true;
    }
    if (
      typeof x.message === 'string' &&
      /ECONNREFUSED|fetch failed|Failed to fetch|NetworkError/.test(x.message)
    ) {
      return true;
    }
    e = x.cause ?? x.error;
  }
  return false;
}
