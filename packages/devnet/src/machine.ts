// `--machine cartesi`: the backend runs inside the real Cartesi machine instead of on the host. The machine image (the
// emulator built from source, our kernel and root filesystem with the backend bundle) and the model's drive come from
// `pnpm machine image --json` (packages/machine, run as a command: it sits above the devnet), and @tt/cartesi-node's
// machine mode runs it; everything else (chain, GraphQL, proofs, claims, UI, CLI) is the same as in host mode.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { getBytes } from 'ethers';
import { shellWord, type MachineOptions } from '@tt/cartesi-node';
import { decodePromptPayload } from '@tt/protocol';
import { machineCli, workspaceRoot } from './layout.js';
import type { ModelRecord, ResolvedModel } from './model.js';

export type MachineKind = 'cartesi';

/**
 * What `pnpm machine image --json` prints: the contract between the devnet and packages/machine (which builds it, in
 * src/run/devnet.ts, typed by this).
 */
export interface DevnetMachineImage {
  /** the emulator's Lua folder: cartesi.so and its Lua modules */
  emulatorLuaDir: string;
  /** OpenSBI + our kernel, the RAM image */
  linuxBin: string;
  rootfs: string;
  /** the model drive (ext2: checkpoint.bin, tokenizer.bin), or null without a model */
  modelDrive: string | null;
  /** inside the machine: the backend bundle, and our rollup server (it runs the backend, like rollup-init) */
  backendPath: string;
  rollupServer: string;
  /** where machine templates are kept */
  templatesDir: string;
  /** says what this machine is (the real emulator, our kernel and root filesystem) */
  banner: string;
  sha256: { linuxBin: string; rootfs: string; cartesiSo: string };
}

export class MachineUnavailableError extends Error {
  override name = 'MachineUnavailableError';
}

/** Builds (or finds in the cache) the machine image and the model's drive; the build's progress goes to `log`. */
function machineImage(model: ResolvedModel, log: (line: string) => void): Promise<DevnetMachineImage> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        machineCli(),
        'image',
        '--json',
        '--checkpoint',
        model.checkpointPath,
        '--tokenizer',
        model.tokenizerPath,
      ],
      { cwd: workspaceRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    const errors: string[] = [];
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    createInterface({ input: child.stderr }).on('line', (l) => {
      errors.push(l);
      log(`machine build: ${l}`);
    });
    child.on('error', (e) =>
      reject(new MachineUnavailableError(`cannot run the machine build: ${e.message}`)),
    );
    child.on('exit', (code) => {
      if (code === 0) return resolve(JSON.parse(out.trim().split('\n').at(-1)!) as DevnetMachineImage);
      // the build's own error says which step failed and what to do (`machine <step>: …`); else the first error line
      const why =
        errors.find((l) => /^machine [\w ]+:/.test(l)) ??
        errors.find((l) => /^\w*Error\b/.test(l)) ??
        errors.filter((l) => l.trim()).at(-1) ??
        `exit code ${code}`;
      reject(
        new MachineUnavailableError(
          `the Cartesi machine could not be built (${why}); ` +
            'see `pnpm machine build`, or run without --machine for the backend on this host',
        ),
      );
    });
  });
}

/** An input's work for the ETA: two responses of `steps` positions each; nothing for what is not a prompt. */
function promptWork(payload: string): number | null {
  try {
    return 2 * decodePromptPayload(getBytes(payload)).steps;
  } catch {
    return null;
  }
}

/**
 * The machine the node runs: the image, the model at /mnt/model, and as its entrypoint our rollup server running
 * the backend bundle with the same configuration the host-mode backend gets.
 */
export async function devnetMachineOptions(
  contract: string,
  record: ModelRecord,
  model: ResolvedModel | null,
  log: (line: string) => void,
): Promise<{ options: MachineOptions; banner: string }> {
  if (!model)
    throw new MachineUnavailableError(
      '--machine cartesi needs a model: the backend cannot start without one',
    );
  const image = await machineImage(model, log);
  const env = {
    TT_CONTRACT: contract,
    TT_MODEL_NAME: record.name,
    TT_MODEL_LICENSE: record.license,
    TT_CHECKPOINT: '/mnt/model/checkpoint.bin',
    TT_TOKENIZER: '/mnt/model/tokenizer.bin',
  };
  const backend = `${Object.entries(env)
    .map(([k, v]) => `${k}=${shellWord(v)}`)
    .join(' ')} node ${image.backendPath}`;
  return {
    banner: image.banner,
    options: {
      emulatorLuaDir: image.emulatorLuaDir,
      ramImage: image.linuxBin,
      rootfs: image.rootfs,
      drives: [{ label: 'model', file: image.modelDrive!, mount: '/mnt/model' }],
      entrypoint: `${image.rollupServer} ${shellWord(backend)}`,
      templatesDir: image.templatesDir,
      inputWork: promptWork,
    },
  };
}
