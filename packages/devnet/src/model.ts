// Which model the devnet runs, and the files it serves so a browser can re-run a response.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { basename } from 'node:path';

export interface ModelFiles {
  name: string;
  license: string;
  checkpointPath: string;
  tokenizerPath: string;
}

export interface ResolvedModel extends ModelFiles {
  /** sha256(checkpoint ‖ tokenizer) (docs/interfaces.md "Model identity"). */
  hash: `0x${string}`;
  seqLen: number;
  checkpointSha256: string;
  tokenizerSha256: string;
  checkpointSize: number;
  tokenizerSize: number;
}

export class ModelUnavailableError extends Error {}

function sha256File(
  path: string,
  also?: ReturnType<typeof createHash>,
): Promise<{ hex: string; size: number }> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    let size = 0;
    createReadStream(path)
      .on('data', (c) => {
        const chunk = c as Buffer;
        size += chunk.length;
        h.update(chunk);
        also?.update(chunk);
      })
      .on('end', () => resolve({ hex: h.digest('hex'), size }))
      .on('error', reject);
  });
}

async function readSeqLen(path: string): Promise<number> {
  const { readCheckpointHeader } = await import('@tt/llm');
  const { open } = await import('node:fs/promises');
  const f = await open(path, 'r');
  try {
    const buf = new Uint8Array(28);
    await f.read(buf, 0, 28, 0);
    const header = readCheckpointHeader(buf);
    if (!header)
      throw new ModelUnavailableError(
        `${path} is not a llama2.c checkpoint (bad header): pass a .bin written by llama2.c's export`,
      );
    return header.seqLen;
  } finally {
    await f.close();
  }
}

/** Hashes the files and reads the context length from the checkpoint header. */
export async function describeModel(files: ModelFiles): Promise<ResolvedModel> {
  for (const [what, p] of [
    ['checkpoint', files.checkpointPath],
    ['tokenizer', files.tokenizerPath],
  ] as const) {
    if (!existsSync(p))
      throw new ModelUnavailableError(
        `the ${what} file ${p} does not exist: pass an existing file with --${what}`,
      );
  }
  const both = createHash('sha256');
  const c = await sha256File(files.checkpointPath, both);
  const t = await sha256File(files.tokenizerPath, both);
  return {
    ...files,
    hash: `0x${both.digest('hex')}`,
    seqLen: await readSeqLen(files.checkpointPath),
    checkpointSha256: c.hex,
    tokenizerSha256: t.hex,
    checkpointSize: c.size,
    tokenizerSize: t.size,
  };
}

/** Downloads (once, into the model cache) one of the engine's named models. */
export async function fetchNamedModel(
  name: 'stories15M' | 'stories260K',
  onProgress?: (line: string) => void,
): Promise<ModelFiles> {
  const { fetchModel } = await import('@tt/llm/node');
  let lastShown = 0;
  try {
    const { checkpointPath, tokenizerPath } = await fetchModel(name, {
      onProgress: (p) => {
        const now = Date.now();
        if (now - lastShown < 1000 && p.received !== p.total) return;
        lastShown = now;
        const pct = p.total ? ` ${((100 * p.received) / p.total).toFixed(0)}%` : '';
        onProgress?.(`model: downloading ${p.fileName}${pct} (${(p.received / 1e6).toFixed(1)} MB)`);
      },
    });
    return { name, license: 'MIT', checkpointPath, tokenizerPath };
  } catch (e) {
    throw new ModelUnavailableError(
      `cannot download the default model ${name} (${(e as Error).message}). ` +
        'Run with a model file instead: --checkpoint ../shared/models/stories260K.bin --tokenizer ../shared/models/tokenizer.bin ' +
        '(or set TT_CHECKPOINT and TT_TOKENIZER).',
    );
  }
}

export function modelFromFiles(
  checkpointPath: string,
  tokenizerPath: string,
  name?: string,
  license?: string,
): ModelFiles {
  return {
    name: name ?? basename(checkpointPath).replace(/\.bin$/, ''),
    license: license ?? 'MIT',
    checkpointPath,
    tokenizerPath,
  };
}

export function manifest(
  m: ResolvedModel,
  engineFiles: Record<string, string>,
  engineSha: Record<string, string>,
) {
  return {
    name: m.name,
    license: m.license,
    hash: m.hash,
    seqLen: m.seqLen,
    files: {
      checkpoint: { url: '/models/checkpoint.bin', sha256: m.checkpointSha256, size: m.checkpointSize },
      tokenizer: { url: '/models/tokenizer.bin', sha256: m.tokenizerSha256, size: m.tokenizerSize },
    },
    engine: Object.fromEntries(
      Object.keys(engineFiles).map((f) => [f, { url: `/engine/${f}`, sha256: engineSha[f] }]),
    ),
  };
}

export { sha256File };
