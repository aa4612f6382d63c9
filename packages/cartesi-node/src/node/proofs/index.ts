export {
  P3,
  P5,
  pristineTable,
  sparseTree,
  rootFromSiblings,
  ZERO_HASH,
  type Hex,
  type SparseTree,
} from './merkle.js';
export {
  encodeVoucher,
  encodeNotice,
  voucherHash,
  noticeHash,
  hashRoot,
  outputHashesTree,
  OUTPUT_METADATA_LOG2_SIZE,
  KECCAK_LOG2_SIZE,
} from './outputs.js';
export {
  buildEpochProofs,
  computeEpochHash,
  encodeClaim,
  encodeContext,
  EPOCH_OUTPUT_LOG2_SIZE,
  HOST_MODE_MACHINE_STATE_HASH,
  type EpochInput,
  type EpochProofs,
  type OutputValidityProof,
} from './epoch.js';
