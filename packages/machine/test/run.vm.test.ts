// The runner around the emulator: exit codes come out of the machine, runs are deterministic (same root hash twice),
// and a machine past its cycle limit stops with an error that says what to do.
import { describe, expect, it } from 'vitest';
import { MachineError } from '../src/build/errors.ts';
import { run } from './vm.ts';

describe('running the machine', () => {
  it("boots our kernel as riscv64 with Sv39, and carries the command's exit code out (tt-halt)", async () => {
    const r = await run('uname and exit 3', {
      command: 'uname -m; busybox grep -o "sv[0-9]*" /proc/cpuinfo; exit 3',
    });
    expect(r.exitCode).toBe(3);
    expect(r.console).toMatch(/^riscv64$/m);
    expect(r.console).toMatch(/^sv39$/m);
  });

  it('is deterministic: the same run twice gives the same cycles and the same final root hash', async () => {
    const a = await run('echo, first', { command: 'echo same', hashes: true });
    const b = await run('echo, second', { command: 'echo same', hashes: true });
    expect(a.finalHash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.finalHash).toBe(a.finalHash);
    expect(b.cycles).toBe(a.cycles);
    expect(a.initialHash).not.toBe(a.finalHash);
  });

  it('a machine past its cycle limit stops with the step and what to do', async () => {
    const err = await run('a node start with too few cycles', {
      command: 'node -e 1',
      maxMcycle: 50_000_000,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(MachineError);
    expect(err.message).toMatch(
      /^machine run: the machine ran past its cycle limit \(50,000,000 cycles\) without finishing `node -e 1`/,
    );
    expect(err.message).toMatch(/TT_MACHINE_MAX_MCYCLE/);
  });
});
