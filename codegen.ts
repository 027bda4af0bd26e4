import { printSubgraphSchema } from '@apollo/subgraph';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './src/schema/index.js';

/**
 * The schema comes straight from the Pothos builder (no server needed), sorted so that the
 * committed SDL only changes when the schema does. `npm test` runs this with `--check`.
 * - schema/schema.graphql: the API as clients (and introspection) see it;
 * - schema/subgraph.graphql: the Federation v2 subgraph SDL (`_service { sdl }`), for composition.
 */
const config: CodegenConfig = {
  overwrite: true,
  schema: printSchema(lexicographicSortSchema(schema)),
  documents: ['test/operations/**/*.graphql'],
  generates: {
    'schema/schema.graphql': {
      plugins: ['schema-ast'],
      config: { includeDirectives: true, sort: true },
    },
    'schema/subgraph.graphql': {
      plugins: [{ add: { content: printSubgraphSchema(schema) } }],
    },
    // The frontend example: typed documents, and the manifest for PERSISTED_OPERATIONS.
    'examples/frontend-client/src/gql/': {
      documents: ['examples/frontend-client/src/**/*.ts', '!examples/frontend-client/src/gql/**'],
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: { hashAlgorithm: 'sha256', mode: 'embedHashInDocument' },
      },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        importExtension: '.js',
        scalars: { DateTime: 'string' },
      },
    },
    'test/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        importExtension: '.js',
        scalars: { DateTime: 'string' },
      },
    },
  },
};

export default config;
