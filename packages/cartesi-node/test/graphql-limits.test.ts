// The reader's limits (src/node/graphql/limits.ts) against the queries an attacker sends: nested connections that
// multiply (the 7.6 KB query that answered 120 MB in 7.7 s), aliases, fragment bombs, a 100,000-level nesting, a
// malformed query, an answer past the size cap. Each must fail with an error that names its limit, and the node must
// keep answering the ordinary queries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPHQL_LIMITS } from '../src/node/graphql/limits.js';
import { gql, startEchoNode, user, type TestNode } from './helpers.js';

let node: TestNode;

beforeAll(async () => {
  node = await startEchoNode();
  const alice = await user(node, 1);
  for (const text of ['one', 'two', 'three']) await alice.addInput(text);
  alice.destroy();
  await node.settled();
}, 60_000);

afterAll(async () => {
  await node?.stop();
});

type Errors = { message: string; extensions?: { code?: string; limit?: number; found?: number } }[];
const errorsOf = async (query: string) => (await gql(node, query)).errors as Errors | undefined;

/** inputs → vouchers → input → vouchers → …: every level multiplies the answer by the page sizes. */
function amplifying(levels: number): string {
  let inner = 'index payload';
  for (let i = 0; i < levels; i++) inner = `index vouchers { edges { node { input { ${inner} } } } }`;
  return `{ inputs { edges { node { ${inner} } } } }`;
}

describe('the GraphQL reader limits', () => {
  it('refuses a query nested past the depth limit, naming the limit', async () => {
    const errors = await errorsOf(amplifying(6));
    expect(errors).toHaveLength(1);
    expect(errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', limit: GRAPHQL_LIMITS.maxDepth });
    expect(errors![0]!.message).toMatch(/nests fields \d+ levels deep; this node allows 10/);
  });

  it('counts depth through fragments, and refuses alias and field floods and fragment bombs', async () => {
    const viaFragments = await errorsOf(
      `fragment A on Input { vouchers { edges { node { input { ...B } } } } }
       fragment B on Input { vouchers { edges { node { input { ...C } } } } }
       fragment C on Input { vouchers { edges { node { input { index } } } } }
       { inputs { edges { node { ...A } } } }`,
    );
    expect(viaFragments?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: inputs { totalCount }`).join(' ');
    expect((await errorsOf(`{ ${aliases} }`))?.[0]?.extensions?.code).toBe('TOO_MANY_ALIASES');
    // each fragment uses the previous one four times: 4^8 selections from a few hundred bytes
    const bomb = ['fragment F0 on Input { index }'];
    for (let i = 1; i <= 8; i++)
      bomb.push(`fragment F${i} on Input { ...F${i - 1} ...F${i - 1} ...F${i - 1} ...F${i - 1} }`);
    const errors = await errorsOf(`${bomb.join('\n')}\n{ input(index: 0) { ...F8 } }`);
    expect(errors?.[0]?.extensions?.code).toBe('TOO_MANY_FIELDS');
  });

  it('gives a real message for a malformed query and for a 100,000-level nesting, and keeps answering', async () => {
    const malformed = await errorsOf('{ inputs { edges { node { index } }');
    expect(malformed?.[0]?.message).toMatch(/Syntax Error/);
    expect(malformed?.[0]?.message.length).toBeGreaterThan(10);
    const deep = `${'{a'.repeat(100_000)}${'}'.repeat(100_000)}`;
    const errors = await errorsOf(deep);
    expect(errors).toHaveLength(1);
    expect(errors![0]!.extensions?.code).toBe('QUERY_TOO_DEEP');
    expect(errors![0]!.message).toMatch(/nests 100000 levels of braces; this node allows 10 levels/);
    // a body past 1 MiB: the same kind of answer, as JSON
    const huge = await gql(node, `{ ${'a '.repeat(600_000)} }`);
    expect(huge.errors?.[0]?.message).toMatch(/larger than 1048576 bytes/);
    expect((await gql(node, '{ inputs { totalCount } }')).data.inputs.totalCount).toBe(3);
  });

  it('stops an answer past the size cap with RESPONSE_TOO_LARGE, and still serves the standard introspection query', async () => {
    // 2 MiB of payload, asked for under 30 aliases: 120 MiB of hex
    const alice = await user(node, 2);
    await alice.addInput('x'.repeat(2 * 1024 * 1024 - 100));
    alice.destroy();
    await node.settled();
    const aliases = Array.from({ length: 30 }, (_, i) => `p${i}: payload`).join(' ');
    const errors = await errorsOf(`{ input(index: 3) { ${aliases} } }`);
    expect(errors).toHaveLength(1);
    expect(errors![0]!.extensions).toMatchObject({
      code: 'RESPONSE_TOO_LARGE',
      limit: GRAPHQL_LIMITS.maxResponseBytes,
    });
    const { getIntrospectionQuery } = await import('graphql');
    const intro = await gql(node, getIntrospectionQuery());
    expect(intro.errors).toBeUndefined();
    expect(intro.data.__schema.queryType.name).toBe('Query');
    // introspection that recurses through fields and their types is refused
    const nested = await errorsOf(
      '{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }',
    );
    expect(nested?.[0]?.extensions?.code).toBe('INTROSPECTION_TOO_COSTLY');
  }, 120_000);

  it('refuses a query with more than 10,000 tokens before parsing it all', async () => {
    const fields = Array.from({ length: 11_000 }, () => 'index').join(' ');
    const errors = await errorsOf(`{ input(index: 0) { ${fields} } }`);
    expect(errors?.[0]?.extensions?.code).toBe('QUERY_TOO_LARGE');
  });
});
