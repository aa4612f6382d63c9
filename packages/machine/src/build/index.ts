// `pnpm machine build`: every step of the machine image, each cached under .cache/cartesi-machine by the hash of
// its inputs, so a second run with nothing changed only checks the keys.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '../paths.ts';
import { fileHash } from './cache.ts';
import type { BuildContext } from './context.ts';
import { downloadDebs } from './debs.ts';
import { buildEmulator } from './emulator.ts';
import { buildGuestTools } from './guest-tools.ts';
import { buildFirmware, buildKernel } from './kernel.ts';
import { buildRootfs } from './rootfs.ts';

export interface MachineImage {
  /** emulator build folder (lua/ holds cartesi.so and the CLI) */
  emulatorDir: string;
  /** OpenSBI + our kernel, the --ram-image */
  linuxBin: string;
  rootfs: string;
  /** sha256 of linux.bin, of rootfs.ext2 and of cartesi.so: equal on two builds of the same inputs */
  sha256: { linuxBin: string; rootfs: string; cartesiSo: string };
  /** steps that were built now rather than taken from the cache */
  built: string[];
}

export const BANNER =
  'Cartesi machine: the real emulator (cartesi/machine-emulator v0.16.1, built from source) with OUR kernel ' +
  '(Debian linux-source-6.1, Sv39) and OUR root filesystem (Debian trixie riscv64, Node 20): its root hashes ' +
  "differ from the Cartesi CLI's images, and the microarchitecture image (disputes only) is built with our own " +
  'integer helpers, so hashes differ from a Cartesi release build too.';

export async function buildMachine(
  o: { log?: (line: string) => void; cache?: string } = {},
): Promise<MachineImage> {
  const ctx: BuildContext = {
    cache: o.cache ?? cacheDir(),
    log: o.log ?? ((l) => process.stderr.write(`${l}\n`)),
  };
  const built: string[] = [];
  const step = async <T extends { built: boolean }>(name: string, p: Promise<T>): Promise<T> => {
    const r = await p;
    if (r.built) built.push(name);
    return r;
  };
  const emulator = await step('emulator', buildEmulator(ctx));
  const kernel = await step('kernel', buildKernel(ctx));
  const firmware = await step('firmware', buildFirmware(ctx, kernel));
  const debs = await step('packages', downloadDebs(ctx));
  const tools = await step('guest tools', buildGuestTools(ctx));
  const rootfs = await step('root filesystem', buildRootfs(ctx, debs, tools));
  const image: MachineImage = {
    emulatorDir: emulator.dir,
    linuxBin: join(firmware.dir, 'linux.bin'),
    rootfs: join(rootfs.dir, 'rootfs.ext2'),
    sha256: {
      linuxBin: fileHash(join(firmware.dir, 'linux.bin')),
      rootfs: readFileSync(join(rootfs.dir, 'rootfs.sha256'), 'utf8').trim(),
      cartesiSo: fileHash(join(emulator.dir, 'lua', 'cartesi.so')),
    },
    built,
  };
  writeFileSync(join(ctx.cache, 'image.json'), JSON.stringify(image, null, 2) + '\n');
  return image;
}
