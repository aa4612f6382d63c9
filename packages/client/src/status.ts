// A conversation together with what the rollup node knows about it, and the stage that follows. This is what `tt status`
// prints and what the UI's table rows show.
import { readConversations, type ReadOptions } from './conversations.ts';
import type { GraphQLClient } from './graphql/request.ts';
import type { Conversation } from './model.ts';
import { checkOutputs } from './outputs.ts';
import { fetchNodeInput, fetchNodeInputs, nodeFacts, nodeView, type NodeView } from './rollup.ts';
import { deriveStage, type StageInfo } from './stage.ts';

export interface ConversationState {
  conversation: Conversation;
  /**
   * Null when the node has not seen the input yet. Only the outputs that are this conversation's (checkOutputs, by
   * what they decode to), when the conversation names its contract; the others are in `node.refused`.
   */
  node: NodeView | null;
  stage: StageInfo;
}

export function conversationState(conversation: Conversation, raw: NodeView | null): ConversationState {
  const c = conversation;
  const node =
    raw && c.trustAndTeach && !raw.checked
      ? checkOutputs(raw, {
          trustAndTeach: c.trustAndTeach,
          conversationId: c.id,
          modelHash: c.modelHash,
          params: c.params,
        })
      : raw;
  const stage = deriveStage({
    node: node ? nodeFacts(node) : null,
    responsesPosted: [c.responses[0] !== undefined, c.responses[1] !== undefined],
    rankingCount: c.rankings.length,
    rejectionReason: c.rejectionReason,
  });
  return { conversation, node, stage };
}

export async function readConversationStates(
  opts: ReadOptions & { graphql: GraphQLClient },
): Promise<ConversationState[]> {
  const conversations = await readConversations(opts);
  const views = await fetchOpenNodeViews(opts.graphql, conversations);
  return conversations.map((c) => conversationState(c, views.get(c.inputIndex) ?? null));
}

/** Both responses on chain: the chain says everything about the conversation from here on. */
export function isOpen(c: Conversation): boolean {
  return !c.responses[0] || !c.responses[1];
}

/**
 * The node's view of the conversations that are still open (responses not both on chain): the others' stage is the
 * chain's alone. Inputs are read in runs of nearby indices, so a few open conversations among thousands cost a few
 * small queries, not the whole range.
 */
export async function fetchOpenNodeViews(
  graphql: GraphQLClient,
  conversations: readonly Conversation[],
): Promise<Map<number, NodeView>> {
  const open = conversations.filter(isOpen).map((c) => c.inputIndex);
  const wanted = new Set(open);
  const out = new Map<number, NodeView>();
  if (open.length === 1) {
    const input = await fetchNodeInput(graphql, open[0]!);
    if (input) out.set(input.index, nodeView(input));
    return out;
  }
  for (const [from, to] of runs(open, RUN_GAP)) {
    for (const [i, input] of await fetchNodeInputs(graphql, from, to)) {
      if (wanted.has(i)) out.set(i, nodeView(input));
    }
  }
  return out;
}

/** Indices closer than this are read in one range query. */
const RUN_GAP = 50;

/** Sorted [first, last] ranges covering `indices`, splitting where two neighbours are more than `gap` apart. */
export function runs(indices: readonly number[], gap: number): [number, number][] {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (const i of sorted) {
    const last = out.at(-1);
    if (last && i - last[1] <= gap) last[1] = i;
    else out.push([i, i]);
  }
  return out;
}
