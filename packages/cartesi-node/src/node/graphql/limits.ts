// What one GraphQL request may cost the node. The reader's connections nest (an input's vouchers, each voucher's input,
// its vouchers again …), so without limits a few kilobytes of query ask for gigabytes of answer, and the node, which
// runs its resolvers synchronously on its one event loop, stops answering everything else (inspect, /finish, health)
// while it builds them. So a query is measured before it runs (tokens while parsing; depth, aliases and fields once
// parsed; an estimate for introspection, whose lists are known), and what it really produces is counted while it runs:
// past a limit it stops with an error that names the limit. Every limit is far above what the clients here ask for
// (the deepest, a page of inputs with their vouchers' proofs, is 9 levels).
import {
  GraphQLError,
  defaultFieldResolver,
  getNamedType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  Kind,
  type ASTVisitor,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

export const GRAPHQL_LIMITS = {
  /** Request body (query and variables). */
  maxBodyBytes: 1024 * 1024,
  /** Lexical tokens of the query: parsing stops past this. */
  maxTokens: 10_000,
  /** Nested fields (`ofType` chains of introspection do not count: they end by themselves). */
  maxDepth: 10,
  /** Nested braces, brackets and parentheses, checked before parsing (the parser recurses once per level). */
  maxNesting: 64,
  maxAliases: 30,
  /** Field selections with every fragment spread expanded where it is used. */
  maxFields: 1_000,
  /**
   * Estimated result nodes of the introspection part of a query (an upper bound: every list as long as the longest of
   * its kind). The standard introspection query is estimated at about 80,000 here.
   */
  maxIntrospectionNodes: 200_000,
  /** Fields resolved while executing. */
  maxResolvedFields: 250_000,
  /** Approximate size of the answer (the text of every value resolved). */
  maxResponseBytes: 64 * 1024 * 1024,
} as const;

export type LimitCode =
  | 'QUERY_TOO_LARGE'
  | 'QUERY_TOO_DEEP'
  | 'TOO_MANY_ALIASES'
  | 'TOO_MANY_FIELDS'
  | 'INTROSPECTION_TOO_COSTLY'
  | 'RESPONSE_TOO_LARGE';

export function limitError(code: LimitCode, message: string, found?: number, limit?: number): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code,
      ...(limit !== undefined ? { limit } : {}),
      ...(found !== undefined ? { found } : {}),
    },
  });
}

// ------------------------------------------------------------------------------------ before parsing

/**
 * The deepest nesting of `{`, `[` and `(` outside strings and comments, by one linear pass: a query nested thousands of
 * levels deep is refused here instead of exhausting the stack of graphql-js's recursive parser.
 */
export function nestingDepth(query: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (c === '#') {
      while (i < query.length && query[i] !== '\n' && query[i] !== '\r') i++;
    } else if (c === '"') {
      if (query.startsWith('"""', i)) {
        const end = query.indexOf('"""', i + 3);
        i = end === -1 ? query.length : end + 2;
      } else {
        for (i++; i < query.length && query[i] !== '"' && query[i] !== '\n'; i++) if (query[i] === '\\') i++;
      }
    } else if (c === '{' || c === '[' || c === '(') {
      if (++depth > max) max = depth;
    } else if (c === '}' || c === ']' || c === ')') {
      depth--;
    }
  }
  return max;
}

// ------------------------------------------------------------------------------------ measuring a parsed query

interface Shape {
  depth: number;
  fields: number;
  aliases: number;
}

/** Lists of the introspection schema and how long each can be in this schema. */
interface Factors {
  types: number;
  fields: number;
  args: number;
  inputFields: number;
  enumValues: number;
  interfaces: number;
  possibleTypes: number;
  directives: number;
}

export function introspectionFactors(schema: GraphQLSchema): Factors {
  const f: Factors = {
    types: 0,
    fields: 0,
    args: 0,
    inputFields: 0,
    enumValues: 0,
    interfaces: 0,
    possibleTypes: 0,
    directives: schema.getDirectives().length,
  };
  const types = Object.values(schema.getTypeMap());
  f.types = types.length;
  for (const d of schema.getDirectives()) f.args = Math.max(f.args, d.args.length);
  for (const t of types) {
    if (isObjectType(t) || isInterfaceType(t)) {
      const fields = Object.values(t.getFields());
      f.fields = Math.max(f.fields, fields.length);
      for (const field of fields) f.args = Math.max(f.args, field.args.length);
      f.interfaces = Math.max(f.interfaces, t.getInterfaces().length);
    }
    if (isInputObjectType(t)) f.inputFields = Math.max(f.inputFields, Object.keys(t.getFields()).length);
    if (isEnumType(t)) f.enumValues = Math.max(f.enumValues, t.getValues().length);
    if (isAbstractType(t)) f.possibleTypes = Math.max(f.possibleTypes, schema.getPossibleTypes(t).length);
  }
  return f;
}

class QueryMeasure {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly shapes = new Map<string, Shape>();
  private readonly visiting = new Set<string>();

  constructor(
    doc: DocumentNode,
    private readonly factors: Factors,
  ) {
    for (const d of doc.definitions)
      if (d.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(d.name.value, d);
  }

  /** Depth, fields and aliases of a selection set, fragments expanded (each fragment measured once). */
  shape(set: SelectionSetNode | undefined): Shape {
    const s: Shape = { depth: 0, fields: 0, aliases: 0 };
    for (const sel of set?.selections ?? []) {
      let inner: Shape;
      if (sel.kind === Kind.FIELD) {
        const child = this.shape(sel.selectionSet);
        const own = sel.name.value === 'ofType' ? 0 : 1;
        inner = {
          depth: own + child.depth,
          fields: 1 + child.fields,
          aliases: (sel.alias ? 1 : 0) + child.aliases,
        };
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        inner = this.shape(sel.selectionSet);
      } else {
        inner = this.fragmentShape(sel.name.value);
      }
      s.depth = Math.max(s.depth, inner.depth);
      s.fields += inner.fields;
      s.aliases += inner.aliases;
    }
    return s;
  }

  private fragmentShape(name: string): Shape {
    const known = this.shapes.get(name);
    if (known) return known;
    const def = this.fragments.get(name);
    // unknown or cyclic fragments are the standard rules' to report
    if (!def || this.visiting.has(name)) return { depth: 0, fields: 0, aliases: 0 };
    this.visiting.add(name);
    const s = this.shape(def.selectionSet);
    this.visiting.delete(name);
    this.shapes.set(name, s);
    return s;
  }

  /**
   * Result nodes the introspection fields of a selection set can produce: each list field multiplies by the longest
   * such list in this schema. Fields outside introspection cost nothing here (their cost is counted while running).
   */
  introspectionNodes(set: SelectionSetNode | undefined, inside: boolean, depth = 0): number {
    if (!set || depth > 64) return 0;
    let n = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const name = sel.name.value;
        const enters = inside || name === '__schema' || name === '__type';
        if (!enters) {
          n += this.introspectionNodes(sel.selectionSet, false, depth + 1);
          continue;
        }
        const factor = inside ? ((this.factors as unknown as Record<string, number>)[name] ?? 1) : 1;
        n += factor * (1 + this.introspectionNodes(sel.selectionSet, true, depth + 1));
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        n += this.introspectionNodes(sel.selectionSet, inside, depth + 1);
      } else {
        const def = this.fragments.get(sel.name.value);
        if (def && !this.visiting.has(def.name.value)) {
          this.visiting.add(def.name.value);
          n += this.introspectionNodes(def.selectionSet, inside, depth + 1);
          this.visiting.delete(def.name.value);
        }
      }
      if (n > Number.MAX_SAFE_INTEGER) return n;
    }
    return n;
  }
}

/** The limit rules, run before graphql-js's own (some of which are quadratic in the size of the query). */
export function limitRules(schema: GraphQLSchema): ValidationRule[] {
  const factors = introspectionFactors(schema);
  const L = GRAPHQL_LIMITS;
  const rule = (context: ValidationContext): ASTVisitor => ({
    Document(doc) {
      const measure = new QueryMeasure(doc, factors);
      for (const def of doc.definitions) {
        if (def.kind !== Kind.OPERATION_DEFINITION) continue;
        const s = measure.shape(def.selectionSet);
        const op = def.name ? `operation ${def.name.value}` : 'the query';
        if (s.depth > L.maxDepth)
          context.reportError(
            limitError(
              'QUERY_TOO_DEEP',
              `${op} nests fields ${s.depth} levels deep; this node allows ${L.maxDepth}: ask for fewer nested levels ` +
                "(e.g. not an input's vouchers' input's vouchers) and fetch further pages in separate queries",
              s.depth,
              L.maxDepth,
            ),
          );
        if (s.aliases > L.maxAliases)
          context.reportError(
            limitError(
              'TOO_MANY_ALIASES',
              `${op} uses ${s.aliases} aliases; this node allows ${L.maxAliases}: send several smaller queries`,
              s.aliases,
              L.maxAliases,
            ),
          );
        if (s.fields > L.maxFields)
          context.reportError(
            limitError(
              'TOO_MANY_FIELDS',
              `${op} selects ${s.fields} fields (fragments expanded); this node allows ${L.maxFields}: select fewer fields`,
              s.fields,
              L.maxFields,
            ),
          );
        const nodes = measure.introspectionNodes(def.selectionSet, false);
        if (nodes > L.maxIntrospectionNodes)
          context.reportError(
            limitError(
              'INTROSPECTION_TOO_COSTLY',
              `${op} could produce about ${Math.min(nodes, 1e15).toExponential(1)} introspection results; this node allows ` +
                `${L.maxIntrospectionNodes}: use the standard introspection query, or read the schema file (@tt/cartesi-v1/reader.graphql)`,
              Math.min(nodes, Number.MAX_SAFE_INTEGER),
              L.maxIntrospectionNodes,
            ),
          );
      }
      return false; // measured as a whole: nothing to visit below
    },
  });
  return [rule];
}

// ------------------------------------------------------------------------------------ counting while running

/** One request's running totals; resolvers charge it, and it throws once a limit is passed. */
export class ExecutionBudget {
  fields = 0;
  bytes = 0;
  exceeded: GraphQLError | null = null;

  charge(value: unknown): void {
    if (this.exceeded) throw this.exceeded;
    this.fields++;
    this.bytes += 8 + sizeOf(value);
    if (this.fields > GRAPHQL_LIMITS.maxResolvedFields) {
      this.exceeded = limitError(
        'RESPONSE_TOO_LARGE',
        `the answer would have more than ${GRAPHQL_LIMITS.maxResolvedFields} fields; ask for fewer items per page ` +
          '(first/last) or fewer fields, and fetch the rest with the page cursors',
        this.fields,
        GRAPHQL_LIMITS.maxResolvedFields,
      );
    } else if (this.bytes > GRAPHQL_LIMITS.maxResponseBytes) {
      this.exceeded = limitError(
        'RESPONSE_TOO_LARGE',
        `the answer would be larger than ${GRAPHQL_LIMITS.maxResponseBytes / (1024 * 1024)} MiB; ask for fewer items per ` +
          'page (first/last), or leave out the payloads, and fetch the rest with the page cursors',
        this.bytes,
        GRAPHQL_LIMITS.maxResponseBytes,
      );
    }
    if (this.exceeded) throw this.exceeded;
  }
}

function sizeOf(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) {
    let n = 0;
    for (const v of value) n += typeof v === 'string' ? v.length + 3 : 8;
    return n;
  }
  return 0;
}

/** Context of one request: the reader's, plus its budget. */
export interface Budgeted {
  budget?: ExecutionBudget;
}

/**
 * Makes every field of the schema's own object types (not the introspection ones, which graphql-js shares between
 * schemas) charge the request's budget. The wrapped resolver stays synchronous when the
 * original is, so a query that passes its budget unwinds at once (the reader's fields are non-null nearly everywhere,
 * so the error propagates up instead of being retried field after field).
 */
export function chargeResolvers(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const inner = field.resolve ?? defaultFieldResolver;
      // leaves are charged with their value once resolved; objects (and lists of them) as they are entered
      const leaf = !isObjectType(getNamedType(field.type));
      field.resolve = (source, args, context: Budgeted, info) => {
        const budget = context.budget;
        if (budget && !leaf) budget.charge(undefined);
        const value = inner(source, args, context, info);
        if (budget && leaf && !(value instanceof Promise)) budget.charge(value);
        return value;
      };
    }
  }
}
