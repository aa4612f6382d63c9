// tt prompt TEXT: send a prompt through TrustAndTeach; with --wait, follow it until both responses are readable.
import {
  fetchNodeInput,
  nodeFacts,
  nodeView,
  parseRejection,
  sendPrompt,
  trustAndTeach,
  TtError,
  type NodeView,
} from '@tt/client';
import { type ResponseNotice } from '@tt/protocol';
import { CliError } from '../errors.ts';
import { parseIntegerFlag, parseMilli } from '../flow/args.ts';
import { connect, signerFor } from '../flow/context.ts';
import { noticeJson, responseBlock } from '../flow/present.ts';
import { runFlow } from '../flow/run.ts';
import { poll } from '../flow/wait.ts';

const usage = `tt prompt TEXT [--length N] [--temperature T] [--topp P] [--wait] [--timeout S]

Sends TEXT to the model through the TrustAndTeach contract and prints the conversation id and input index; the model
writes two responses, A and B.
  --length N       length in tokens, prompt included (llama2.c's steps; default: the model's context length);
                   --steps N is the same option under its older name
  --temperature T  0 (greedy) to 2, default 0.8
  --topp P         top-p, above 0 up to 1, default 0.9
  --wait           follow the generation and print both responses when their notices appear
  --timeout S      give up waiting after S seconds (default 600)`;

const options = {
  length: { type: 'string' },
  steps: { type: 'string' },
  temperature: { type: 'string' },
  topp: { type: 'string' },
  wait: { type: 'boolean', default: false },
  timeout: { type: 'string' },
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
      1,
      2 ** 32 - 1,
    );
    const temperatureMilli = parseMilli('temperature', values.temperature as string | undefined, 0, 2000);
    const topPMilli = parseMilli('topp', values.topp as string | undefined, 1, 1000);
    const timeoutSeconds = parseIntegerFlag('timeout', values.timeout as string | undefined, 1, 86_400);

    const conn = await connect(values);
    try {
      const signer = signerFor(values, conn);
      const contract = trustAndTeach(conn.deployments.contracts.TrustAndTeach, signer);
      const sent = await sendPrompt(contract, text, { steps, temperatureMilli, topPMilli }, (tx) =>
        out.info(`sent ${tx}`),
      );
      const sentAt = performance.now();
      out.info(`conversation ${sent.conversationId} (input ${sent.inputIndex})`);
      const result: Record<string, unknown> = {
        conversationId: sent.conversationId.toString(),
        inputIndex: sent.inputIndex,
        txHash: sent.txHash,
        blockNumber: sent.blockNumber,
        author: await signer.getAddress(),
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
          const v = input ? nodeView(input) : null;
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
          if (v && v.status !== 'UNPROCESSED' && v.status !== 'ACCEPTED') {
            const r = parseRejection(v.status, v.reports);
            throw new TtError(
              'input-rejected',
              `the backend rejected conversation ${sent.conversationId} (${r.code}): ${r.message}`,
              'send the prompt again with other settings; `pnpm tt status` lists it as rejected',
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
