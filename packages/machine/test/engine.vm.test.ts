// The engine inside the real Cartesi machine (riscv64 Linux, Debian's Node 20, the WASM scalar build) gives the
// same tokens, bytes and logits bits as on this x86 host, for @tt/llm's stories260K bit-exactness cases.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEngine } from '@tt/llm';
import { wasmPaths } from '@tt/llm/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { readDrive } from '@tt/dapp/batch';
import { STORIES260K_CASES } from '@tt/llm/testing';
import { runCase, type EngineCaseResult } from '../guest/engine-run.ts';
import { makeFilesDrive } from '../src/run/drives.ts';
import { blankDrive, type Drive } from '../src/run/machine.ts';
import { models, run, workDir } from './vm.ts';

interface MachineResults {
  arch: string;
  backend: string;
  results: EngineCaseResult[];
}

async function casesInMachine(tamper?: { offset: number }): Promise<MachineResults> {
  const dir = workDir('engine');
  const drives: Drive[] = [
    {
      label: 'model',
      file: await makeFilesDrive([models.checkpoint, models.tokenizer], {
        workDir: dir,
        label: 'model',
        tamper: tamper && { file: models.checkpoint, offset: tamper.offset, xor: 0x01 },
      }),
    },
    {
      label: 'out',
      file: blankDrive(join(dir, 'out.bin'), 4 << 20),
      shared: true,
      mount: false,
      user: 'dapp',
    },
  ];
  const r = await run(`engine cases in the machine${tamper ? ' (one weight bit flipped)' : ''}`, {
    command:
      'node /opt/tt/tt-engine.mjs cases /mnt/model/stories260K.bin /mnt/model/tokenizer.bin /dev/pmem2',
    drives,
  });
  expect(r.exitCode, r.console.slice(-2000)).toBe(0);
  return JSON.parse(readDrive(drives[1]!.file)) as MachineResults;
}

/** Every case equal: tokens, bytes, and each forward pass's logits fingerprint. */
function compare(machine: EngineCaseResult[], host: EngineCaseResult[]): string[] {
  const diffs: string[] = [];
  for (const [i, h] of host.entries()) {
    const m = machine[i];
    if (!m) diffs.push(`${h.name}: missing`);
    else
      for (const k of ['tokens', 'bytes', 'logits'] as const)
        if (JSON.stringify(m[k]) !== JSON.stringify(h[k])) diffs.push(`${h.name}: ${k} differ`);
  }
  return diffs;
}

describe.skipIf(!models.available)(
  `engine bit-exactness in the Cartesi machine${models.available ? '' : ` [SKIPPED: ${models.missingReason}]`}`,
  () => {
    let host: { scalar: EngineCaseResult[]; simd: EngineCaseResult[] };

    beforeAll(async () => {
      const checkpoint = new Uint8Array(readFileSync(models.checkpoint));
      const tokenizer = new Uint8Array(readFileSync(models.tokenizer));
      const at = async (backend: 'scalar' | 'simd') => {
        const engine = await loadEngine({
          checkpoint,
          tokenizer,
          backend,
          wasm: new Uint8Array(readFileSync(wasmPaths()[backend])),
        });
        return STORIES260K_CASES.map((c) => runCase(engine, c));
      };
      host = { scalar: await at('scalar'), simd: await at('simd') };
      expect(compare(host.scalar, host.simd)).toEqual([]);
    });

    it('stories260K on riscv64 Node (WASM scalar): tokens, bytes and every logits bit equal x86, greedy, sampled and full context', async () => {
      const m = await casesInMachine();
      expect(m.arch).toBe('riscv64');
      expect(m.backend).toBe('scalar');
      for (const c of STORIES260K_CASES.filter((c) => c.fullLength)) {
        expect(m.results.find((r) => r.name === c.name)!.logits, `${c.name}: forward passes`).toHaveLength(
          c.steps,
        );
      }
      const passes = m.results.reduce((n, r) => n + r.logits.length, 0);
      console.log(`${passes} forward passes compared`);
      expect(compare(m.results, host.scalar)).toEqual([]);
    });

    it("one flipped bit in the machine's copy of the weights is caught", async () => {
      // a byte inside the first layer's attention weights (after the 28-byte header and the embedding table)
      const m = await casesInMachine({ offset: 28 + 4 * (512 * 64) + 4 * 64 + 1001 });
      const diffs = compare(m.results, host.scalar);
      console.log(`with the flipped bit: ${diffs.join('; ')}`);
      expect(diffs.length).toBeGreaterThan(0);
    });
  },
);
