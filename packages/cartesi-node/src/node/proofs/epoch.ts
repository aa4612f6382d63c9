// Epoch trees, epoch hash and the per-output validity proofs, as the v1 node builds them in host
// mode and as CartesiDApp.executeVoucher / validateNotice check them.
import { AbiCoder, concat, keccak256 } from 'ethers';
import { P5, sparseTree, ZERO_HASH, type Hex } from './merkle.js';
import { KECCAK_LOG2_SIZE, noticeHash, outputHashesTree, voucherHash } from './outputs.js';

const abi = AbiCoder.defaultAbiCoder();

/** log2 of the epoch's output range (CanonicalMachine.EPOCH_VOUCHER/NOTICE_LOG2_SIZE). */
export const EPOCH_OUTPUT_LOG2_SIZE = 37;

export interface EpochInput {
  /** Only accepted inputs contribute their outputs; every other status is a zero leaf. */
  accepted: boolean;
  vouchers: readonly { destination: string; payload: string }[];
  notices: readonly { payload: string }[];
}

/** Field names and order of the Solidity OutputValidityProof struct and the GraphQL type. */
export interface OutputValidityProof {
  inputIndexWithinEpoch: number;
  outputIndexWithinInput: number;
  outputHashesRootHash: Hex;
  vouchersEpochRootHash: Hex;
  noticesEpochRootHash: Hex;
  machineStateHash: Hex;
  outputHashInOutputHashesSiblings: Hex[];
  outputHashesInEpochSiblings: Hex[];
}

export interface EpochProofs {
  vouchersEpochRootHash: Hex;
  noticesEpochRootHash: Hex;
  machineStateHash: Hex;
  epochHash: Hex;
  /** proofs.vouchers[i][k] = proof of voucher k of the i-th input of the epoch (empty for non-accepted inputs). */
  vouchers: OutputValidityProof[][];
  notices: OutputValidityProof[][];
}

export function computeEpochHash(vouchersRoot: Hex, noticesRoot: Hex, machineStateHash: Hex): Hex {
  return keccak256(concat([vouchersRoot, noticesRoot, machineStateHash])) as Hex;
}

/** Host mode has no emulator, so the machine state hash is zero (the contracts only check epochHash consistency). */
export const HOST_MODE_MACHINE_STATE_HASH = ZERO_HASH;

export function buildEpochProofs(
  inputs: readonly EpochInput[],
  machineStateHash: Hex = HOST_MODE_MACHINE_STATE_HASH,
): EpochProofs {
  const perInput = inputs.map((input) => ({
    vouchers: input.accepted
      ? outputHashesTree(input.vouchers.map((v) => voucherHash(v.destination, v.payload)))
      : null,
    notices: input.accepted ? outputHashesTree(input.notices.map((n) => noticeHash(n.payload))) : null,
  }));
  const voucherEpoch = sparseTree(
    perInput.map((t) => t.vouchers?.root ?? ZERO_HASH),
    KECCAK_LOG2_SIZE,
    EPOCH_OUTPUT_LOG2_SIZE,
    P5,
  );
  const noticeEpoch = sparseTree(
    perInput.map((t) => t.notices?.root ?? ZERO_HASH),
    KECCAK_LOG2_SIZE,
    EPOCH_OUTPUT_LOG2_SIZE,
    P5,
  );
  const common = {
    vouchersEpochRootHash: voucherEpoch.root,
    noticesEpochRootHash: noticeEpoch.root,
    machineStateHash,
  };
  const proofsFor = (kind: 'vouchers' | 'notices') =>
    inputs.map((input, i) => {
      const tree = perInput[i]![kind];
      if (!tree) return [];
      const epochTree = kind === 'vouchers' ? voucherEpoch : noticeEpoch;
      const inEpoch = epochTree.siblings(i);
      return input[kind].map((_, k): OutputValidityProof => ({
        inputIndexWithinEpoch: i,
        outputIndexWithinInput: k,
        outputHashesRootHash: tree.root,
        ...common,
        outputHashInOutputHashesSiblings: tree.siblings(k),
        outputHashesInEpochSiblings: inEpoch,
      }));
    });
  return {
    ...common,
    epochHash: computeEpochHash(voucherEpoch.root, noticeEpoch.root, machineStateHash),
    vouchers: proofsFor('vouchers'),
    notices: proofsFor('notices'),
  };
}

/** Authority.submitClaim's argument: abi.encode(dapp, (epochHash, firstIndex, lastIndex)), indices inclusive. */
export function encodeClaim(
  dapp: string,
  epochHash: Hex,
  firstInputIndex: bigint | number,
  lastInputIndex: bigint | number,
): Hex {
  return abi.encode(
    ['address', 'tuple(bytes32,uint128,uint128)'],
    [dapp, [epochHash, firstInputIndex, lastInputIndex]],
  ) as Hex;
}

/** Proof.context: History looks the claim up by abi.encode(uint256 claimIndex). */
export function encodeContext(claimIndex: bigint | number): Hex {
  return abi.encode(['uint256'], [claimIndex]) as Hex;
}
