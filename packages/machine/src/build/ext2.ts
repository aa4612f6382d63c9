// ext2 images made with mke2fs -d (no root, no mount), reproducibly: a fixed UUID and hash seed, every file's times
// set to 0 first, and afterwards every time mke2fs stamped from the clock (Debian 12's e2fsprogs 1.47.0 ignores
// E2FSPROGS_FAKE_TIME) or copied from the host (each inode's ctime: when the file was staged) zeroed in the image.
import { closeSync, lstatSync, openSync, readdirSync, readSync, writeSync } from 'node:fs';
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
  zeroExt2Times(image);
}

/**
 * Zeroes the times of an ext2 image in place: the superblock's (mount, write, last check, creation) and every inode's
 * atime, ctime, mtime and extra-time fields. ext2 as mke2fs makes it here has no metadata checksums to update.
 */
export function zeroExt2Times(image: string): void {
  const fd = openSync(image, 'r+');
  try {
    const sb = Buffer.alloc(1024);
    readSync(fd, sb, 0, 1024, 1024);
    if (sb.readUInt16LE(0x38) !== 0xef53) throw new Error(`${image} is not an ext2 image`);
    const blockSize = 1024 << sb.readUInt32LE(0x18);
    const blocks = sb.readUInt32LE(0x04);
    const firstData = sb.readUInt32LE(0x14);
    const blocksPerGroup = sb.readUInt32LE(0x20);
    const inodesPerGroup = sb.readUInt32LE(0x28);
    const inodeSize = sb.readUInt16LE(0x58);
    for (const at of [0x2c, 0x30, 0x40, 0x108]) sb.writeUInt32LE(0, at); // mtime, wtime, lastcheck, mkfs_time
    writeSync(fd, sb, 0, 1024, 1024);
    const groups = Math.ceil((blocks - firstData) / blocksPerGroup);
    const gdt = Buffer.alloc(groups * 32);
    readSync(fd, gdt, 0, gdt.length, (firstData + 1) * blockSize);
    const table = Buffer.alloc(inodesPerGroup * inodeSize);
    // the backup superblocks (sparse_super: groups 1, 3^n, 5^n, 7^n) carry the same times
    const backup = Buffer.alloc(1024);
    for (let g = 1; g < groups; g++) {
      const at = (firstData + g * blocksPerGroup) * blockSize;
      readSync(fd, backup, 0, 1024, at);
      if (backup.readUInt16LE(0x38) !== 0xef53) continue;
      for (const f of [0x2c, 0x30, 0x40, 0x108]) backup.writeUInt32LE(0, f);
      writeSync(fd, backup, 0, 1024, at);
    }
    for (let g = 0; g < groups; g++) {
      const at = gdt.readUInt32LE(g * 32 + 8) * blockSize; // bg_inode_table
      readSync(fd, table, 0, table.length, at);
      for (let i = 0; i < inodesPerGroup; i++) {
        const o = i * inodeSize;
        for (const f of [0x08, 0x0c, 0x10]) table.writeUInt32LE(0, o + f); // atime, ctime, mtime
        const extra = inodeSize > 128 ? table.readUInt16LE(o + 0x80) : 0;
        for (let f = 0x84; f < Math.min(0x98, 0x80 + extra); f += 4) table.writeUInt32LE(0, o + f); // *_extra, crtime
      }
      writeSync(fd, table, 0, table.length, at);
    }
  } finally {
    closeSync(fd);
  }
}

function countEntries(dir: string): number {
  let n = 1;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    n += lstatSync(p).isDirectory() ? countEntries(p) : 1;
  }
  return n;
}
