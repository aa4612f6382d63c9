// tt post ID: execute the conversation's two vouchers, putting both responses on chain. Safe to repeat.
import {
  dappOf,
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

Executes the conversation's vouchers once their proofs are ready; vouchers already executed are skipped.
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
        signer: signerFor(values, conn),
        inputIndex: conversation.inputIndex,
        conversationId: id,
        onProgress: (p) => {
          if (p.phase === 'pending') out.info(`voucher ${p.voucherIndex}: sent ${p.txHash}`);
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
      const result = {
        conversationId: id.toString(),
        inputIndex: conversation.inputIndex,
        vouchers: outcomes.map((o) =>
          o.status === 'executed'
            ? { voucherIndex: o.voucherIndex, status: o.status, txHash: o.txHash }
            : { voucherIndex: o.voucherIndex, status: o.status, reason: o.reason },
        ),
      };
      out.result(result, () => [
        ...outcomes.map((o) =>
          o.status === 'executed'
            ? `response ${o.voucherIndex}: posted on-chain (tx ${o.txHash})`
            : `response ${o.voucherIndex}: already on-chain, skipped`,
        ),
        `next: pnpm tt rank ${id} --confirm | --switch`,
      ]);
      return 0;
    } finally {
      conn.provider.destroy();
    }
  });
}
