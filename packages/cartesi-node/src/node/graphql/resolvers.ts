// Resolvers of the v1 reader schema over the node's store. Types come from generated.ts, which
// codegen derives from reader.graphql, so the schema is written once.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  buildSchema,
  GraphQLError,
  GraphQLObjectType,
  GraphQLScalarType,
  Kind,
  type GraphQLFieldResolver,
} from 'graphql';
import type { Resolvers } from './generated/reader-types.js';
import type { ReaderContext } from './context.js';
import type { Store, OutputKind } from '../store/store.js';
import { connection, pageWindow, type PageArgs } from './pagination.js';
import { chargeResolvers } from './limits.js';

/** The v1 reader schema, which the clients generate their types from too (@tt/cartesi-v1/reader.graphql). */
const readerSchemaPath = createRequire(import.meta.url).resolve('@tt/cartesi-v1/reader.graphql');
const readerSchemaSource = () => readFileSync(readerSchemaPath, 'utf8');

/** BigInt goes on the wire as a decimal string (some clients cannot hold 64-bit integers); integer literals are accepted. */
const BigIntScalar = new GraphQLScalarType({
  name: 'BigInt',
  serialize: (v) => String(v),
  parseValue: (v) => {
    if (typeof v === 'number' || (typeof v === 'string' && /^-?\d+$/.test(v))) return String(v);
    throw new GraphQLError('BigInt must be an integer or a decimal string');
  },
  parseLiteral: (ast) => {
    if (ast.kind === Kind.INT || (ast.kind === Kind.STRING && /^-?\d+$/.test(ast.value))) return ast.value;
    throw new GraphQLError('BigInt must be an integer or a decimal string');
  },
});

const notFound = (what: string) => new GraphQLError(`${what} not found`);

function page<K extends OutputKind>(store: Store, kind: K, inputIndex: number | null, args: PageArgs) {
  const total = store.countOutputs(kind, inputIndex);
  const { offset, limit } = pageWindow(args, total);
  // the overloads of store.outputs need a literal kind; the row type is fixed by K at the call sites
  const rows = store.outputs(kind as 'reports', inputIndex, offset, limit);
  return connection(rows, offset, total);
}

export const resolvers: Resolvers<ReaderContext> = {
  BigInt: BigIntScalar,
  Query: {
    input: (_p, { index }, { store }) => store.input(index) ?? Promise.reject(notFound('input')),
    voucher: (_p, { voucherIndex, inputIndex }, { store }) =>
      store.voucher(inputIndex, voucherIndex) ?? Promise.reject(notFound('voucher')),
    notice: (_p, { noticeIndex, inputIndex }, { store }) =>
      store.notice(inputIndex, noticeIndex) ?? Promise.reject(notFound('notice')),
    report: (_p, { reportIndex, inputIndex }, { store }) =>
      store.report(inputIndex, reportIndex) ?? Promise.reject(notFound('report')),
    inputs: (_p, args, { store }) => {
      const filter = { lt: args.where?.indexLowerThan, gt: args.where?.indexGreaterThan };
      const total = store.countInputs(filter);
      const { offset, limit } = pageWindow(args, total);
      return connection(store.inputs(filter, offset, limit), offset, total);
    },
    vouchers: (_p, args, { store }) => page(store, 'vouchers', null, args) as never,
    notices: (_p, args, { store }) => page(store, 'notices', null, args) as never,
    reports: (_p, args, { store }) => page(store, 'reports', null, args),
  },
  Input: {
    msgSender: (i) => i.msgSender.toLowerCase(),
    timestamp: (i) => String(i.timestamp),
    blockNumber: (i) => String(i.blockNumber),
    voucher: (i, { index }, { store }) =>
      store.voucher(i.index, index) ?? Promise.reject(notFound('voucher')),
    notice: (i, { index }, { store }) => store.notice(i.index, index) ?? Promise.reject(notFound('notice')),
    report: (i, { index }, { store }) => store.report(i.index, index) ?? Promise.reject(notFound('report')),
    vouchers: (i, args, { store }) => page(store, 'vouchers', i.index, args) as never,
    notices: (i, args, { store }) => page(store, 'notices', i.index, args) as never,
    reports: (i, args, { store }) => page(store, 'reports', i.index, args),
  },
  Voucher: {
    input: (v, _a, { store }) => store.input(v.inputIndex) ?? Promise.reject(notFound('input')),
  },
  Notice: {
    input: (n, _a, { store }) => store.input(n.inputIndex) ?? Promise.reject(notFound('input')),
  },
  Report: {
    input: (r, _a, { store }) => store.input(r.inputIndex) ?? Promise.reject(notFound('input')),
  },
};

/**
 * The reader schema from reader.graphql with these resolvers attached (fields without one read the property), every
 * field charging the request's budget (limits.ts).
 */
export function readerSchema() {
  const schema = buildSchema(readerSchemaSource());
  for (const [typeName, fieldResolvers] of Object.entries(resolvers)) {
    const type = schema.getType(typeName);
    if (type instanceof GraphQLScalarType) {
      const scalar = fieldResolvers as GraphQLScalarType;
      Object.assign(type, {
        serialize: scalar.serialize,
        parseValue: scalar.parseValue,
        parseLiteral: scalar.parseLiteral,
      });
    } else if (type instanceof GraphQLObjectType) {
      const fields = type.getFields();
      for (const [fieldName, resolve] of Object.entries(
        fieldResolvers as Record<string, GraphQLFieldResolver<unknown, unknown>>,
      )) {
        const field = fields[fieldName];
        if (!field)
          throw new Error(`resolver for ${typeName}.${fieldName}, which reader.graphql does not have`);
        field.resolve = resolve;
      }
    } else {
      throw new Error(
        `resolvers for ${typeName}, which reader.graphql does not define as an object or scalar`,
      );
    }
  }
  chargeResolvers(schema);
  return schema;
}
