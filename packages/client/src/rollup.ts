// What the rollup node knows about an input: its status, the response notices, the vouchers with their proofs, and the
// reports. Read through the GraphQL reader with the generated typed documents. The raw view lists what the node says;
// checkOutputs (outputs.ts) keeps only the outputs that are the conversation's, which is what everything acts on.
import { decodeUtf8, fromHex, parseResponseNotice, type Hex, type ResponseNotice } from '@tt/protocol';
import {
  InputByIndexDocument,
  InputsPageDocument,
  type InputOutputsFragment,
  type InputsPageQuery,
} from './graphql/generated/graphql.ts';
import type { GraphQLClient } from './graphql/request.ts';
import type { MatchedVoucher, RefusedOutput } from './outputs.ts';
import type { NodeFacts } from './stage.ts';

export type NodeInput = InputOutputsFragment;
export type VoucherProof = NonNullable<NodeInput['vouchers']['edges'][number]['node']['proof']>;

export interface NodeVoucher {
  /** Index of the voucher within its input: 0 for response 0, 1 for response 1 (the backend's output order). */
  index: number;
  destination: Hex;
  payload: Hex;
  proof: VoucherProof | null;
}

export interface NodeView {
  inputIndex: number;
  status: string;
  /**
   * Response notices by response index: as the notices name themselves in the raw view; after checkOutputs only the
   * notices that are the conversation's.
   */
  notices: (ResponseNotice | undefined)[];
  /** Every notice in node order, parsed (null when it is not a response notice). */
  allNotices?: { index: number; notice: ResponseNotice | null }[];
  /** Raw: every voucher, by index. After checkOutputs: the vouchers posting response 0 and 1 only (`responseIndex`). */
  vouchers: MatchedVoucher[];
  reports: string[];
  /** After checkOutputs: the voucher that records the prompt's rejection on chain, and its reason code. */
  rejection?: { voucher: MatchedVoucher; reason: number };
  /** After checkOutputs: outputs that are not the conversation's (reported, never executed). */
  refused?: RefusedOutput[];
  /** Whether checkOutputs chose the outputs. */
  checked?: boolean;
}

export async function fetchNodeInput(client: GraphQLClient, inputIndex: number): Promise<NodeInput | null> {
  const data = await client.requestOrNull(InputByIndexDocument, { index: inputIndex });
  return data?.input ?? null;
}

/** All inputs with from ≤ index ≤ to, paging through the reader (it serves at most 1000 per page). */
export async function fetchNodeInputs(
  client: GraphQLClient,
  from: number,
  to: number,
): Promise<Map<number, NodeInput>> {
  const out = new Map<number, NodeInput>();
  if (to < from) return out;
  let after: string | null = null;
  for (;;) {
    const data: InputsPageQuery = await client.request(InputsPageDocument, {
      first: 1000,
      after,
      where: { indexGreaterThan: from - 1, indexLowerThan: to + 1 },
    });
    for (const edge of data.inputs.edges) out.set(edge.node.index, edge.node);
    if (!data.inputs.pageInfo.hasNextPage || !data.inputs.pageInfo.endCursor) return out;
    after = data.inputs.pageInfo.endCursor;
  }
}

/** The node's raw view of an input: everything it lists, unchecked (see checkOutputs). */
export function nodeView(input: NodeInput): NodeView {
  const notices: (ResponseNotice | undefined)[] = [undefined, undefined];
  const allNotices = input.notices.edges.map(({ node }) => ({
    index: node.index,
    notice: parseResponseNotice(node.payload),
  }));
  for (const { notice } of allNotices) if (notice) notices[notice.responseIndex] ??= notice;
  return {
    inputIndex: input.index,
    status: input.status,
    notices,
    allNotices,
    vouchers: input.vouchers.edges
      .map(({ node }) => ({
        index: node.index,
        destination: node.destination as Hex,
        payload: node.payload as Hex,
        proof: node.proof ?? null,
      }))
      .sort((a, b) => a.index - b.index),
    reports: input.reports.edges.map(({ node }) => decodeUtf8(fromHex(node.payload)).text),
  };
}

export function nodeFacts(view: NodeView): NodeFacts {
  return {
    status: view.status,
    responseNotices: view.notices.filter(Boolean).length,
    provenVouchers: view.vouchers.filter((v) => v.proof !== null).length,
    reports: view.reports,
    rejectionVoucher: view.rejection !== undefined,
  };
}
