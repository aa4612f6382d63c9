// What the pipeline and the inspect endpoint hand requests to: the host runner (a backend process on the host, over
// the rollup HTTP API) or the machine runner (the backend inside the Cartesi machine). Both process one request at a
// time, in order.
import type { AdvanceMetadata } from '@tt/cartesi-v1';
import type { InspectResult } from './rollup-api/host-runner.js';
import type { AdvanceResult } from './store/rows.js';

/** The request being processed now, as the node's /status endpoint shows it. */
export interface RequestProgress {
  kind: 'advance' | 'inspect';
  /** the input's index (advances only) */
  inputIndex: number | null;
  /** when it was handed over (ms since the epoch) */
  startedAt: number;
  /** machine cycles run so far (machine mode), else null */
  cycles: number | null;
  cyclesPerSecond: number | null;
  /** cycles the whole input is expected to take, from the inputs before it (machine mode), or null */
  estimatedCycles: number | null;
  etaSeconds: number | null;
}

export interface InputRunner {
  advance(metadata: AdvanceMetadata, payload: string): Promise<AdvanceResult>;
  inspect(payload: string): Promise<InspectResult>;
  /** The request being processed now, or null when idle. */
  current(): RequestProgress | null;
  /** The machine's root hash now (machine mode), for results the pipeline records itself; null in host mode. */
  stateHash(): string | null;
}
