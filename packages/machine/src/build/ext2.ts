// ext2 images made with mke2fs -d (no root, no mount), reproducibly: a fixed UUID and hash seed, mke2fs's clock
// pinned with E2FSPROGS_FAKE_TIME, and every file's times set to 0 first.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SOURCE_DATE_EPOCH } from './context.ts';
import { exec } from './exec.ts';
import { MachineError } from './errors.ts';

const UUID = '5454f1c4-1d4f-4e5e-8b53-3a4b06a6ad51';
const BLOCK = 4096;

/** Bytes the files under `dir` take in an ext2 file system: whole blocks, plus an inode and an entry for each. */
export function ext2Footprint(dir: string): number {
  let bytes = 0;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      bytes += 256 + 16 + name.length; // inode, directory entry
      if (st.isDirectory()) {
        bytes += BLOCK;
        walk(p);
      } else if (st.isFile()) {
        const blocks = Math.ceil(st.size / BLOCK);
        bytes += blocks * BLOCK + (blocks > 12 ? Math.ceil(blocks / 1024) * BLOCK + BLOCK : 0); // indirect blocks
      }
    }
  };
  walk(dir);
  return bytes;
}

/** A size with room for the files, the file system's own tables and a margin: whole MiB. */
export function ext2SizeFor(dir: string): number {
  const mib = 1024 * 1024;
  return Math.ceil((ext2Footprint(dir) * 1.1) / mib + 8) * mib;
}

export interface Ext2Options {
  /** names the step in errors, e.g. 'root filesystem' or 'model drive' */
  step: string;
  label: string;
  /** bytes, a multiple of 4 KiB (flash drives must be) */
  size: number;
  log: string;
  /** what to change when it is too small */
  sizeHint: string;
}

export async function makeExt2(dir: string, image: string, o: Ext2Options): Promise<void> {
  if (o.size % BLOCK !== 0)
    throw new MachineError(o.step, `size ${o.size} is not a multiple of 4 KiB`, o.sizeHint);
  // the file system's own tables (superblocks, group descriptors, bitmaps, inode tables) take about 2% here
  const need = ext2Footprint(dir);
  const room = Math.floor(o.size * 0.96);
  if (need > room) {
    const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;
    throw new MachineError(
      o.step,
      `the ${o.step} (${mib(o.size)}) is too small for its files (${mib(need)} in ext2 blocks, plus the file system's tables)`,
      o.sizeHint,
    );
  }
  await exec('touch', 'find', [dir, '-exec', 'touch', '-h', '-d', `@${SOURCE_DATE_EPOCH}`, '{}', '+'], {
    log: o.log,
    next: 'cannot set file times',
  });
  const blocks = o.size / BLOCK;
  const inodes = Math.max(256, Math.ceil(countEntries(dir) * 1.2) + 64);
  await exec(
    o.step,
    'mke2fs',
    [
      '-q',
      '-F',
      '-t',
      'ext2',
      '-b',
      String(BLOCK),
      '-m',
      '0',
      '-N',
      String(inodes),
      '-L',
      o.label,
      '-U',
      UUID,
      '-E',
      `hash_seed=${UUID},root_owner=0:0`,
      '-d',
      dir,
      image,
      String(blocks),
    ],
    {
      env: { E2FSPROGS_FAKE_TIME: SOURCE_DATE_EPOCH },
      log: o.log,
      next: `mke2fs could not make the ${o.step}; if it ran out of space: ${o.sizeHint}`,
    },
  );
}

function countEntries(dir: string): number {
  let n = 1;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    n += lstatSync(p).isDirectory() ? countEntries(p) : 1;
  }
  return n;
}
