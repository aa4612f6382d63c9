// What the devnet needs to run its backend inside the machine (`pnpm dev --machine cartesi`): the image, and the model
// on a drive of its own (files named checkpoint.bin and tokenizer.bin, mounted at /mnt/model), cached by the model's
// contents so that the same model gives the same drive, hence the same machine template, every time.
// `pnpm machine image --json [--checkpoint F --tokenizer F]` prints it; the devnet runs that command.
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DevnetMachineImage } from '@tt/devnet';
import { BANNER, buildMachine } from '../build/index.ts';
import { contentKey, fileHash } from '../build/cache.ts';
import { cacheDir } from '../paths.ts';
import { GUEST_APP_DIR } from '../build/rootfs.ts';
import { makeFilesDrive } from './drives.ts';

const DRIVE_RECIPE = 'model-drive-1';

async function modelDrive(cache: string, checkpoint: string, tokenizer: string): Promise<string> {
  const key = contentKey({ DRIVE_RECIPE, checkpoint: fileHash(checkpoint), tokenizer: fileHash(tokenizer) });
  const dir = join(cache, 'drives');
  const file = join(dir, `model-${key}.ext2`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const work = mkdtempSync(join(dir, 'model-partial-'));
  try {
    const image = await makeFilesDrive(
      [
        { path: checkpoint, name: 'checkpoint.bin' },
        { path: tokenizer, name: 'tokenizer.bin' },
      ],
      { workDir: work, label: 'model' },
    );
    renameSync(image, file);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return file;
}

export async function devnetMachine(
  o: { checkpoint?: string; tokenizer?: string; log?: (line: string) => void } = {},
): Promise<DevnetMachineImage> {
  const image = await buildMachine({ log: o.log });
  const cache = cacheDir();
  return {
    emulatorLuaDir: join(image.emulatorDir, 'lua'),
    linuxBin: image.linuxBin,
    rootfs: image.rootfs,
    modelDrive: o.checkpoint && o.tokenizer ? await modelDrive(cache, o.checkpoint, o.tokenizer) : null,
    backendPath: `${GUEST_APP_DIR}/backend.mjs`,
    rollupServer: '/usr/sbin/tt-rollup-server',
    templatesDir: join(cache, 'templates'),
    banner: BANNER,
    sha256: image.sha256,
  };
}
