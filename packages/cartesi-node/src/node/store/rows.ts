// Rows as the store keeps them; the GraphQL resolvers map these to the reader schema's types.
import type { OutputValidityProof } from '../proofs/index.js';

export type CompletionStatus =
  | 'UNPROCESSED'
  | 'ACCEPTED'
  | 'REJECTED'
  | 'EXCEPTION'
  | 'MACHINE_HALTED'
  | 'CYCLE_LIMIT_EXCEEDED'
  | 'TIME_LIMIT_EXCEEDED'
  | 'PAYLOAD_LENGTH_LIMIT_EXCEEDED';

export interface InputRow {
  index: number;
  status: CompletionStatus;
  msgSender: string;
  timestamp: number;
  blockNumber: number;
  blockHash: string;
  payload: string;
  /** Claim index (non-empty epoch counter) once the input's epoch is closed. */
  epochIndex: number | null;
  /** Machine mode: the machine's root hash after this input (rolled back ones: the hash before it). */
  machineHash: string | null;
  /** Machine mode: cycles the machine ran on this input. */
  cycles: number | null;
}

/** An input as read from the chain, before it is processed. */
export type NewInputRow = Omit<InputRow, 'status' | 'epochIndex' | 'machineHash' | 'cycles'>;

export interface ProofRow {
  validity: OutputValidityProof;
  context: string;
}

export interface VoucherRow {
  inputIndex: number;
  index: number;
  destination: string;
  payload: string;
  proof: ProofRow | null;
}

export interface NoticeRow {
  inputIndex: number;
  index: number;
  payload: string;
  proof: ProofRow | null;
}

export interface ReportRow {
  inputIndex: number;
  index: number;
  payload: string;
}

export interface EpochRow {
  index: number;
  firstInput: number;
  lastInput: number;
  vouchersRoot: string;
  noticesRoot: string;
  machineStateHash: string;
  epochHash: string;
  claimTx: string | null;
  claimed: boolean;
}

/** What one advance produced, as the rollup API (or the machine) gave it. */
export interface AdvanceResult {
  status: 'ACCEPTED' | 'REJECTED' | 'EXCEPTION' | 'MACHINE_HALTED' | 'CYCLE_LIMIT_EXCEEDED';
  vouchers: { destination: string; payload: string }[];
  notices: { payload: string }[];
  reports: { payload: string }[];
  exceptionPayload: string | null;
  /** Machine mode: the root hash after the input (before it, when it was rolled back). */
  machineHash?: string | null;
  /** Machine mode: cycles run. */
  cycles?: number | null;
}
