// The weights of a fine-tuned model version, trusted because of the chain and nothing else: either a file whose
// sha256(checkpoint ‖ tokenizer) is the registered hash (--weights), or re-derived by replaying the version's teach
// inputs with the deterministic trainer (@tt/client rederiveVersion; parents first, every response re-run and checked).
import { readFile } from 'node:fs/promises';
import { readRederiveInputs, rederiveVersion, trustAndTeach, TtError, type Conversation } from '@tt/client';
import {
  decodeHyperParameters,
  loadEngine,
  modelHash,
  resolveBackend,
  teach,
  wasmPaths,
  type Engine,
} from '@tt/llm/node';
import { fromHex, type Hex } from '@tt/protocol';
import { CliError } from '../errors.ts';
import { readOptions, type Connection } from './context.ts';
import { baseModelFiles, type ModelFlags } from './model.ts';

export const VERSION_USAGE = `  --weights FILE   for a response of a fine-tuned version: its checkpoint, checked against the hash the chain
                   registered (default: re-derive it by replaying its teach inputs from the chain)`;

async function engineOf(checkpoint: Uint8Array, tokenizer: Uint8Array): Promise<Engine> {
  const backend = resolveBackend('auto');
  return loadEngine({
    checkpoint,
    tokenizer,
    backend,
    wasm: new Uint8Array(await readFile(wasmPaths()[backend])),
  });
}

/**
 * An engine running the model of `conversation` (a fine-tuned version), with the hash of what it loaded. The base
 * files (flags, node or cache) must be the contract's base model.
 */
export async function loadVersionEngine(
  values: ModelFlags & { weights?: string },
  conn: Connection,
  conversation: Conversation,
  info: (line: string) => void,
): Promise<{ engine: Engine; hash: Hex; rederived: boolean }> {
  const contract = trustAndTeach(conn.deployments.contracts.TrustAndTeach, conn.provider);
  const [checkpoint, tokenizer] = await baseModelFiles(
    values,
    conn.graphqlUrl,
    conn.deployments.model?.name,
    info,
  );
  if (values.weights !== undefined) {
    let weights: Uint8Array;
    try {
      weights = new Uint8Array(await readFile(values.weights));
    } catch (e) {
      throw new CliError(`cannot read --weights ${values.weights} (${(e as Error).message})`, undefined, 2);
    }
    const hash = (await modelHash(weights, tokenizer)) as Hex;
    if (hash.toLowerCase() !== conversation.modelHash.toLowerCase())
      throw new TtError(
        'version-mismatch',
        `--weights ${values.weights} hashes to ${hash} with the tokenizer, but conversation ${conversation.id} was answered by ${conversation.modelHash}`,
        'leave --weights out to re-derive the version from the chain',
      );
    return { engine: await engineOf(weights, tokenizer), hash, rederived: false };
  }
  const baseHash = (await modelHash(checkpoint, tokenizer)) as Hex;
  if (baseHash.toLowerCase() !== ((await contract.modelHash()) as string).toLowerCase())
    throw new TtError(
      'base-mismatch',
      `the base model files hash to ${baseHash}, not the contract's base model`,
      'pass the base model with --checkpoint and --tokenizer, or leave them out',
    );
  const { version, versions, requests, conversations } = await readRederiveInputs(
    readOptions(conn),
    conversation,
  );
  const derived = await rederiveVersion({
    version,
    versions,
    requests,
    conversations: new Map(conversations.map((c) => [c.id, c])),
    baseCheckpoint: checkpoint,
    engineFor: (ck) => engineOf(ck, tokenizer),
    train: async ({ checkpoint: parent, pairs, hyperParameters }) => {
      const r = await teach({
        checkpoint: parent,
        tokenizer,
        pairs,
        hyperParameters: decodeHyperParameters(fromHex(hyperParameters)),
        evaluate: false,
      });
      return { checkpoint: r.checkpoint, modelHash: r.modelHash };
    },
    onStep: info,
  });
  const hash = (await modelHash(derived, tokenizer)) as Hex;
  return { engine: await engineOf(derived, tokenizer), hash, rederived: true };
}
