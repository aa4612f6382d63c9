// Turns whatever a wallet, ethers, fetch or the client library throws into one line for a person plus the next step.
import type { Interface } from 'ethers';

export interface UserError {
  message: string;
  hint?: string;
}

interface ErrLike {
  code?: unknown;
  message?: unknown;
  shortMessage?: unknown;
  reason?: unknown;
  hint?: unknown;
  data?: unknown;
  info?: { error?: { message?: unknown; data?: unknown } };
  error?: unknown;
  cause?: unknown;
  revert?: { name?: string; args?: unknown[] } | null;
  name?: unknown;
}

/** The revert data hidden somewhere in an ethers / EIP-1193 error, if any. */
export function revertData(err: unknown): string | null {
  for (let e = err as ErrLike | undefined, depth = 0; e && depth < 6; depth++) {
    if (typeof e.data === 'string' && e.data.startsWith('0x') && e.data.length >= 10) return e.data;
    if (e.data && typeof e.data === 'object' && typeof (e.data as { data?: unknown }).data === 'string')
      return (e.data as { data: string }).data;
    if (typeof e.info?.error?.data === 'string') return e.info.error.data;
    e = (e.error ?? e.cause) as ErrLike | undefined;
  }
  return null;
}

export function describeError(err: unknown, contract?: Interface): UserError {
  const e = (err ?? {}) as ErrLike;
  if (e.name === 'TtError') {
    const code = typeof e.code === 'string' ? e.code : '';
    // @tt/client's hints name CLI commands; on this page the next step is a button or a wait.
    const hint =
      UI_HINTS[code] ??
      (typeof e.hint === 'string' && !/`(pnpm )?tt |--[a-z]/.test(e.hint) ? e.hint : undefined);
    return { message: sentence(String(e.message)), hint };
  }
  if (e.code === 'ACTION_REJECTED' || e.code === 4001) {
    return {
      message: 'You rejected the request in your wallet.',
      hint: 'Nothing was sent. Try again when ready.',
    };
  }
  if (e.code === 'INSUFFICIENT_FUNDS' || /insufficient funds/i.test(String(e.message))) {
    return {
      message: 'This account has too little ETH to pay for gas.',
      hint: 'Fund it, or pick another account.',
    };
  }
  const data = revertData(err);
  if (data && contract) {
    try {
      const parsed = contract.parseError(data);
      if (parsed)
        return {
          message: `The contract refused: ${parsed.name}${parsed.args.length ? `(${parsed.args.join(', ')})` : ''}.`,
          hint: revertHint(parsed.name),
        };
    } catch {
      // Not one of ours: fall through to the generic wording.
    }
  }
  if (e.revert?.name)
    return { message: `The contract refused: ${e.revert.name}.`, hint: revertHint(e.revert.name) };
  const text = String(e.shortMessage ?? e.reason ?? e.message ?? err);
  if (/Failed to fetch|NetworkError|ECONNREFUSED|fetch failed/i.test(text)) {
    return { message: "Can't reach the node.", hint: 'Is the devnet running? Start it with `pnpm dev`.' };
  }
  return { message: text.length > 240 ? `${text.slice(0, 240)}…` : text };
}

const UI_HINTS: Record<string, string> = {
  'devnet-not-running': 'Is the devnet running? Start it with `pnpm dev`.',
  'proofs-not-ready': 'The proofs come when the epoch closes; this page retries by itself.',
  'responses-not-posted': 'Post both responses on-chain first.',
  'insufficient-funds': 'Fund this account, or on the devnet pick another test account in the header.',
  'wrong-network': 'Switch your wallet to the network picked in the header.',
  'no-signer': 'Connect a wallet first.',
  'unknown-conversation': 'The page will catch up with the chain in a moment.',
};

/** Client messages start lower-case for the CLI's `error: …` lines; on a page they read as sentences. */
function sentence(s: string): string {
  const t = s.charAt(0).toUpperCase() + s.slice(1);
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** What to do next for the reverts people can actually hit from the UI. */
function revertHint(name: string): string | undefined {
  if (/NotPosted|ResponsesNotPosted|NotReady/i.test(name)) return 'Post both responses on-chain first.';
  if (/VoucherReexecution|AlreadyPosted|AlreadyExecuted/i.test(name))
    return 'Already done: the page will catch up in a moment.';
  if (/InvalidClaimIndex/i.test(name))
    return 'The claim for this epoch is not on-chain yet; try again in a few seconds.';
  if (/Prompt|Steps|Temperature|TopP/i.test(name)) return 'Check the prompt and the generation settings.';
  return undefined;
}
