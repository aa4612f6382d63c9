// Generates the server-side resolver types from the reader schema, so the schema is the only
// description of the API (`pnpm --filter @tt/devnet build`).
import { createRequire } from 'node:module';
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: createRequire(import.meta.url).resolve('@tt/cartesi-v1/reader.graphql'),
  generates: {
    'src/node/graphql/generated/reader-types.ts': {
      plugins: [
        {
          add: {
            content:
              '// Generated from @tt/cartesi-v1/reader.graphql by `pnpm --filter @tt/cartesi-node build`: do not edit.\n/* eslint-disable */',
          },
        },
        'typescript',
        'typescript-resolvers',
      ],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { BigInt: { input: 'number | string', output: 'string' } },
        mappers: {
          Input: '../../store/rows.js#InputRow',
          Voucher: '../../store/rows.js#VoucherRow',
          Notice: '../../store/rows.js#NoticeRow',
          Report: '../../store/rows.js#ReportRow',
          Proof: '../../store/rows.js#ProofRow',
        },
        contextType: '../context.js#ReaderContext',
      },
    },
  },
};
export default config;
