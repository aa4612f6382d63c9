// tt post ID | --all: execute conversations' vouchers, putting both responses on chain (or, for a prompt the backend
// refused, the one that records the rejection). The vouchers are chosen by what they decode to; any other output of
// the input is reported and never executed. Safe to repeat.
import {
  dappOf,
  describeRefused,
  postAll,
  postResponses,
  postWhenClaimed,
  readConversation,
  readConversationStates,
  readyToPost,
  TtError,
  type PostOptions,
} from '@tt/client';
import { CliError } from '../errors.ts';
import { conversationIdArg, parseIntegerFlag } from '../flow/args.ts';
import { connect, readOptions, signerFor, type Connection } from '../flow/context.ts';
import type { Output } from '../flow/output.ts';
import { runFlow } from '../flow/run.ts';
import { DEFAULT_WAIT_SECONDS } from '../flow/wait.ts';

const usage = `tt post ID [--wait] [--timeout S] | tt post --all

Executes a conversation's vouchers once their proofs are ready, putting Response A and Response B on chain;
vouchers already executed are skipped, so it is safe to repeat. Only vouchers that post this conversation's responses
(or record its rejection) with the contract's model and parameters are executed; any other output of the input is
listed as refused (exit code 3).
  --all         post every conversation whose proofs are ready, one after the other, with a total
  --wait        (with ID) wait for the responses and proofs instead of failing while they are not ready
  --timeout S   give up waiting after S seconds (default 600)`;

const options = {
  wait: { type: 'boolean', default: false },
  timeout: { type: 'string' },
  all: { type: 'boolean', default: false },
} as const;

export async function run(argv: string[]): Promise<number> {
  return runFlow(argv, { usage, options }, async ({ values, positionals }, out) => {
    if (values.all) {
      if (positionals.length || values.wait)
        throw new CliError(
          '--all takes no conversation id and no --wait',
          `usage: ${usage.split('\n')[0]}`,
          2,
        );
      const conn = await connect(values);
      try {
        return await postEveryReady(conn, values, out);
      } finally {
        conn.provider.destroy();
      }
    }
    const id = conversationIdArg(positionals, usage);
    const timeoutSeconds = parseIntegerFlag('timeout', values.timeout as string | undefined, 1, 86_400);
    const conn = await connect(values);
    try {
      const { deployments, graphql } = conn;
      const conversation = await readConversation({ ...readOptions(conn), id });
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
          response: o.responseIndex === undefined ? null : letter(o.responseIndex),
          status: o.status,
          ...(o.status === 'executed' ? { txHash: o.txHash } : { reason: o.reason }),
        })),
      };
      const what = (o: (typeof outcomes)[number]) =>
        o.responseIndex === undefined ? 'the rejection' : `Response ${letter(o.responseIndex)}`;
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

const letter = (responseIndex: number) => (responseIndex === 0 ? 'A' : 'B');

async function postEveryReady(
  conn: Connection,
  values: Parameters<typeof signerFor>[0],
  out: Output,
): Promise<number> {
  const states = await readConversationStates({ ...readOptions(conn), graphql: conn.graphql });
  const ready = readyToPost(states);
  if (ready.length === 0) {
    const waiting = states.filter((s) =>
      ['generating', 'submitted', 'responsesReady'].includes(s.stage.stage),
    );
    out.result({ posted: 0, failed: 0, skipped: 0, conversations: [] }, () => [
      waiting.length
        ? `nothing to post yet: ${waiting.length} conversation${waiting.length === 1 ? ' is' : 's are'} still waiting for responses or proofs`
        : 'nothing to post: every answered conversation is already on chain',
    ]);
    return 0;
  }
  out.info(`posting ${ready.length} conversation${ready.length === 1 ? '' : 's'}…`);
  const result = await postAll({
    graphql: conn.graphql,
    dapp: dappOf(conn.deployments),
    trustAndTeach: conn.deployments.contracts.TrustAndTeach,
    signer: signerFor(values, conn),
    items: ready.map((s) => ({ conversationId: s.conversation.id, inputIndex: s.conversation.inputIndex })),
    onProgress: (p) => {
      if (p.phase !== 'outcome') return;
      const o = p.outcome;
      const where = `[${p.position}/${p.total}] conversation ${o.conversationId}`;
      if (o.status === 'posted') {
        const skipped = o.vouchers.every((v) => v.status === 'skipped');
        out.info(`${where}: ${skipped ? 'already on-chain' : 'posted'}`);
      } else out.info(`${where}: failed: ${o.error.message}`);
    },
  });
  const json = {
    posted: result.posted,
    failed: result.failed,
    skipped: result.skipped,
    conversations: result.outcomes.map((o) =>
      o.status === 'posted'
        ? { conversationId: o.conversationId.toString(), status: o.status }
        : {
            conversationId: o.conversationId.toString(),
            status: o.status,
            error: {
              code: o.error instanceof TtError ? o.error.code : 'error',
              message: o.error.message,
            },
          },
    ),
  };
  out.result(json, () => [
    `posted ${result.posted} of ${ready.length}` +
      (result.failed ? `, ${result.failed} failed` : '') +
      (result.skipped ? `, ${result.skipped} not tried (stopped after a failure that affects them all)` : ''),
    ...(result.posted ? ['next: pnpm tt rank ID --confirm | --switch'] : []),
  ]);
  return result.failed ? 1 : 0;
}
