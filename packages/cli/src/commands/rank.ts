// tt rank ID --confirm | --switch | --prefer A|B: record the signer's preference between Response A and Response B.
import {
  CONFIRM,
  parseOrder,
  submitRanking,
  SWITCH,
  trustAndTeach,
  TtError,
  type RankingOrder,
} from '@tt/client';
import { CliError } from '../errors.ts';
import { conversationIdArg } from '../flow/args.ts';
import { connect, signerFor } from '../flow/context.ts';
import { orderWords } from '../flow/present.ts';
import { runFlow } from '../flow/run.ts';

const usage = `tt rank ID --confirm | --switch | --prefer A|B

Ranks the conversation's two responses from the chosen account (ranking again changes your ranking).
  --confirm     Response A is better (keep the order)
  --switch      Response B is better (swap the order)
  --prefer X    the better one by name, A or B
  --order 0,1   the response indices on the wire, best first (0,1 = --confirm, 1,0 = --switch)`;

const options = {
  confirm: { type: 'boolean', default: false },
  switch: { type: 'boolean', default: false },
  prefer: { type: 'string' },
  order: { type: 'string' },
} as const;

export async function run(argv: string[]): Promise<number> {
  return runFlow(argv, { usage, options }, async ({ values, positionals }, out) => {
    const id = conversationIdArg(positionals, usage);
    const chosen = [
      values.confirm && CONFIRM,
      values.switch && SWITCH,
      values.prefer !== undefined && 'prefer',
      values.order !== undefined && 'order',
    ].filter(Boolean);
    if (chosen.length !== 1)
      throw new CliError(
        'give exactly one of --confirm, --switch, --prefer A|B or --order',
        `usage: ${usage.split('\n')[0]}`,
        2,
      );
    let order: RankingOrder;
    try {
      order = values.confirm
        ? CONFIRM
        : values.switch
          ? SWITCH
          : values.prefer !== undefined
            ? parsePrefer(values.prefer as string)
            : parseOrder(values.order as string);
    } catch (err) {
      throw new TtError('bad-argument', (err as Error).message);
    }
    const conn = await connect(values);
    try {
      const signer = signerFor(values, conn);
      const contract = trustAndTeach(conn.deployments.contracts.TrustAndTeach, signer);
      const r = await submitRanking(contract, id, order, (tx) => out.info(`sent ${tx}`));
      const unchanged = 'unchanged' in r;
      out.result(
        {
          conversationId: id.toString(),
          ranker: r.ranker,
          order: [...order],
          prefers: order[0] === 0 ? 'A' : 'B',
          unchanged,
          previousOrder: unchanged ? [...order] : r.previousOrder ? [...r.previousOrder] : null,
          txHash: unchanged ? null : r.txHash,
        },
        () => [
          unchanged
            ? `${r.ranker} already ranked conversation ${id} this way: ${orderWords(order)}; nothing sent`
            : `${r.ranker} ranked conversation ${id}: ${orderWords(order)} (tx ${r.txHash})`,
        ],
      );
      return 0;
    } finally {
      conn.provider.destroy();
    }
  });
}

function parsePrefer(text: string): RankingOrder {
  const t = text.trim().toUpperCase();
  if (t === 'A') return CONFIRM;
  if (t === 'B') return SWITCH;
  throw new Error(`--prefer takes A or B (the better response), not '${text}'`);
}
