// tt status [ID]: where each conversation is (submitted → generating → responses ready → proofs ready → posted → ranked).
import { describeRefused, readConversationStates, trustAndTeach, type ConversationState } from '@tt/client';
import { connect } from '../flow/context.ts';
import { orderWords, preview, responseBlock, stateJson } from '../flow/present.ts';
import { runFlow } from '../flow/run.ts';
import { CliError } from '../errors.ts';

const usage = `tt status [ID]

Shows every conversation's stage, or one conversation in full (prompt, responses, rankings).`;

export async function run(argv: string[]): Promise<number> {
  return runFlow(argv, { usage, options: {} }, async ({ values, positionals }, out) => {
    if (positionals.length > 1)
      throw new CliError('give at most one conversation id', `usage: ${usage.split('\n')[0]}`, 2);
    const idText = positionals[0];
    if (idText !== undefined && !/^\d+$/.test(idText)) {
      throw new CliError(
        `a conversation id is a whole number, not '${idText}'`,
        'list them with `pnpm tt status`',
        2,
      );
    }
    const conn = await connect(values);
    try {
      const states = await readConversationStates({
        contract: trustAndTeach(conn.deployments.contracts.TrustAndTeach, conn.provider),
        provider: conn.provider,
        graphql: conn.graphql,
        fromBlock: conn.deployments.trustAndTeachDeploymentBlock,
        ids: idText === undefined ? undefined : [BigInt(idText)],
      });
      if (idText !== undefined) {
        const s = states[0]!;
        out.result(stateJson(s), () => detail(s));
      } else {
        out.result({ conversations: states.map(stateJson) }, () => table(states));
      }
      return 0;
    } finally {
      conn.provider.destroy();
    }
  });
}

function table(states: ConversationState[]): string[] {
  if (states.length === 0) return ['no conversations yet: send one with `pnpm tt prompt "Once upon a time"`'];
  const rows = states.map((s) => [
    s.conversation.id.toString(),
    String(s.conversation.inputIndex),
    // The full rejection reason is long; the table names its code and `tt status ID` tells the whole story.
    s.stage.rejection ? `rejected (${s.stage.rejection.code})` : s.stage.label,
    preview(s.conversation.prompt, 40),
  ]);
  const head = ['id', 'input', 'stage', 'prompt'];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(width[i]!))).join('  ');
  return [line(head), ...rows.map(line)];
}

function detail(s: ConversationState): string[] {
  const c = s.conversation;
  const lines = [
    `conversation ${c.id} (input ${c.inputIndex}) — ${s.stage.label}`,
    `author ${c.author}, steps ${c.params.steps}, temperature ${c.params.temperatureMilli / 1000}, top-p ${c.params.topPMilli / 1000}`,
    ...responseBlock('prompt', c.prompt),
  ];
  const rejection = s.stage.rejection;
  if (rejection)
    lines.push(
      `rejected (${rejection.code}${rejection.onChain ? ', recorded on chain' : ''}): ${rejection.message}`,
    );
  for (const line of describeRefused(s.node?.refused ?? [], c.inputIndex))
    lines.push(`refused: ${line} (not this conversation's: never executed)`);
  for (const i of [0, 1] as const) {
    const posted = c.responses[i];
    const notice = s.node?.notices[i];
    if (posted) lines.push(...responseBlock(`response ${i} (on-chain, seed ${posted.seed})`, posted.bytes));
    else if (notice)
      lines.push(...responseBlock(`response ${i} (off-chain notice, seed ${notice.seed})`, notice.bytes));
  }
  for (const r of c.rankings) lines.push(`ranked by ${r.ranker}: ${orderWords(r.order)}`);
  const next: Partial<Record<string, string>> = {
    responsesReady: 'next: wait for the proofs, then `pnpm tt post ID`',
    proofsReady: `next: pnpm tt post ${c.id}`,
    posted: `next: pnpm tt rank ${c.id} --confirm | --switch`,
  };
  if (rejection?.recordable)
    next.rejected = `next: record the rejection on chain: pnpm tt post ${c.id} --wait`;
  const hint = next[s.stage.stage];
  if (hint) lines.push(hint);
  return lines;
}
