import type { CodegenConfig } from '@graphql-codegen/cli';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './src/schema/index.js';

/**
 * The schema comes straight from the Pothos builder (no server needed), sorted so that the
 * committed SDL only changes when the schema does. `npm test` runs this with `--check`.
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
    'test/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, importExtension: '.js', scalars: { DateTime: 'string' } },
    },
  },
};

export default config;
