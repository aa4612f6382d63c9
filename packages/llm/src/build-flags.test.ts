// Every build keeps the flags its determinism rests on, and they do what they are for: given a CPU with fused
// multiply-add (x86-64-v3; riscv64, whose base ISA has it), gcc with the builds' flags emits no fused instruction in
// the kernels, while the same compile without -ffp-contract=off does (so this test can see the flag go).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DETERMINISM_FLAGS, nativeTargets, wasmTargets, type Target } from '../scripts/targets.ts';
import { packageDir } from './paths.ts';

function has(cc: string): boolean {
  try {
    execFileSync(cc, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Assembly of the kernels (matmul.c) as the target's compiler makes it with these flags. */
function assembly(t: Target, flags: string[]): string {
  const compileFlags = flags.filter((f) => f !== '-static');
  return execFileSync(t.cc, [...compileFlags, '-S', '-o', '-', join(packageDir, 'c', 'matmul.c')], {
    encoding: 'utf8',
  });
}

const withoutContractOff = (flags: string[]) => flags.filter((f) => f !== '-ffp-contract=off');

describe('build flags', () => {
  for (const t of [...wasmTargets, ...nativeTargets])
    it(`${t.out} is built with ${DETERMINISM_FLAGS.join(' ')}`, () => {
      for (const f of DETERMINISM_FLAGS) expect(t.flags).toContain(f);
      expect(
        t.flags.some(
          (f) =>
            /fast-math|-Ofast|fp-contract=(fast|on)|relaxed-simd$/.test(f) &&
            f !== '-fno-fast-math' &&
            f !== '-mno-relaxed-simd',
        ),
      ).toBe(false);
    });

  for (const t of wasmTargets)
    it(`${t.out} turns relaxed SIMD off (its fused multiply-add)`, () =>
      expect(t.flags).toContain('-mno-relaxed-simd'));

  const x86 = nativeTargets.find((t) => t.cc === 'gcc')!;
  it.skipIf(process.arch !== 'x64' || !has('gcc'))(
    `${x86.out}: gcc fuses nothing for an FMA-capable x86-64, and would without -ffp-contract=off`,
    () => {
      const cpu = ['-march=x86-64-v3'];
      expect(assembly(x86, [...x86.flags, ...cpu])).not.toMatch(/vfn?m(add|sub)\d+[ps]s/);
      expect(assembly(x86, [...withoutContractOff(x86.flags), ...cpu])).toMatch(/vfn?m(add|sub)\d+[ps]s/);
    },
  );

  const rv = nativeTargets.find((t) => t.cc === 'riscv64-linux-gnu-gcc')!;
  it.skipIf(!has(rv.cc))(
    `${rv.out}: riscv64 gcc fuses nothing, and would without -ffp-contract=off${has(rv.cc) ? '' : ' — SKIPPED: no riscv64-linux-gnu-gcc (pnpm bench:riscv installs it)'}`,
    () => {
      expect(assembly(rv, rv.flags)).not.toMatch(/\bfn?m(add|sub)\.s\b/);
      expect(assembly(rv, withoutContractOff(rv.flags))).toMatch(/\bfn?m(add|sub)\.s\b/);
    },
  );
});
