// The machine's own programs: our small static C tools (guest/c) cross-compiled for riscv64, and tt-engine.mjs, the
// engine's program (guest/engine-main.ts) bundled for the machine's Node, with the trainer's scalar build it loads.
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { packageDir } from '../paths.ts';
import { trainWasmPaths } from '@tt/llm/node';
import { cachedStep, contentKey, fileHash, treeHash, type StepResult } from './cache.ts';
import type { BuildContext } from './context.ts';
import { capture, exec } from './exec.ts';
import { HOST_PACKAGES, ensureHostPackages } from './host-packages.ts';

export const GUEST_C = join(packageDir, 'guest', 'c');
const GUEST_TS = join(packageDir, 'guest');
const RECIPE = 'guest-tools-recipe-2';

/** guest/engine-main.ts and everything it imports (@tt/llm, @tt/dapp/batch), as one file for the machine's Node. */
async function bundleEngineProgram(): Promise<Uint8Array> {
  const r = await build({
    entryPoints: [join(GUEST_TS, 'engine-main.ts')],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    legalComments: 'none',
    logLevel: 'warning',
  });
  return r.outputFiles[0]!.contents;
}

/** The trainer's scalar build (tt-engine.mjs teach): beside tt-engine.mjs in the machine. */
const trainWasm = () => trainWasmPaths().scalar;

/** guest/c/<name>.c → bin/tt-<name> */
export async function buildGuestTools(ctx: BuildContext): Promise<StepResult> {
  await ensureHostPackages('guest tools', HOST_PACKAGES.guestTools, { log: ctx.log });
  const gcc = (await capture('riscv64-linux-gnu-gcc', ['--version'])).out.split('\n')[0] ?? '';
  // the key covers exactly what goes into the machine: the C sources, and the bundle's and the trainer's bytes
  const engineProgram = await bundleEngineProgram();
  const key = contentKey({
    RECIPE,
    gcc,
    c: treeHash(GUEST_C),
    engine: engineProgram,
    train: fileHash(trainWasm()),
  });
  return cachedStep(ctx.cache, 'guest-tools', key, async (out) => {
    const log = join(out, 'build.log');
    const next =
      'A guest program did not compile: read the log, fix packages/machine/guest and run `pnpm machine build` again';
    // guest/c/<name>.c and guest/c/<name>/*.c are programs (tt-<name>); lib/ is linked into each; test/ is host-only
    const lib = readdirSync(join(GUEST_C, 'lib'))
      .filter((f) => f.endsWith('.c'))
      .map((f) => join(GUEST_C, 'lib', f));
    const programs = readdirSync(GUEST_C, { withFileTypes: true }).flatMap((e) => {
      if (e.isFile() && e.name.endsWith('.c'))
        return [{ name: e.name.replace(/\.c$/, ''), sources: [join(GUEST_C, e.name)] }];
      if (e.isDirectory() && e.name !== 'lib' && e.name !== 'test') {
        const dir = join(GUEST_C, e.name);
        const sources = readdirSync(dir)
          .filter((f) => f.endsWith('.c'))
          .map((f) => join(dir, f));
        return [{ name: e.name, sources }];
      }
      return [];
    });
    for (const p of programs) {
      const bin = join(out, `tt-${p.name}`);
      await exec(
        'guest tools',
        'riscv64-linux-gnu-gcc',
        ['-static', '-O2', '-Wall', '-Werror', '-o', bin, ...p.sources, ...lib],
        { log, next },
      );
      await exec('guest tools', 'riscv64-linux-gnu-strip', [bin], { log, next });
    }
    writeFileSync(join(out, 'tt-engine.mjs'), engineProgram);
    copyFileSync(trainWasm(), join(out, 'llm-train-scalar.wasm'));
  });
}
