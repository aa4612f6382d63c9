// Typed documents for Apollo from the Cartesi v1 reader schema (@tt/cartesi-v1, the node's own schema). The
// conversation queries are @tt/client's documents, generated here too so Apollo and the client share one shape.
import { createRequire } from 'node:module';
import type { CodegenConfig } from '@graphql-codegen/cli';

const require = createRequire(import.meta.url);

const config: CodegenConfig = {
  schema: require.resolve('@tt/cartesi-v1/reader.graphql'),
  documents: ['src/graphql/*.graphql', '../packages/client/src/graphql/documents.graphql'],
  generates: {
    'src/graphql/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        // The reader sends BigInt as a JSON string (cartesi-v1.md §2.2).
        scalars: { BigInt: 'string' },
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
        documentMode: 'documentNode',
      },
    },
  },
};
export default config;
