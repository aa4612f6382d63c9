// What the pipeline and the inspect endpoint hand requests to: the host runner (a backend process on the host, over
// the rollup HTTP API) or the machine runner (the backend inside the Cartesi machine). Both process one request at a
// time, in order.
import type { AdvanceMetadata } from '@tt/cartesi-v1';
import type { InspectResult } from './rollup-api/host-runner.js';
import type { AdvanceResult } from './store/rows.js';
import type { RequestProgress } from './status.js';

export type { RequestProgress };

export interface InputRunner {
  advance(metadata: AdvanceMetadata, payload: string): Promise<AdvanceResult>;
  inspect(payload: string): Promise<InspectResult>;
  /** The request being processed now, or null when idle. */
  current(): RequestProgress | null;
  /** The machine's root hash now (machine mode), for results the pipeline records itself; null in host mode. */
  stateHash(): string | null;
}
