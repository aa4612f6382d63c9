// GET /status: what the node is doing, for people watching a slow input (inside the machine a stories15M prompt takes
// minutes). Beside the v1 APIs, which stay unchanged. Types only, with no imports, so browsers can use them
// (`@tt/cartesi-node/status`).

/** The request being processed now. */
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

export interface MachineStatus {
  /** The template's root hash: the machine booted, backend loaded, at its first finish (like `cartesi hash`). */
  templateHash: string;
  /** The root hash of the machine now: after the last processed input (null while it is being loaded). */
  stateHash: string | null;
  phase: 'loading' | 'replaying' | 'ready' | 'failed';
  /** why the machine cannot run (phase failed) */
  error: string | null;
}

export interface NodeStatus {
  /** 'machine': the backend runs inside the Cartesi machine; 'host': a process on this host. */
  mode: 'host' | 'machine';
  /** inputs read from the chain, and how many of them are processed */
  inputs: number;
  processedInputs: number;
  /** the request being processed now */
  current: RequestProgress | null;
  machine: MachineStatus | null;
}
