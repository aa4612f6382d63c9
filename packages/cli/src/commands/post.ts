// tt post ID: execute the conversation's two vouchers, putting both responses on chain (or, for a prompt the backend
// refused, the one that records the rejection). The vouchers are chosen by what they decode to; any other output of
// the input is reported and never executed. Safe to repeat.
import {
  dappOf,
  describeRefused,
  postResponses,
  postWhenClaimed,
  readConversation,
  trustAndTeach,
  type PostOptions,
} from '@tt/client';
import { conversationIdArg, parseIntegerFlag } from '../flow/args.ts';
import { connect, signerFor } from '../flow/context.ts';
import { runFlow } from '../flow/run.ts';
import { DEFAULT_WAIT_SECONDS } from '../flow/wait.ts';

const usage = `tt post ID [--wait] [--timeout S]

Executes the conversation's vouchers once their proofs are ready; vouchers already executed are skipped. Only vouchers
that post this conversation's responses (or record its rejection) with the contract's model and parameters are
executed; any other output of the input is listed as refused (exit code 3).
  --wait        wait for the responses and proofs instead of failing while they are not ready
  --timeout S   give up waiting after S seconds (default 600)`;

const options = { wait: { type: 'boolean', default: false }, timeout: { type: 'string' } } as const;

export async function run(argv: string[]): Promise<number> {
  return runFlow(argv, { usage, options }, async ({ values, positionals }, out) => {
    const id = conversationIdArg(positionals, usage);
    const timeoutSeconds = parseIntegerFlag('timeout', values.timeout as string | undefined, 1, 86_400);
    const conn = await connect(values);
    try {
      const { deployments, provider, graphql } = conn;
      const conversation = await readConversation({
        contract: trustAndTeach(deployments.contracts.TrustAndTeach, provider),
        provider,
        fromBlock: deployments.trustAndTeachDeploymentBlock,
        id,
      });
      let told = false;
      const post: PostOptions = {
        graphql,
        dapp: dappOf(deployments),
        trustAndTeach: deployments.contracts.TrustAndTeach,
        signer: signerFor(values, conn),
        inputIndex: conversation.inputIndex,
        conversationId: id,
        onProgress: (p) => {
          if (p.phase === 'pending') out.info(`voucher ${p.voucherIndex}: sent ${p.txHash}`);
          if (p.phase === 'refused')
            for (const line of describeRefused(p.refused, conversation.inputIndex))
              out.info(`refused: ${line} (not executed)`);
          if (p.phase === 'waiting' && !told) out.info(`waiting: ${p.reason.message}`);
          if (p.phase === 'waiting') told = true;
        },
      };
      const outcomes = values.wait
        ? await postWhenClaimed({
            ...post,
            timeoutMs: (timeoutSeconds ?? DEFAULT_WAIT_SECONDS) * 1000,
            retryMs: 250,
          })
        : await postResponses(post);
      const rejection = outcomes.some((o) => o.status !== 'refused' && o.responseIndex === undefined);
      const refused = outcomes.filter((o) => o.status === 'refused');
      const result = {
        conversationId: id.toString(),
        inputIndex: conversation.inputIndex,
        vouchers: outcomes.map((o) => ({
          voucherIndex: o.voucherIndex,
          responseIndex: o.responseIndex ?? null,
          status: o.status,
          ...(o.status === 'executed' ? { txHash: o.txHash } : { reason: o.reason }),
        })),
      };
      const what = (o: (typeof outcomes)[number]) =>
        o.responseIndex === undefined ? 'the rejection' : `response ${o.responseIndex}`;
      out.result(result, () => [
        ...outcomes.map((o) =>
          o.status === 'executed'
            ? `${what(o)}: ${o.responseIndex === undefined ? 'recorded' : 'posted'} on-chain (tx ${o.txHash})`
            : o.status === 'skipped'
              ? `${what(o)}: already on-chain, skipped`
              : `voucher ${o.voucherIndex}: refused, not executed: it ${o.reason}`,
        ),
        rejection
          ? `conversation ${id} is Rejected on chain: \`pnpm tt status ${id}\` says why`
          : `next: pnpm tt rank ${id} --confirm | --switch`,
      ]);
      return refused.length ? 3 : 0;
    } finally {
      conn.provider.destroy();
    }
  });
}
