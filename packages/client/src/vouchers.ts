// Executing a conversation's vouchers on the CartesiDApp (docs: cartesi-v1.md §3.5). A voucher can only run once its
// epoch's claim is on chain; running it again reverts, so `postResponses` asks `wasVoucherExecuted` first and skips
// what is done — posting is idempotent and safe to repeat or to race with another poster.
import { CartesiDApp__factory, type CartesiDApp } from '@tt/cartesi-v1';
import type { ContractRunner, Provider, Signer } from 'ethers';
import { TtError } from './errors.ts';
import type { Hex } from './model.ts';
import type { NodeVoucher, VoucherProof } from './rollup.ts';
import { explainTxError, sendWithNonceRetry } from './txerrors.ts';

const cartesiDAppInterface = CartesiDApp__factory.createInterface();

export function cartesiDApp(address: string, runner: ContractRunner): CartesiDApp {
  return CartesiDApp__factory.connect(address, runner);
}

/** The GraphQL proof as the struct executeVoucher takes (same fields as the Solidity OutputValidityProof). */
export function proofArgument(proof: VoucherProof): Parameters<CartesiDApp['executeVoucher']>[2] {
  const v = proof.validity;
  return {
    validity: {
      inputIndexWithinEpoch: v.inputIndexWithinEpoch,
      outputIndexWithinInput: v.outputIndexWithinInput,
      outputHashesRootHash: v.outputHashesRootHash,
      vouchersEpochRootHash: v.vouchersEpochRootHash,
      noticesEpochRootHash: v.noticesEpochRootHash,
      machineStateHash: v.machineStateHash,
      outputHashInOutputHashesSiblings: v.outputHashInOutputHashesSiblings,
      outputHashesInEpochSiblings: v.outputHashesInEpochSiblings,
    },
    context: proof.context,
  };
}

export async function wasVoucherExecuted(
  dapp: string,
  provider: Provider,
  inputIndex: number,
  voucherIndex: number,
) {
  return cartesiDApp(dapp, provider).wasVoucherExecuted(inputIndex, voucherIndex);
}

/** What happened to one voucher; `responseIndex` is the response it posts (absent for a rejection). */
export type VoucherOutcome = { voucherIndex: number; responseIndex?: 0 | 1 } & (
  | { status: 'executed'; txHash: Hex }
  | { status: 'skipped'; reason: 'already executed' }
  /** Not the conversation's (checkOutputs): never executed. */
  | { status: 'refused'; reason: string }
);

function errorName(err: unknown): string | null {
  const data = (err as { data?: unknown; info?: { error?: { data?: unknown } } }).data;
  if (typeof data !== 'string' || data.length < 10) return null;
  try {
    return cartesiDAppInterface.parseError(data)?.name ?? null;
  } catch {
    return null;
  }
}

/**
 * Executes one voucher unless it already ran. Throws `proofs-not-ready` while the proof or the claim is missing (the
 * caller may wait and retry), and `voucher-failed` with the destination's revert reason when its call fails.
 */
export async function executeVoucher(opts: {
  dapp: string;
  signer: Signer;
  inputIndex: number;
  voucher: NodeVoucher;
  onSent?: (txHash: Hex) => void;
}): Promise<VoucherOutcome> {
  const { dapp, signer, inputIndex, voucher } = opts;
  const provider = signer.provider;
  if (!provider) throw new Error('executeVoucher: the signer has no provider');
  if (await wasVoucherExecuted(dapp, provider, inputIndex, voucher.index)) {
    return { voucherIndex: voucher.index, status: 'skipped', reason: 'already executed' };
  }
  if (!voucher.proof) {
    throw new TtError(
      'proofs-not-ready',
      `voucher ${voucher.index} of input ${inputIndex} has no proof yet: its epoch is not closed`,
      'wait for the proofs (`tt post ID --wait`)',
    );
  }
  const execute = cartesiDApp(dapp, signer).executeVoucher;
  const args = [voucher.destination, voucher.payload, proofArgument(voucher.proof)] as const;
  let ok: boolean;
  try {
    // A dry run first: executeVoucher returns false (not a revert) when the destination call fails, and a sent
    // transaction that does nothing would cost gas and hide the reason.
    ok = await execute.staticCall(...args);
  } catch (err) {
    const name = errorName(err);
    if (name === 'VoucherReexecutionNotAllowed') {
      return { voucherIndex: voucher.index, status: 'skipped', reason: 'already executed' };
    }
    if (name === 'InvalidClaimIndex' || name === 'InputIndexOutOfClaimBounds') {
      throw new TtError(
        'proofs-not-ready',
        `the claim for input ${inputIndex}'s epoch is not on chain yet`,
        'wait a moment and retry, or use `tt post ID --wait`',
        { cause: err },
      );
    }
    if (name) {
      throw new TtError(
        'voucher-failed',
        `the CartesiDApp rejected voucher ${voucher.index}'s proof (${name})`,
        undefined,
        {
          cause: err,
        },
      );
    }
    throw explainTxError(err, await signer.getAddress());
  }
  if (!ok) {
    const reason = await destinationRevertReason(provider, dapp, voucher);
    throw new TtError(
      'voucher-failed',
      `voucher ${voucher.index} of input ${inputIndex} would fail at ${voucher.destination}: ${reason}`,
      'the contract refused the posted response; `tt status` shows the conversation',
    );
  }
  let txHash: Hex;
  try {
    const tx = await sendWithNonceRetry(() => execute(...args));
    txHash = tx.hash as Hex;
    opts.onSent?.(txHash);
    const receipt = await tx.wait();
    if (!receipt || receipt.status !== 1) throw new Error(`transaction ${txHash} failed`);
  } catch (err) {
    if (errorName(err) === 'VoucherReexecutionNotAllowed') {
      return { voucherIndex: voucher.index, status: 'skipped', reason: 'already executed' };
    }
    throw explainTxError(err, await signer.getAddress());
  }
  if (!(await wasVoucherExecuted(dapp, provider, inputIndex, voucher.index))) {
    throw new TtError(
      'voucher-failed',
      `voucher ${voucher.index} of input ${inputIndex} ran but its call failed (tx ${txHash})`,
    );
  }
  return { voucherIndex: voucher.index, status: 'executed', txHash };
}

/** Replays the voucher's call as the CartesiDApp makes it, to learn why it fails. */
async function destinationRevertReason(
  provider: Provider,
  dapp: string,
  voucher: NodeVoucher,
): Promise<string> {
  try {
    await provider.call({ from: dapp, to: voucher.destination, data: voucher.payload });
    return 'the call fails only inside executeVoucher';
  } catch (err) {
    const e = err as { reason?: string; shortMessage?: string; message?: string; data?: string };
    return e.reason ?? e.shortMessage ?? e.message ?? 'reverted';
  }
}
