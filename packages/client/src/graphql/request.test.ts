// Against a real HTTP server on a random port (and a closed one): the error mapping is the point, so no fetch stubs.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TtError } from '../errors.ts';
import { InputByIndexDocument } from './generated/graphql.ts';
import { GraphQLClient } from './request.ts';

let server: Server;
let base = '';
let answer: (body: { query: string; variables: Record<string, unknown> }) => { status: number; body: string };

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      const a = answer(JSON.parse(text));
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('GraphQLClient', () => {
  it('sends the printed document and variables and returns data', async () => {
    let seen: { query: string; variables: Record<string, unknown> } | undefined;
    answer = (b) => {
      seen = b;
      return { status: 200, body: JSON.stringify({ data: { input: { index: 3 } } }) };
    };
    const data = await new GraphQLClient(`${base}/graphql`).request(InputByIndexDocument, { index: 3 });
    expect(data.input.index).toBe(3);
    expect(seen!.variables).toEqual({ index: 3 });
    expect(seen!.query).toMatch(/query InputByIndex\(\$index: Int!\)/);
    expect(seen!.query).toMatch(/fragment InputOutputs on Input/);
  });

  it("turns the reader's 'not found' field error into null", async () => {
    answer = () => ({
      status: 200,
      body: JSON.stringify({ data: null, errors: [{ message: 'input not found' }] }),
    });
    expect(
      await new GraphQLClient(`${base}/graphql`).requestOrNull(InputByIndexDocument, { index: 9 }),
    ).toBeNull();
  });

  it('reports other GraphQL errors and non-GraphQL answers with the URL', async () => {
    answer = () => ({ status: 200, body: JSON.stringify({ errors: [{ message: 'Unknown field' }] }) });
    await expect(
      new GraphQLClient(`${base}/graphql`).request(InputByIndexDocument, { index: 1 }),
    ).rejects.toMatchObject({
      code: 'graphql-error',
      message: expect.stringContaining('Unknown field'),
    });
    answer = () => ({ status: 404, body: 'no such route' });
    await expect(
      new GraphQLClient(`${base}/nope`).request(InputByIndexDocument, { index: 1 }),
    ).rejects.toMatchObject({
      code: 'node-unreachable',
      hint: expect.stringContaining('--graphql'),
    });
  });

  it('says to start the devnet when nothing listens', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const err = await new GraphQLClient(`http://127.0.0.1:${port}/graphql`)
      .request(InputByIndexDocument, { index: 0 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TtError);
    expect(err).toMatchObject({ code: 'devnet-not-running', hint: expect.stringContaining('pnpm devnet') });
  });
});
