// Which model the devnet runs, and the files it serves so a browser can re-run a response.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ZeroHash } from 'ethers';
import {
  checkModelPair,
  countTokenizerPieces,
  fetchModel,
  readCheckpointHeader,
  sha256File,
  type ModelName,
} from '@tt/llm/node';

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
  /** The checkpoint's vocabulary and the tokenizer's pieces; they differ for a mismatched pair (model-check.ts). */
  vocabSize: number;
  tokenizerPieces: number | null;
  /** What is wrong with the pair, for the banner and the UI, or null. */
  warning: string | null;
}

/** What goes on chain for the model; a devnet without model files records a zero hash. */
export interface ModelRecord {
  name: string;
  license: string;
  hash: string;
  seqLen: number;
}

export class ModelUnavailableError extends Error {
  override name = 'ModelUnavailableError';
}

async function readHeader(path: string) {
  const f = await open(path, 'r');
  try {
    const buf = new Uint8Array(28);
    await f.read(buf, 0, 28, 0);
    const header = readCheckpointHeader(buf);
    if (!header)
      throw new ModelUnavailableError(
        `${path} is not a llama2.c checkpoint (bad header): pass a .bin written by llama2.c's export`,
      );
    return header;
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
  const header = await readHeader(files.checkpointPath);
  const pair = checkModelPair(
    header,
    countTokenizerPieces(new Uint8Array(await readFile(files.tokenizerPath))),
  );
  return {
    ...files,
    hash: `0x${both.digest('hex')}`,
    seqLen: header.seqLen,
    vocabSize: pair.vocabSize,
    tokenizerPieces: pair.tokenizerPieces,
    warning: pair.warning,
    checkpointSha256: c.hex,
    tokenizerSha256: t.hex,
    checkpointSize: c.size,
    tokenizerSize: t.size,
  };
}

/** The model of the devnet's options: both files described, or none (then a zero-hash record of the given name). */
export async function resolveModel(o: {
  checkpoint?: string;
  tokenizer?: string;
  modelName?: string;
  modelLicense?: string;
}): Promise<{ model: ResolvedModel | null; record: ModelRecord }> {
  if (!o.checkpoint && !o.tokenizer) {
    return {
      model: null,
      record: { name: o.modelName ?? 'none', license: o.modelLicense ?? 'none', hash: ZeroHash, seqLen: 256 },
    };
  }
  if (!o.checkpoint || !o.tokenizer)
    throw new ModelUnavailableError(
      'pass both a checkpoint and a tokenizer (--checkpoint <file> --tokenizer <file>)',
    );
  const model = await describeModel({
    name: o.modelName ?? basename(o.checkpoint).replace(/\.bin$/, ''),
    license: o.modelLicense ?? 'MIT',
    checkpointPath: o.checkpoint,
    tokenizerPath: o.tokenizer,
  });
  return {
    model,
    record: { name: model.name, license: model.license, hash: model.hash, seqLen: model.seqLen },
  };
}

/** Downloads (once, into the model cache) one of the engine's named models. */
export async function fetchNamedModel(
  name: ModelName,
  onProgress?: (line: string) => void,
): Promise<ModelFiles> {
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
    // The download error explains at length; the devnet lists the options itself, so one clause is enough here.
    const reason = (e as Error).message.split('; ')[0];
    throw new ModelUnavailableError(`cannot get the model ${name}: ${reason}`);
  }
}

/**
 * /models/manifest.json: the model the node runs, with the sha256 of its files. What a verifier trusts is not this
 * file but the chain: the files must hash to the contract's model hash.
 */
export function manifest(m: ResolvedModel) {
  return {
    name: m.name,
    license: m.license,
    hash: m.hash,
    seqLen: m.seqLen,
    vocabSize: m.vocabSize,
    tokenizerPieces: m.tokenizerPieces,
    warnings: m.warning ? [{ code: 'tokenizer-mismatch', message: m.warning }] : [],
    files: {
      checkpoint: { url: '/models/checkpoint.bin', sha256: m.checkpointSha256, size: m.checkpointSize },
      tokenizer: { url: '/models/tokenizer.bin', sha256: m.tokenizerSha256, size: m.tokenizerSize },
    },
  };
}
