import { useEffect, useState } from 'react';
import type { NodeStatus } from '@tt/cartesi-node/status';
import { describeMachineProgress } from '../lib/machine-progress.ts';

/**
 * While a prompt waits for its responses: how far the Cartesi machine is (cycles run, speed, ETA), polled from the
 * node's /status once a second. Renders nothing when the backend runs on the host or the node has no /status.
 */
export function MachineProgress({ nodeUrl, inputIndex }: { nodeUrl: string; inputIndex: number }) {
  const [status, setStatus] = useState<NodeStatus | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const res = await fetch(`${nodeUrl}/status`, { signal: ac.signal });
        setStatus(res.ok ? ((await res.json()) as NodeStatus) : null);
      } catch {
        if (ac.signal.aborted) return;
        setStatus(null);
      }
      timer = setTimeout(() => void poll(), 1000);
    };
    void poll();
    return () => {
      ac.abort();
      clearTimeout(timer);
    };
  }, [nodeUrl]);
  const view = status && describeMachineProgress(status, inputIndex);
  if (!view) return null;
  return (
    <div className="machine-progress" data-testid="machine-progress" role="status">
      <span>{view.text}</span>
      {view.fraction !== null && <progress max={1} value={view.fraction} aria-label="estimated progress" />}
    </div>
  );
}
