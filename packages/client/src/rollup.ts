// What the rollup node knows about an input: its status, the response notices, the vouchers with their proofs, and the
// reports. Read through the GraphQL reader with the generated typed documents.
import { decodeUtf8, fromHex, parseResponseNotice, type Hex, type ResponseNotice } from '@tt/protocol';
import {
  InputByIndexDocument,
  InputsPageDocument,
  type InputOutputsFragment,
  type InputsPageQuery,
} from './graphql/generated/graphql.ts';
import type { GraphQLClient } from './graphql/request.ts';
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
  notices: (ResponseNotice | undefined)[];
  vouchers: NodeVoucher[];
  reports: string[];
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

export function nodeView(input: NodeInput): NodeView {
  const notices: (ResponseNotice | undefined)[] = [undefined, undefined];
  for (const { node } of input.notices.edges) {
    const n = parseResponseNotice(node.payload);
    if (n) notices[n.responseIndex] = n;
  }
  return {
    inputIndex: input.index,
    status: input.status,
    notices,
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
  };
}
