import { describe, expect, it } from 'vitest';
import type { NodeStatus } from '@tt/cartesi-node/status';
import { describeMachineProgress, formatCycles } from './machine-progress.ts';

const machine = { templateHash: '0xaa', stateHash: '0xbb', phase: 'ready' as const, error: null };
const base: NodeStatus = { mode: 'machine', inputs: 3, processedInputs: 1, current: null, machine };
const running = (over: Partial<NonNullable<NodeStatus['current']>> = {}): NodeStatus => ({
  ...base,
  current: {
    kind: 'advance',
    inputIndex: 1,
    startedAt: 0,
    cycles: 1_500_000_000,
    cyclesPerSecond: 150_000_000,
    estimatedCycles: 3_000_000_000,
    etaSeconds: 10,
    ...over,
  },
});

describe('machine progress', () => {
  it('formats cycle counts', () => {
    expect(formatCycles(1_234_567_890)).toBe('1.23 G');
    expect(formatCycles(45_600_000)).toBe('45.6 M');
    expect(formatCycles(512)).toBe('512');
  });

  it('shows cycles, speed, ETA and the fraction for the input the machine is running', () => {
    expect(describeMachineProgress(running(), 1)).toEqual({
      text: 'Running inside the Cartesi machine: 1.50 G cycles · 150.0 M cycles/s · about 10s left',
      fraction: 0.5,
    });
    // no estimate yet (the first prompt): no ETA, no bar
    expect(describeMachineProgress(running({ estimatedCycles: null, etaSeconds: null }), 1)).toEqual({
      text: 'Running inside the Cartesi machine: 1.50 G cycles · 150.0 M cycles/s',
      fraction: null,
    });
  });

  it('counts the inputs ahead of a queued one, and says when the machine is loading or cannot run', () => {
    expect(describeMachineProgress(running(), 2)?.text).toBe('Queued for the Cartesi machine: 1 input ahead');
    expect(describeMachineProgress({ ...base, machine: { ...machine, phase: 'loading' } }, 2)?.text).toMatch(
      /loading its last state/,
    );
    expect(
      describeMachineProgress({ ...base, machine: { ...machine, phase: 'failed', error: 'no template' } }, 2)
        ?.text,
    ).toBe('The Cartesi machine cannot run: no template');
  });

  it('says nothing in host mode or about an input already processed', () => {
    expect(describeMachineProgress({ ...base, mode: 'host', machine: null }, 1)).toBeNull();
    expect(describeMachineProgress(base, 0)).toBeNull();
  });
});
