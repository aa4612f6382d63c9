// Where a training run keeps its files, and how they are written so that nothing is ever half there: each file goes
// to a temporary name and is renamed into place (atomic on one file system), model.json last, so a folder with a
// model.json holds a whole result. The step file stays until every output is written: a full disk at the very end
// costs a re-run of the same command, which resumes from it without training again.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeHyperParameters, LlmError, writeFileAtomic, type HyperParameters } from '@tt/llm/node';
import { concat, keccak256 } from 'ethers';
import type { Hex } from '@tt/protocol';

export const OUTPUT_FILES = { model: 'model.bin', manifest: 'model.json', plot: 'training.svg' } as const;

/**
 * A short hash of the run's inputs (base model, dataset commitment, every hyper-parameter): the default folder's name
 * and the step file's, so running the same command again finds the run it continues, and another run never does.
 */
export function runKey(parentHash: Hex, datasetCommitment: Hex, hp: HyperParameters): string {
  return keccak256(concat([parentHash, datasetCommitment, encodeHyperParameters(hp)])).slice(2, 14);
}

export function defaultOutDir(repoRoot: string, key: string): string {
  return join(repoRoot, '.tt', 'teach', key);
}

export function stepFilePath(outDir: string, key: string): string {
  return join(outDir, `train-${key}.step`);
}

const NO_ROOM = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/** The error for a file that could not be written: what happened, and that the run can resume. */
export function writeFailed(path: string, err: NodeJS.ErrnoException, stepFile: string | null): LlmError {
  const why = NO_ROOM.has(err.code ?? '')
    ? `${err.code}: no room for it on that disk`
    : (err.code ?? err.message);
  const resume = stepFile
    ? `; the step file ${stepFile} is intact: run the same command again and it resumes from there without training again`
    : '';
  return new LlmError(
    'teach-write-failed',
    `cannot write ${path} (${why}): free some space or choose another folder with --out${resume}`,
  );
}

export async function ensureDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw writeFailed(dir, e as NodeJS.ErrnoException, null);
  }
}

/**
 * Writes the files in the order given, each through a temporary file renamed into place. On a failure the temporary
 * file is removed and LlmError teach-write-failed names the file; files already renamed are whole.
 */
export async function writeOutputs(
  dir: string,
  files: readonly (readonly [name: string, bytes: Uint8Array | string])[],
  stepFile: string | null,
): Promise<void> {
  await ensureDir(dir);
  for (const [name, bytes] of files) {
    const path = join(dir, name);
    try {
      await writeFileAtomic(path, bytes);
    } catch (e) {
      throw writeFailed(path, e as NodeJS.ErrnoException, stepFile);
    }
  }
}
