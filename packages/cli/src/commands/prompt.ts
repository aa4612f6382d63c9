// tt prompt TEXT: send a prompt through TrustAndTeach; with --wait, follow it until both responses are readable. The
// prompt's tokens are counted first, with the model's own tokenizer, as the backend and the UI count them: a prompt the
// backend would refuse is refused here, with the backend's own message, before a transaction is spent on it.
import {
  checkOutputs,
  fetchNodeInput,
  nodeFacts,
  nodeView,
  parseRejection,
  sendPrompt,
  trustAndTeach,
  TtError,
  type Hex,
  type NodeView,
} from '@tt/client';
import {
  DEFAULT_TEMPERATURE_MILLI,
  DEFAULT_TOP_P_MILLI,
  MIN_STEPS,
  promptContextProblem,
  type ResponseNotice,
} from '@tt/protocol';
import { CliError } from '../errors.ts';
import { parseIntegerFlag, parseMilli } from '../flow/args.ts';
import { connect, signerFor, type Connection } from '../flow/context.ts';
import { loadModelTokenizer } from '../flow/model.ts';
import type { Output } from '../flow/output.ts';
import { noticeJson, responseBlock } from '../flow/present.ts';
import { runFlow } from '../flow/run.ts';
import { poll } from '../flow/wait.ts';

const usage = `tt prompt TEXT [--length N] [--temperature T] [--topp P] [--version V] [--wait] [--timeout S]

Sends TEXT to the model through the TrustAndTeach contract and prints the conversation id and input index; the model
writes two responses, A and B.
  --length N       length in tokens, prompt included (llama2.c's steps; default: the model's context length; at
                   least ${MIN_STEPS}); --steps N is the same option under its older name
  --temperature T  0 (greedy) to 2, default 0.8
  --topp P         top-p, above 0 up to 1, default 0.9
  --version V      the model version that answers (0 = the base; \`pnpm tt models\` lists them); default: the
                   latest version registered on chain
  --wait           follow the generation and print both responses when their notices appear
  --timeout S      give up waiting after S seconds (default 600)
  --tokenizer FILE the model's tokenizer, to count the prompt's tokens before sending it (default: the node's
                   /models/tokenizer.bin, else the model cache); a prompt with more tokens than steps is refused`;

const options = {
  length: { type: 'string' },
  steps: { type: 'string' },
  temperature: { type: 'string' },
  topp: { type: 'string' },
  wait: { type: 'boolean', default: false },
  timeout: { type: 'string' },
  tokenizer: { type: 'string' },
  version: { type: 'string' },
} as const;

export async function run(argv: string[]): Promise<number> {
  return runFlow(argv, { usage, options }, async ({ values, positionals }, out) => {
    const text = positionals.join(' ');
    if (!text) throw new CliError('give the prompt text', `usage: ${usage.split('\n')[0]}`, 2);
    if (values.length !== undefined && values.steps !== undefined)
      throw new CliError('give --length or --steps (its older name), not both', undefined, 2);
    const lengthFlag = values.length !== undefined ? 'length' : 'steps';
    const steps = parseIntegerFlag(
      lengthFlag,
      (values.length ?? values.steps) as string | undefined,
      MIN_STEPS,
      2 ** 32 - 1,
    );
    const temperatureMilli = parseMilli('temperature', values.temperature as string | undefined, 0, 2000);
    const topPMilli = parseMilli('topp', values.topp as string | undefined, 1, 1000);
    const timeoutSeconds = parseIntegerFlag('timeout', values.timeout as string | undefined, 1, 86_400);
    const modelVersion = parseIntegerFlag('version', values.version as string | undefined, 0, 65535);
    const temperature = temperatureMilli ?? DEFAULT_TEMPERATURE_MILLI;
    const topP = topPMilli ?? DEFAULT_TOP_P_MILLI;

    const conn = await connect(values);
    try {
      const signer = signerFor(values, conn);
      const contract = trustAndTeach(conn.deployments.contracts.TrustAndTeach, signer);
      const seqLen = Number(await contract.seqLen());
      await refuseIfDoomed(text, steps ?? seqLen, seqLen, values, conn, out);
      const sent = await sendPrompt(
        contract,
        text,
        { steps, temperatureMilli, topPMilli },
        (tx) => out.info(`sent ${tx}`),
        modelVersion,
      );
      const modelHash = sent.modelHash;
      const sentAt = performance.now();
      out.info(
        `conversation ${sent.conversationId} (input ${sent.inputIndex}), model version ${sent.modelVersion}`,
      );
      const result: Record<string, unknown> = {
        conversationId: sent.conversationId.toString(),
        inputIndex: sent.inputIndex,
        txHash: sent.txHash,
        blockNumber: sent.blockNumber,
        author: await signer.getAddress(),
        modelVersion: sent.modelVersion,
        modelHash: sent.modelHash,
      };
      if (!values.wait) {
        out.result(result, () => [
          `conversationId ${result.conversationId}`,
          `inputIndex ${result.inputIndex}`,
        ]);
        return 0;
      }

      let said = '';
      let lastTold = 0;
      const view = await poll(
        `the responses to conversation ${sent.conversationId}`,
        async (): Promise<NodeView | undefined> => {
          const input = await fetchNodeInput(conn.graphql, sent.inputIndex);
          // only the outputs that are this conversation's, by what they say (see @tt/client checkOutputs)
          const v = input
            ? checkOutputs(nodeView(input), {
                trustAndTeach: conn.deployments.contracts.TrustAndTeach,
                conversationId: sent.conversationId,
                modelHash,
                params: { steps: steps ?? seqLen, temperatureMilli: temperature, topPMilli: topP },
              })
            : null;
          const facts = v ? nodeFacts(v) : null;
          const now = !v
            ? 'waiting for the node to read the input'
            : facts!.responseNotices < 2
              ? 'generating'
              : '';
          // A line when the state changes, then one every 5 s, so a long generation visibly progresses.
          const elapsed = Math.floor((performance.now() - sentAt) / 1000);
          if (now && (now !== said || elapsed >= lastTold + 5)) {
            out.info(now === said ? `${now}… ${elapsed} s` : `${now}…`);
            lastTold = elapsed;
          }
          said = now;
          if (v && ((v.status !== 'UNPROCESSED' && v.status !== 'ACCEPTED') || v.rejection)) {
            const r = parseRejection(v.status, v.reports);
            throw new TtError(
              'input-rejected',
              `the backend rejected conversation ${sent.conversationId} (${r.code}): ${r.message}`,
              v.rejection
                ? `record the rejection on chain with \`pnpm tt post ${sent.conversationId} --wait\`; send the prompt again with other settings`
                : 'send the prompt again with other settings; `pnpm tt status` lists it as rejected',
            );
          }
          return facts && facts.status === 'ACCEPTED' && facts.responseNotices >= 2 ? v! : undefined;
        },
        { timeoutSeconds, hint: `check it later with \`pnpm tt status ${sent.conversationId}\`` },
      );
      const seconds = (performance.now() - sentAt) / 1000;
      const notices = view.notices as ResponseNotice[];
      out.info(`both responses ready after ${seconds.toFixed(1)} s`);
      out.result({ ...result, stage: 'responsesReady', responses: notices.map(noticeJson) }, () => [
        `conversationId ${result.conversationId}`,
        `inputIndex ${result.inputIndex}`,
        ...notices.flatMap((n) => responseBlock(`Response ${n.responseIndex === 0 ? 'A' : 'B'}`, n.bytes)),
        `next: pnpm tt post ${result.conversationId} --wait`,
      ]);
      return 0;
    } finally {
      conn.provider.destroy();
    }
  });
}

/**
 * Counts the prompt's tokens (BOS included) as the backend will, and refuses with the backend's own message when they
 * leave no position to generate from. If the tokenizer cannot be had, says so and lets the prompt go: the backend
 * counts again, and then the conversation shows Rejected.
 */
async function refuseIfDoomed(
  text: string,
  steps: number,
  seqLen: number,
  values: Record<string, unknown>,
  conn: Connection,
  out: Output,
): Promise<void> {
  let tokens: number;
  try {
    const tokenizer = await loadModelTokenizer(
      values,
      { graphqlUrl: conn.graphqlUrl, inspectUrl: conn.deployments.inspectUrl },
      conn.deployments.model?.name,
      out.info,
    );
    tokens = tokenizer.encode(text, { bos: true }).length;
    tokenizer.dispose();
  } catch (err) {
    out.info(
      `could not count the prompt's tokens here (${(err as Error).message}); sending it: the backend counts them again`,
    );
    return;
  }
  const problem = promptContextProblem(tokens, steps, seqLen);
  if (problem)
    throw new TtError(
      'bad-argument',
      `the backend would reject this prompt (${problem.code}): ${problem.message}`,
      'nothing was sent',
    );
}
