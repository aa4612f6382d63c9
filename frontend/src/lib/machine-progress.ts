// What the UI says about a prompt the node is working on inside the Cartesi machine, from the node's GET /status
// (@tt/cartesi-node's NodeStatus; a node without it, like the real Cartesi node, simply shows nothing).
import type { NodeStatus } from '@tt/cartesi-node/status';
import { formatElapsed } from './format.ts';

/** 1234567890 → "1.23 G", 45600000 → "45.6 M". */
export function formatCycles(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  return String(n);
}

export interface MachineProgressView {
  /** one line for people */
  text: string;
  /** 0..1 when there is an estimate, else null */
  fraction: number | null;
}

/** The line for input `inputIndex`, or null when the node is not in machine mode or has nothing to say about it. */
export function describeMachineProgress(status: NodeStatus, inputIndex: number): MachineProgressView | null {
  if (status.mode !== 'machine' || !status.machine) return null;
  const m = status.machine;
  if (m.phase === 'failed')
    return { text: `The Cartesi machine cannot run: ${m.error ?? 'see the devnet log'}`, fraction: null };
  const cur = status.current;
  if (cur?.kind === 'advance' && cur.inputIndex === inputIndex && cur.cycles !== null) {
    const parts = [`Running inside the Cartesi machine: ${formatCycles(cur.cycles)} cycles`];
    if (cur.cyclesPerSecond) parts.push(`${formatCycles(cur.cyclesPerSecond)} cycles/s`);
    if (cur.etaSeconds !== null) parts.push(`about ${formatElapsed(cur.etaSeconds)} left`);
    const fraction =
      cur.estimatedCycles && cur.estimatedCycles > 0 ? Math.min(1, cur.cycles / cur.estimatedCycles) : null;
    return { text: parts.join(' · '), fraction };
  }
  if (m.phase !== 'ready')
    return {
      text:
        m.phase === 'replaying'
          ? 'The Cartesi machine is re-deriving its state (replaying inputs)…'
          : 'The Cartesi machine is loading its last state (checking its root hash)…',
      fraction: null,
    };
  const ahead = inputIndex - status.processedInputs;
  if (ahead > 0)
    return {
      text: `Queued for the Cartesi machine: ${ahead} input${ahead === 1 ? '' : 's'} ahead`,
      fraction: null,
    };
  return null;
}
