// tt verify ID: re-run the inference with the recorded seeds and parameters and compare with the chain, byte for byte.
import { readConversation, TtError, verifyConversation } from '@tt/client';
import type { Engine } from '@tt/llm/node';
import { conversationIdArg } from '../flow/args.ts';
import { connect, readOptions } from '../flow/context.ts';
import { checkModelFlags, loadVerifier, MODEL_OPTIONS, MODEL_USAGE } from '../flow/model.ts';
import { preview } from '../flow/present.ts';
import { runFlow } from '../flow/run.ts';
import { loadVersionEngine, VERSION_USAGE } from '../flow/version.ts';
import { CliError } from '../errors.ts';

const usage = `tt verify ID [--checkpoint FILE --tokenizer FILE] [--weights FILE]

Re-runs both responses locally with the recorded seeds and parameters and says whether the on-chain texts are exactly
what the model produces, and whether they match the hashes the contract stores. Exit code 3 on a mismatch. A response
of a fine-tuned version is re-run with that version's weights, re-derived from the chain (its teach inputs replayed
with the deterministic trainer, from the base) unless --weights gives them.
${MODEL_USAGE}
${VERSION_USAGE}`;

const options = { ...MODEL_OPTIONS, weights: { type: 'string' } } as const;

export async function run(argv: string[]): Promise<number> {
  return runFlow(argv, { usage, options }, async ({ values, positionals }, out) => {
    const id = conversationIdArg(positionals, usage);
    checkModelFlags(values);
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
      const versioned = (conversation.modelVersion ?? 0) > 0;
      if (!versioned && values.weights !== undefined)
        throw new CliError(
          `conversation ${id} was answered by the base model: --weights is for fine-tuned versions`,
          undefined,
          2,
        );
      if (versioned)
        out.info(
          `conversation ${id} was answered by model version ${conversation.modelVersion} (${conversation.modelHash})`,
        );
      const verifier = versioned
        ? await loadVersionEngine(values, conn, conversation, out.info)
        : await loadVerifier(
            values,
            conn.graphqlUrl,
            { name: conn.deployments.model?.name, hash: conversation.modelHash },
            out.info,
          );
      engine = verifier.engine;
      const loadedHash = verifier.hash;
      const result = await verifyConversation(engine, conversation, loadedHash);
      out.result(
        {
          conversationId: id.toString(),
          verified: result.verified,
          modelHash: conversation.modelHash,
          modelVersion: conversation.modelVersion ?? 0,
          loadedModelHash: loadedHash,
          ...('rederived' in verifier ? { rederived: verifier.rederived } : {}),
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
