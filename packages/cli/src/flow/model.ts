// The model files a command needs (verify and export --verify: the checkpoint and the tokenizer; prompt: the tokenizer
// alone, to count tokens), and the engine loaded from them. From --checkpoint/--tokenizer, else from the node that runs
// the model (docs/interfaces.md: /models/*), else from the model cache for a published model. The files are trusted
// for nothing: a verifier compares their hash with the contract's model hash, and a token count only saves a doomed
// transaction (the backend counts again).
import { readFile } from 'node:fs/promises';
import { TtError, type Hex } from '@tt/client';
import { fromHex, parseReportText } from '@tt/protocol';
import {
  fetchModel,
  loadEngine,
  loadTokenizer,
  MODELS,
  modelHash,
  resolveBackend,
  wasmPaths,
  type Engine,
  type ModelName,
  type Tokenizer,
} from '@tt/llm/node';
import { CliError } from '../errors.ts';

export const MODEL_OPTIONS = { checkpoint: { type: 'string' }, tokenizer: { type: 'string' } } as const;
export const MODEL_USAGE = `  --checkpoint FILE, --tokenizer FILE   the model files (default: from the node's /models/, else the model cache)`;

/** The parsed flags: --checkpoint and --tokenizer among them. */
export type ModelFlags = Record<string, unknown>;

/** Both or neither: a usage error (exit 2) otherwise. */
export function checkModelFlags(values: ModelFlags): void {
  if ((values.checkpoint === undefined) !== (values.tokenizer === undefined))
    throw new CliError('give both --checkpoint and --tokenizer, or neither', undefined, 2);
}

/** One file from the node's /models/. */
async function download(graphqlUrl: string, name: string): Promise<Uint8Array> {
  const url = new URL(`/models/${name}`, graphqlUrl).toString();
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new TtError(
      'node-unreachable',
      `cannot download ${url}: ${(err as Error).message}`,
      'pass --checkpoint and --tokenizer',
      { cause: err },
    );
  }
  if (!res.ok)
    throw new TtError(
      'node-unreachable',
      `${url} answered HTTP ${res.status}`,
      'pass --checkpoint and --tokenizer',
    );
  return new Uint8Array(await res.arrayBuffer());
}

/** The files named `which` (checkpoint.bin, tokenizer.bin): flags, else the node, else the model cache. */
async function files(
  which: ('checkpoint' | 'tokenizer')[],
  values: ModelFlags,
  graphqlUrl: string,
  modelName: string | undefined,
  info: (line: string) => void,
): Promise<Uint8Array[]> {
  if (values.checkpoint !== undefined)
    return Promise.all(which.map(async (w) => new Uint8Array(await readFile(values[w] as string))));
  try {
    if (which.includes('checkpoint')) info('downloading the model from the node…');
    return await Promise.all(which.map((w) => download(graphqlUrl, `${w}.bin`)));
  } catch (err) {
    if (!modelName || !(modelName in MODELS)) throw err;
    info(`${(err as Error).message}; using the ${modelName} files from the model cache instead`);
    const paths = await fetchModel(modelName as ModelName);
    return Promise.all(
      which.map(
        async (w) =>
          new Uint8Array(await readFile(w === 'checkpoint' ? paths.checkpointPath : paths.tokenizerPath)),
      ),
    );
  }
}

/** The base model's files: --checkpoint/--tokenizer, else the node's, else the model cache's. */
export async function baseModelFiles(
  values: ModelFlags,
  graphqlUrl: string,
  modelName: string | undefined,
  info: (line: string) => void,
): Promise<[Uint8Array, Uint8Array]> {
  return (await files(['checkpoint', 'tokenizer'], values, graphqlUrl, modelName, info)) as [
    Uint8Array,
    Uint8Array,
  ];
}

/** The checkpoint and tokenizer the node runs, else the model cache's for a published model (tt teach without flags). */
export async function modelFiles(
  graphqlUrl: string,
  modelName: string | undefined,
  info: (line: string) => void,
): Promise<[Uint8Array, Uint8Array]> {
  return (await files(['checkpoint', 'tokenizer'], {}, graphqlUrl, modelName, info)) as [
    Uint8Array,
    Uint8Array,
  ];
}

/** The engine for re-running responses, and the hash of the model it loaded (compare it with the contract's). */
export async function loadVerifier(
  values: ModelFlags,
  graphqlUrl: string,
  model: { name?: string; hash: string },
  info: (line: string) => void,
): Promise<{ engine: Engine; hash: Hex }> {
  const [checkpoint, tokenizer] = (await files(
    ['checkpoint', 'tokenizer'],
    values,
    graphqlUrl,
    model.name,
    info,
  )) as [Uint8Array, Uint8Array];
  const hash = (await modelHash(checkpoint, tokenizer)) as Hex;
  if (hash.toLowerCase() !== model.hash.toLowerCase())
    info(`warning: these model files hash to ${hash}, the contract's model is ${model.hash}`);
  const backend = resolveBackend('auto');
  const engine = await loadEngine({
    checkpoint,
    tokenizer,
    backend,
    wasm: new Uint8Array(await readFile(wasmPaths()[backend])),
  });
  return { engine, hash };
}

/**
 * The first `pieces` pieces of a llama2.c tokenizer file (int32 max_token_length, then per piece: float score, int32
 * len, len bytes): what the engine reads for a model with that vocabulary, so counts agree with the backend's.
 */
export function firstPieces(tokenizer: Uint8Array, pieces: number): Uint8Array {
  const view = new DataView(tokenizer.buffer, tokenizer.byteOffset, tokenizer.byteLength);
  let off = 4;
  for (let i = 0; i < pieces && off + 8 <= tokenizer.length; i++) off += 8 + view.getInt32(off + 4, true);
  return tokenizer.subarray(0, Math.min(off, tokenizer.length));
}

/** The vocabulary of the model the backend runs, from its model card (GET /inspect/info); undefined if unknown. */
async function backendVocabSize(inspectUrl: string | undefined): Promise<number | undefined> {
  if (!inspectUrl) return undefined;
  try {
    const res = await fetch(`${inspectUrl.replace(/\/+$/, '')}/info`);
    const body = (await res.json()) as { reports?: { payload: string }[] };
    const report = parseReportText(new TextDecoder().decode(fromHex(body.reports?.[0]?.payload ?? '0x')));
    const vocab = report?.type === 'info' ? report.model.config.vocabSize : undefined;
    return typeof vocab === 'number' && Number.isSafeInteger(vocab) && vocab > 0 ? vocab : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The model's tokenizer alone, cut to the model's vocabulary when the backend says it (a model may use fewer pieces
 * than its tokenizer file has), to count a prompt's tokens as the backend will before sending it.
 */
export async function loadModelTokenizer(
  values: ModelFlags,
  node: { graphqlUrl: string; inspectUrl?: string },
  modelName: string | undefined,
  info: (line: string) => void,
): Promise<Tokenizer> {
  const [[file], vocab] = await Promise.all([
    values.tokenizer !== undefined
      ? Promise.all([readFile(values.tokenizer as string).then((b) => new Uint8Array(b))])
      : files(['tokenizer'], {}, node.graphqlUrl, modelName, info),
    backendVocabSize(node.inspectUrl),
  ]);
  const tokenizer = vocab === undefined ? file! : firstPieces(file!, vocab);
  const backend = resolveBackend('auto');
  return loadTokenizer({ tokenizer, backend, wasm: new Uint8Array(await readFile(wasmPaths()[backend])) });
}
