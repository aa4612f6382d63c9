// GraphQL over HTTP: POST a standard {query, variables, operationName} body; GET shows a page that
// tells you how to query (the real node serves the GraphQL Playground, which needs a CDN).
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  execute,
  GraphQLError,
  parse,
  Source,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { ExecutionBudget, GRAPHQL_LIMITS, limitError, limitRules, nestingDepth } from './limits.js';
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

/** A GraphQL error as JSON: message, and where known its locations, path and extensions (code, limit, found). */
function formatError(e: GraphQLError) {
  return {
    message: e.message,
    ...(e.locations ? { locations: e.locations } : {}),
    ...(e.path ? { path: e.path } : {}),
    ...(e.extensions && Object.keys(e.extensions).length ? { extensions: e.extensions } : {}),
  };
}

function reply(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * One GraphQL request: parse (token limit), the limit rules, graphql-js's validation, then execution under a budget
 * (GRAPHQL_LIMITS). Every error, a malformed query's included, comes back as a message that says what is wrong.
 */
export function handleGraphql(
  schema: GraphQLSchema,
  context: ReaderContext,
  body: Buffer,
  res: ServerResponse,
): void {
  let request: { query?: unknown; variables?: unknown; operationName?: unknown };
  try {
    request = JSON.parse(body.toString('utf8'));
  } catch {
    return reply(res, 400, {
      errors: [{ message: 'the request body must be JSON: {"query": "...", "variables": {...}}' }],
    });
  }
  if (typeof request?.query !== 'string') {
    return reply(res, 400, { errors: [{ message: 'the request has no "query" string' }] });
  }
  if (
    request.variables != null &&
    (typeof request.variables !== 'object' || Array.isArray(request.variables))
  )
    return reply(res, 400, { errors: [{ message: '"variables" must be an object' }] });

  const nesting = nestingDepth(request.query);
  if (nesting > GRAPHQL_LIMITS.maxNesting)
    return reply(res, 200, {
      errors: [
        formatError(
          limitError(
            'QUERY_TOO_DEEP',
            `the query nests ${nesting} levels of braces; this node allows ${GRAPHQL_LIMITS.maxDepth} levels of fields: ` +
              'ask for fewer nested levels',
            nesting,
            GRAPHQL_LIMITS.maxDepth,
          ),
        ),
      ],
    });
  let document: DocumentNode;
  try {
    document = parse(new Source(request.query), { maxTokens: GRAPHQL_LIMITS.maxTokens });
  } catch (e) {
    if (e instanceof GraphQLError) {
      // graphql-js words it "Document contains more that N tokens"
      const tooLarge = /contains more th\w+ \d+ tokens/.test(e.message);
      return reply(res, 200, {
        errors: [
          tooLarge
            ? formatError(
                limitError(
                  'QUERY_TOO_LARGE',
                  `the query has more than ${GRAPHQL_LIMITS.maxTokens} tokens, this node's limit: send a smaller query`,
                  undefined,
                  GRAPHQL_LIMITS.maxTokens,
                ),
              )
            : formatError(e),
        ],
      });
    }
    // a query nested deeper than the parser's stack
    if (e instanceof RangeError)
      return reply(res, 200, {
        errors: [
          formatError(
            limitError(
              'QUERY_TOO_DEEP',
              `the query is nested too deeply to parse; this node allows ${GRAPHQL_LIMITS.maxDepth} levels`,
              undefined,
              GRAPHQL_LIMITS.maxDepth,
            ),
          ),
        ],
      });
    throw e;
  }
  // the limits first and alone: some of graphql-js's own rules are quadratic in the size of the query
  let errors = validate(schema, document, limitRulesFor(schema));
  if (errors.length === 0) errors = validate(schema, document);
  if (errors.length) return reply(res, 200, { errors: errors.map(formatError) });

  const budget = new ExecutionBudget();
  const result = execute({
    schema,
    document,
    variableValues: (request.variables as Record<string, unknown> | null) ?? undefined,
    operationName: typeof request.operationName === 'string' ? request.operationName : undefined,
    contextValue: { ...context, budget },
  });
  const send = (r: ExecutionResult) => {
    // past a limit the partial answer is dropped: one error that names the limit
    if (budget.exceeded) return reply(res, 200, { errors: [formatError(budget.exceeded)] });
    reply(res, 200, {
      ...(r.errors ? { errors: r.errors.map(formatError) } : {}),
      ...('data' in r ? { data: r.data } : {}),
    });
  };
  if (result instanceof Promise) {
    result.then(send, (e: unknown) =>
      reply(res, 500, { errors: [{ message: `internal error: ${(e as Error).message}` }] }),
    );
  } else send(result);
}

const rulesBySchema = new WeakMap<GraphQLSchema, ReturnType<typeof limitRules>>();
function limitRulesFor(schema: GraphQLSchema) {
  let rules = rulesBySchema.get(schema);
  if (!rules) rulesBySchema.set(schema, (rules = limitRules(schema)));
  return rules;
}

export type { IncomingMessage };
