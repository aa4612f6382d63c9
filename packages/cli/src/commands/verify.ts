// tt verify ID: re-run the inference with the recorded seeds and parameters and compare with the chain, byte for byte.
import { readFile } from 'node:fs/promises';
import { readConversation, trustAndTeach, TtError, verifyConversation, type Hex } from '@tt/client';
import {
  fetchModel,
  loadEngine,
  MODELS,
  modelHash,
  resolveBackend,
  wasmPaths,
  type Engine,
  type ModelName,
} from '@tt/llm/node';
import { CliError } from '../errors.ts';
import { conversationIdArg } from '../flow/args.ts';
import { connect, readOptions } from '../flow/context.ts';
import { preview } from '../flow/present.ts';
import { runFlow } from '../flow/run.ts';

const usage = `tt verify ID [--checkpoint FILE --tokenizer FILE]

Re-runs both responses locally with the recorded seeds and parameters and says whether the on-chain texts are exactly
what the model produces, and whether they match the hashes the contract stores. Exit code 3 on a mismatch.
  --checkpoint FILE, --tokenizer FILE   the model files (default: from the node's /models/, else the model cache)`;

const options = { checkpoint: { type: 'string' }, tokenizer: { type: 'string' } } as const;

export async function run(argv: string[]): Promise<number> {
  return runFlow(argv, { usage, options }, async ({ values, positionals }, out) => {
    const id = conversationIdArg(positionals, usage);
    if ((values.checkpoint === undefined) !== (values.tokenizer === undefined)) {
      throw new CliError('give both --checkpoint and --tokenizer, or neither', undefined, 2);
    }
    const conn = await connect(values);
    let engine: Engine | undefined;
    try {
      const conversation = await readConversation({
        ...readOptions(conn),

        id,
      });
      if (!conversation.responses[0] || !conversation.responses[1]) {
        throw new TtError(
          'responses-not-posted',
          `conversation ${id} has ${conversation.responses.filter(Boolean).length} of 2 responses on chain: nothing to verify yet`,
          `post them first: \`pnpm tt post ${id} --wait\``,
        );
      }
      const files = values.checkpoint
        ? await Promise.all([readFile(values.checkpoint as string), readFile(values.tokenizer as string)])
        : await modelFiles(conn.graphqlUrl, conn.deployments.model?.name, out.info);
      const [checkpoint, tokenizer] = files.map((b) => new Uint8Array(b)) as [Uint8Array, Uint8Array];
      const loadedHash = (await modelHash(checkpoint, tokenizer)) as Hex;
      if (loadedHash.toLowerCase() !== conversation.modelHash.toLowerCase()) {
        out.info(
          `warning: these model files hash to ${loadedHash}, the contract's model is ${conversation.modelHash}`,
        );
      }
      const backend = resolveBackend('auto');
      engine = await loadEngine({
        checkpoint,
        tokenizer,
        backend,
        wasm: new Uint8Array(await readFile(wasmPaths()[backend])),
      });
      const result = await verifyConversation(engine, conversation, loadedHash);
      out.result(
        {
          conversationId: id.toString(),
          verified: result.verified,
          modelHash: conversation.modelHash,
          loadedModelHash: loadedHash,
          responses: result.responses.map((r) => ({
            responseIndex: r.responseIndex,
            response: r.responseIndex === 0 ? 'A' : 'B',
            verified: r.verified,
            bytesMatch: r.bytesMatch,
            storedHashMatches: r.storedHashMatches,
            modelMatches: r.modelMatches,
            textHash: r.onChainHash,
          })),
        },
        () => [
          ...result.responses.map(
            (r) =>
              `Response ${r.responseIndex === 0 ? 'A' : 'B'}: ${r.verified ? 'verified' : 'MISMATCH'} — bytes ${r.bytesMatch ? 'equal' : 'differ'}, ` +
              `stored hash ${r.storedHashMatches ? 'matches' : 'differs'}, model ${r.modelMatches ? 'matches' : 'differs'}` +
              (r.bytesMatch
                ? ''
                : `\n  regenerated: "${preview(new TextEncoder().encode(r.regenerated.text), 80)}"`),
          ),
          result.verified
            ? `conversation ${id}: verified — the on-chain texts are exactly what the model produces`
            : `conversation ${id}: NOT verified`,
        ],
      );
      return result.verified ? 0 : 3;
    } finally {
      engine?.dispose();
      conn.provider.destroy();
    }
  });
}

/**
 * The model files, from the node that runs them (docs/interfaces.md: the same files the browser verifier uses), or,
 * when the node does not serve them (a testnet), from the local model cache for a published model.
 */
async function modelFiles(
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
