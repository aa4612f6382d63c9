// tt status [ID]: where each conversation is (submitted → generating → responses ready → proofs ready → posted → ranked).
import {
  describePairAgreement,
  describeRefused,
  pairAgreement,
  readConversationStates,
  readyToPost,
  type ConversationState,
} from '@tt/client';
import { connect, readOptions, signerFor } from '../flow/context.ts';
import { orderWords, plural, preview, responseBlock, stateJson } from '../flow/present.ts';
import { runFlow } from '../flow/run.ts';
import { CliError } from '../errors.ts';

const usage = `tt status [ID]

Shows every conversation's stage and how its rankers agree, with a progress line for the signing account
(--account, default 1); or one conversation in full (prompt, Response A and B, rankings).`;

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
        ...readOptions(conn),
        graphql: conn.graphql,
        ids: idText === undefined ? undefined : [BigInt(idText)],
      });
      if (idText !== undefined) {
        const s = states[0]!;
        out.result(stateJson(s), () => detail(s));
      } else {
        const me = await signerFor(values, conn)
          .getAddress()
          .catch(() => null);
        const p = progress(states, me);
        out.result({ conversations: states.map(stateJson), progress: p }, () => [
          ...table(states),
          ...(states.length ? ['', progressLine(p, values.account ?? '1')] : []),
        ]);
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
    votes(s),
    preview(s.conversation.prompt, 40),
  ]);
  const head = ['id', 'input', 'stage', 'A · B', 'prompt'];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(width[i]!))).join('  ');
  return [line(head), ...rows.map(line)];
}

/** The votes of a ranked pair, "3 · 1" (prefer A · prefer B); empty when nobody ranked it. */
function votes(s: ConversationState): string {
  const a = pairAgreement(s.conversation.rankings);
  return a.preferA + a.preferB ? `${a.preferA} · ${a.preferB}` : '';
}

export interface Progress {
  conversations: number;
  /** Conversations not rejected: everything that is, or will be, a pair to rank. */
  rankable: number;
  /** Of those, ranked by the signing account (null when there is no account to ask about). */
  rankedByYou: number | null;
  readyToPost: number;
  waiting: number;
}

function progress(states: ConversationState[], me: string | null): Progress {
  const rankable = states.filter((s) => s.stage.stage !== 'rejected');
  return {
    conversations: states.length,
    rankable: rankable.length,
    rankedByYou: me
      ? rankable.filter((s) =>
          s.conversation.rankings.some((r) => r.ranker.toLowerCase() === me.toLowerCase()),
        ).length
      : null,
    readyToPost: readyToPost(states).length,
    waiting: states.filter((s) => ['submitted', 'generating', 'responsesReady'].includes(s.stage.stage))
      .length,
  };
}

function progressLine(p: Progress, account: string): string {
  const parts = [
    p.rankedByYou === null
      ? plural(p.rankable, 'pair')
      : `${p.rankedByYou} of ${p.rankable} ranked by you (account #${account})`,
  ];
  if (p.readyToPost) parts.push(`${p.readyToPost} ready to post (pnpm tt post --all)`);
  if (p.waiting) parts.push(`${p.waiting} waiting for responses or proofs`);
  return parts.join(' · ');
}

function detail(s: ConversationState): string[] {
  const c = s.conversation;
  const lines = [
    `conversation ${c.id} (input ${c.inputIndex}) — ${s.stage.label}`,
    `author ${c.author}, length ${c.params.steps} tokens (prompt included), temperature ${c.params.temperatureMilli / 1000}, top-p ${c.params.topPMilli / 1000}`,
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
    const name = `Response ${i === 0 ? 'A' : 'B'}`;
    if (posted) lines.push(...responseBlock(`${name} (on-chain, seed ${posted.seed})`, posted.bytes));
    else if (notice)
      lines.push(...responseBlock(`${name} (off-chain notice, seed ${notice.seed})`, notice.bytes));
  }
  if (c.rankings.length) lines.push(`rankings: ${describePairAgreement(pairAgreement(c.rankings))}`);
  for (const r of c.rankings) lines.push(`  ${r.ranker}: ${orderWords(r.order)}`);
  const next: Partial<Record<string, string>> = {
    responsesReady: `next: wait for the proofs, then \`pnpm tt post ${c.id}\``,
    proofsReady: `next: pnpm tt post ${c.id}`,
    posted: `next: pnpm tt rank ${c.id} --confirm | --switch`,
  };
  if (rejection?.recordable)
    next.rejected = `next: record the rejection on chain: pnpm tt post ${c.id} --wait`;
  const hint = next[s.stage.stage];
  if (hint) lines.push(hint);
  return lines;
}
