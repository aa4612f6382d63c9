// A data drive: one UTF-8 document at offset 0, then zero bytes to the end. Inside the Cartesi machine a drive is a
// raw flash drive (/dev/pmemN, no file system to mount); on the host it is a plain file. JSON never contains a zero
// byte, so the document ends at the first one. The machine's tools (packages/machine) read and write the same format.
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';

export function readDrive(path: string): string {
  const bytes = readFileSync(path);
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end === -1 ? bytes.length : end).toString('utf8');
}

/**
 * Writes the document and a terminating zero byte at offset 0 and flushes them, so they reach the drive before the
 * machine halts. A plain file that does not exist yet is created.
 */
export function writeDrive(path: string, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    fd = openSync(path, 'w+');
  }
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off, off);
    writeSync(fd, Buffer.alloc(1), 0, 1, bytes.length);
    fsyncSync(fd);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new Error(
      err.code === 'ENOSPC'
        ? `${path} is too small for the ${bytes.length + 1}-byte document: give it a bigger drive`
        : `cannot write ${path}: ${err.message}`,
    );
  } finally {
    closeSync(fd);
  }
}
