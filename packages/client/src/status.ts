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
  if (conversations.length === 0) return [];
  let inputs: Map<number, NodeView>;
  if (conversations.length === 1) {
    const input = await fetchNodeInput(opts.graphql, conversations[0]!.inputIndex);
    inputs = new Map(input ? [[input.index, nodeView(input)]] : []);
  } else {
    const indices = conversations.map((c) => c.inputIndex);
    const raw = await fetchNodeInputs(opts.graphql, Math.min(...indices), Math.max(...indices));
    inputs = new Map([...raw].map(([i, input]) => [i, nodeView(input)]));
  }
  return conversations.map((c) => conversationState(c, inputs.get(c.inputIndex) ?? null));
}
