// Step files on disk for teach() (Node): written atomically (a temporary file renamed over the old one), so a crash
// or a full disk mid-write always leaves the previous step file whole, and the run can resume from it.
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { llmError } from './errors.ts';

/** The step file at path, or undefined when there is none (a fresh run). */
export async function readStepFile(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw llmError(
      'teach-bad-step-file',
      `cannot read the step file ${path} (${(e as Error).message}): fix its permissions, or delete it to start again`,
    );
  }
}

/**
 * Replaces the file at path with data atomically: a temporary file beside it, renamed over it. On a failure (a full
 * disk mid-write) the temporary file is removed and the old file, if any, is untouched; the fs error is rethrown.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** An onStepFile callback for teach() that replaces the file at path atomically. */
export function stepFileWriter(path: string): (state: Uint8Array) => Promise<void> {
  return async (state) => {
    try {
      await writeFileAtomic(path, state);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw llmError(
        'teach-write-failed',
        `cannot write the step file ${path} (${err.code ?? err.message}${err.code === 'ENOSPC' ? ': no space left on the device' : ''}): free some space or choose another folder; the previous step file is intact, so training can resume from it`,
      );
    }
  };
}
