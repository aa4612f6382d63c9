// Issue 11 in the machine: DPO training (@tt/llm's teach, the scalar trainer) on riscv64 Node inside the real Cartesi
// machine gives the same trained checkpoint (modelHash) as on this x86 host, from pairs the model sampled itself.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEngine } from '@tt/llm';
import { trainWasmPaths, wasmPaths } from '@tt/llm/node';
import { readDrive } from '@tt/dapp/batch';
import { describe, expect, it } from 'vitest';
import { runTeachCase, TEACH_CASE, type TeachCaseResult } from '../guest/engine-run.ts';
import { makeFilesDrive } from '../src/run/drives.ts';
import { blankDrive, type Drive } from '../src/run/machine.ts';
import { models, run, workDir } from './vm.ts';

describe.skipIf(!models.available)(
  `DPO training in the Cartesi machine${models.available ? '' : ` [SKIPPED: ${models.missingReason}]`}`,
  () => {
    it(`trains ${TEACH_CASE.pairs} pairs of stories260K to the same modelHash as x86 (WASM scalar trainer)`, async () => {
      const checkpoint = new Uint8Array(readFileSync(models.checkpoint));
      const tokenizer = new Uint8Array(readFileSync(models.tokenizer));
      const engine = await loadEngine({
        checkpoint,
        tokenizer,
        backend: 'scalar',
        wasm: new Uint8Array(readFileSync(wasmPaths().scalar)),
      });
      const host = await runTeachCase(
        engine,
        checkpoint,
        tokenizer,
        new Uint8Array(readFileSync(trainWasmPaths().scalar)),
      );
      engine.dispose();

      const dir = workDir('teach');
      const drives: Drive[] = [
        {
          label: 'model',
          file: await makeFilesDrive([models.checkpoint, models.tokenizer], { workDir: dir, label: 'model' }),
        },
        {
          label: 'out',
          file: blankDrive(join(dir, 'out.bin'), 1 << 20),
          shared: true,
          mount: false,
          user: 'dapp',
        },
      ];
      const r = await run('DPO training in the machine', {
        command:
          'node /opt/tt/tt-engine.mjs teach /mnt/model/stories260K.bin /mnt/model/tokenizer.bin /dev/pmem2',
        drives,
      });
      expect(r.exitCode, r.console.slice(-2000)).toBe(0);
      const machine = JSON.parse(readDrive(drives[1]!.file)) as TeachCaseResult & { arch: string };
      expect(machine.arch).toBe('riscv64');
      expect(machine.pairs).toEqual(host.pairs); // the sampled pairs first: a difference there is inference's
      expect(machine.losses).toEqual(host.losses);
      expect(machine.modelHash).toBe(host.modelHash);
      expect(host.modelHash).not.toBe(
        await import('@tt/llm').then((m) => m.modelHash(checkpoint, tokenizer)),
      );
      console.log(`trained model ${host.modelHash}, losses ${host.losses.join(', ')}`);
    });
  },
);
