// A minimal GraphQL-over-HTTP client for the rollup node's reader: typed by the generated documents, plain fetch, so it
// runs unchanged in the browser and in Node. (The UI may use Apollo with the same documents.)
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { isConnectionRefused, START_DEVNET_HINT, TtError } from '../errors.ts';

export interface GraphQLErrorItem {
  message: string;
  path?: (string | number)[];
}

/** The reader answers a missing item with a field error (`input not found`); callers often want null instead. */
export function isNotFound(errors: readonly GraphQLErrorItem[]): boolean {
  return errors.length > 0 && errors.every((e) => /not found/i.test(e.message));
}

export class GraphQLClient {
  constructor(
    readonly url: string,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {}

  /** Runs a query; returns the data, or null when the reader says the requested item does not exist. */
  async requestOrNull<R, V extends Record<string, unknown>>(
    doc: TypedDocumentNode<R, V>,
    variables: V,
  ): Promise<R | null> {
    let response: Response;
    try {
      response = await this.fetchImpl(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query: print(doc), variables }),
      });
    } catch (err) {
      if (isConnectionRefused(err)) {
        throw new TtError(
          'devnet-not-running',
          `the rollup node's GraphQL reader at ${this.url} is not reachable`,
          START_DEVNET_HINT,
          {
            cause: err,
          },
        );
      }
      throw new TtError(
        'node-unreachable',
        `cannot reach ${this.url}: ${(err as Error).message}`,
        undefined,
        { cause: err },
      );
    }
    const body = (await response.json().catch(() => null)) as {
      data?: R | null;
      errors?: GraphQLErrorItem[];
    } | null;
    if (!body) {
      throw new TtError(
        'node-unreachable',
        `${this.url} answered HTTP ${response.status} without a GraphQL body`,
        'check that --graphql points at the node reader, e.g. http://127.0.0.1:8080/graphql',
      );
    }
    if (body.errors?.length) {
      if (isNotFound(body.errors)) return null;
      throw new TtError(
        'graphql-error',
        `the GraphQL reader answered: ${body.errors.map((e) => e.message).join('; ')}`,
      );
    }
    if (!body.data) throw new TtError('graphql-error', `the GraphQL reader at ${this.url} returned no data`);
    return body.data;
  }

  async request<R, V extends Record<string, unknown>>(
    doc: TypedDocumentNode<R, V>,
    variables: V,
  ): Promise<R> {
    const data = await this.requestOrNull(doc, variables);
    if (data === null)
      throw new TtError(
        'graphql-error',
        `the GraphQL reader at ${this.url} found nothing for ${JSON.stringify(variables)}`,
      );
    return data;
  }
}
