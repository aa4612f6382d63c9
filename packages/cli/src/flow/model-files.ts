// The model files a command re-runs the model with (tt verify, tt teach): the node's own (docs/interfaces.md: the same
// files the browser verifier uses), or, where the node does not serve them (a testnet), the model cache.
import { readFile } from 'node:fs/promises';
import { TtError } from '@tt/client';
import { fetchModel, MODELS, type ModelName } from '@tt/llm/node';

/**
 * The model files, from the node that runs them (docs/interfaces.md: the same files the browser verifier uses), or,
 * when the node does not serve them (a testnet), from the local model cache for a published model.
 */
export async function modelFiles(
  graphqlUrl: string,
  name: string | undefined,
  info: (line: string) => void,
): Promise<[Uint8Array, Uint8Array]> {
  try {
    return await downloadModel(graphqlUrl, info);
  } catch (err) {
    if (!name || !(name in MODELS)) throw err;
    info(`${(err as Error).message}; using the ${name} files from the model cache instead`);
    const paths = await fetchModel(name as ModelName);
    return Promise.all([readFile(paths.checkpointPath), readFile(paths.tokenizerPath)]) as Promise<
      [Uint8Array, Uint8Array]
    >;
  }
}

/** The node serves the model it runs (docs/interfaces.md): the same files the browser verifier uses. */
async function downloadModel(
  graphqlUrl: string,
  info: (line: string) => void,
): Promise<[Uint8Array, Uint8Array]> {
  const get = async (name: string) => {
    const url = new URL(`/models/${name}`, graphqlUrl).toString();
    let res: Response;
    try {
      res = await fetch(url);
    } catch (err) {
      throw new TtError(
        'node-unreachable',
        `cannot download ${url}: ${(err as Error).message}`,
        'pass --checkpoint and --tokenizer',
        {
          cause: err,
        },
      );
    }
    if (!res.ok)
      throw new TtError(
        'node-unreachable',
        `${url} answered HTTP ${res.status}`,
        'pass --checkpoint and --tokenizer',
      );
    return new Uint8Array(await res.arrayBuffer());
  };
  info('downloading the model from the node…');
  return Promise.all([get('checkpoint.bin'), get('tokenizer.bin')]);
}
