// Connection pagination with the v1 node's semantics (rollups-node offchain/data pagination.rs):
// a cursor is base64 of the decimal offset in the ordered, filtered result; pages default to and
// are capped at 1000 entries; forward (first/after) and backward (last/before) arguments cannot be
// mixed.
import { GraphQLError } from 'graphql';

export const MAX_PAGE_SIZE = 1000;

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

export const encodeCursor = (offset: number) => Buffer.from(String(offset), 'utf8').toString('base64');

function decodeCursor(cursor: string, total: number): number {
  const bytes = Buffer.from(cursor, 'base64');
  // Node's decoder skips bad characters instead of failing, so re-encode to detect them
  if (bytes.toString('base64').replace(/=+$/, '') !== cursor.replace(/=+$/, ''))
    throw new GraphQLError('failed to decode base64 cursor');
  const text = bytes.toString('utf8');
  if (!/^\d+$/.test(text)) throw new GraphQLError('failed to parse cursor');
  const offset = Number(text);
  if (offset >= total) throw new GraphQLError(`invalid pagination cursor ${cursor}`);
  return offset;
}

function checkLimit(n: number | null | undefined): number {
  if (n === null || n === undefined) return MAX_PAGE_SIZE;
  if (n < 0) throw new GraphQLError(`invalid pagination limit ${n}`);
  return Math.min(n, MAX_PAGE_SIZE);
}

/** Turns connection arguments into the [offset, offset + limit) window of a result of `total` rows. */
export function pageWindow(args: PageArgs, total: number): { offset: number; limit: number } {
  const forward = (args.first ?? null) !== null || (args.after ?? null) !== null;
  const backward = (args.last ?? null) !== null || (args.before ?? null) !== null;
  if (forward && backward)
    throw new GraphQLError(
      'cannot mix forward pagination (first, after) with backward pagination (last, before)',
    );
  if (backward) {
    const limit = checkLimit(args.last);
    const end = args.before ? decodeCursor(args.before, total) : total;
    const start = Math.max(0, end - limit);
    return { offset: start, limit: end - start };
  }
  const limit = checkLimit(args.first);
  const start = args.after ? decodeCursor(args.after, total) + 1 : 0;
  return { offset: start, limit: Math.max(0, Math.min(limit, total - start)) };
}

export function connection<T>(rows: T[], offset: number, total: number) {
  const edges = rows.map((node, i) => ({ node, cursor: encodeCursor(offset + i) }));
  return {
    totalCount: total,
    edges,
    pageInfo: {
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
      hasNextPage: rows.length > 0 ? offset + rows.length - 1 < total - 1 : false,
      hasPreviousPage: rows.length > 0 ? offset > 0 : false,
    },
  };
}
