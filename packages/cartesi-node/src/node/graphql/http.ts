// GraphQL over HTTP: POST a standard {query, variables, operationName} body; GET shows a page that
// tells you how to query (the real node serves the GraphQL Playground, which needs a CDN).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { graphql, type GraphQLSchema } from 'graphql';
import type { ReaderContext } from './context.js';

export function graphqlPage(url: string): string {
  const example = `{ inputs(last: 5) { totalCount edges { node { index status msgSender payload notices { edges { node { index payload proof { context } } } } } } } }`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>Cartesi v1 GraphQL reader</title></head>
<body style="font-family: sans-serif; max-width: 52rem; margin: 2rem auto">
<h1>Cartesi v1 GraphQL reader (local node)</h1>
<p>POST JSON <code>{"query": "...", "variables": {...}}</code> to <code>${url}</code>. The schema is the Cartesi rollups-node v1 reader schema.</p>
<textarea id="q" rows="6" style="width:100%">${example}</textarea><br><button id="run">Run</button>
<pre id="out" style="background:#f4f4f4; padding:1rem; white-space: pre-wrap"></pre>
<script>
document.getElementById('run').onclick = async () => {
  const r = await fetch(location.href, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: document.getElementById('q').value }) });
  document.getElementById('out').textContent = JSON.stringify(await r.json(), null, 2);
};
</script></body></html>`;
}

export async function handleGraphql(
  schema: GraphQLSchema,
  context: ReaderContext,
  body: Buffer,
  res: ServerResponse,
): Promise<void> {
  let request: { query?: unknown; variables?: unknown; operationName?: unknown };
  try {
    request = JSON.parse(body.toString('utf8'));
  } catch {
    res.writeHead(400, { 'content-type': 'application/json' });
    return void res.end(
      JSON.stringify({
        errors: [{ message: 'the request body must be JSON: {"query": "...", "variables": {...}}' }],
      }),
    );
  }
  if (typeof request.query !== 'string') {
    res.writeHead(400, { 'content-type': 'application/json' });
    return void res.end(JSON.stringify({ errors: [{ message: 'the request has no "query" string' }] }));
  }
  const result = await graphql({
    schema,
    source: request.query,
    variableValues: (request.variables as Record<string, unknown> | null) ?? undefined,
    operationName: typeof request.operationName === 'string' ? request.operationName : undefined,
    contextValue: context,
  });
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(result));
}

export type { IncomingMessage };
