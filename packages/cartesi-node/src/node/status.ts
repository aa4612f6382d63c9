// GET /status: what the node is doing, for people watching a slow input (inside the machine a stories15M prompt takes
// minutes). Beside the v1 APIs, which stay unchanged. Types only, so browsers can import them
// (`@tt/cartesi-node/status`).
import type { RequestProgress } from './input-runner.js';
import type { MachineStatus } from './machine/runner.js';

export type { RequestProgress, MachineStatus };

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
