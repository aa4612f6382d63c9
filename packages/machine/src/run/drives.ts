// Drives that carry data into a machine run: an ext2 drive of files (the model), mounted at /mnt/<label>.
import { chmodSync, copyFileSync, mkdirSync, openSync, closeSync, readSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ext2SizeFor, makeExt2 } from '../build/ext2.ts';

export interface FilesDriveOptions {
  /** folder for the staging copy and the image */
  workDir: string;
  label: string;
  /** bytes; default: the files plus a margin */
  size?: number;
  /** flip bits of one byte of the machine's copy of a file (the tests' proof that a changed weight is seen) */
  tamper?: { file: string; offset: number; xor: number };
}

/**
 * Copies the files into an ext2 image (the machine's own copies, named as on the host or as given) and returns the
 * image's path.
 */
export async function makeFilesDrive(
  files: (string | { path: string; name: string })[],
  o: FilesDriveOptions,
): Promise<string> {
  const stage = join(o.workDir, `${o.label}-files`);
  mkdirSync(stage, { recursive: true });
  for (const f of files) {
    const { path, name } = typeof f === 'string' ? { path: f, name: basename(f) } : f;
    copyFileSync(path, join(stage, name));
    chmodSync(join(stage, name), 0o644); // the backend runs as dapp
  }
  if (o.tamper) {
    const fd = openSync(join(stage, basename(o.tamper.file)), 'r+');
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, o.tamper.offset);
    b[0] = b[0]! ^ o.tamper.xor;
    writeSync(fd, b, 0, 1, o.tamper.offset);
    closeSync(fd);
  }
  const image = join(o.workDir, `${o.label}.ext2`);
  await makeExt2(stage, image, {
    step: `${o.label} drive`,
    label: o.label,
    size: o.size ?? ext2SizeFor(stage),
    log: join(o.workDir, `${o.label}-drive.log`),
    sizeHint: `Give the ${o.label} drive more room (its size option), or leave the size out to fit the files`,
  });
  return image;
}
