import { printSubgraphSchema } from '@apollo/subgraph';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { type GraphQLSchema, isObjectType, lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './src/schema/index.js';

/**
 * How a normalised client cache should identify each object type, for `schema/cache-keys.json`:
 * types whose `id` is an `ID!` are entities cached once under it (Dialog, by its canonical id);
 * every other object type has no identity of its own and is kept inside its parent. Apollo Client
 * and urql's graphcache each read this file (docs/clients.md).
 */
function cacheKeys(source: GraphQLSchema): {
  keyFields: Record<string, string[]>;
  embedded: string[];
} {
  const keyFields: Record<string, string[]> = {};
  const embedded: string[] = [];
  const roots = new Set([source.getQueryType()?.name]);
  for (const type of Object.values(lexicographicSortSchema(source).getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || roots.has(type.name)) continue;
    const id = type.getFields().id;
    if (id && String(id.type) === 'ID!') {
      keyFields[type.name] = ['id'];
    } else {
      embedded.push(type.name);
    }
  }
  return { keyFields, embedded };
}

/**
 * The interface `Error` would shadow JavaScript's own `Error` in the generated TypeScript: it is
 * `ErrorResult` there (the GraphQL name stays `Error`, so `... on Error` is unchanged). Codegen
 * calls this for each `_`-separated part of a name; the default makes the first letter upper case.
 */
const typeName = (part: string): string =>
  part === 'Error' ? 'ErrorResult' : part.charAt(0).toUpperCase() + part.slice(1);

const typescriptConfig = {
  useTypeImports: true,
  enumsAsTypes: true,
  importExtension: '.js',
  scalars: { DateTime: 'string' },
  namingConvention: typeName,
} as const;

/**
 * The schema comes straight from the Pothos builder (no server needed), sorted so that the
 * committed files only change when the schema does. `npm test` runs this with `--check`.
 * - schema/schema.graphql: the API as clients (and introspection) see it;
 * - schema/subgraph.graphql: the Federation v2 subgraph SDL (`_service { sdl }`), for composition;
 * - schema/possible-types.json: the members of each union and interface, Apollo Client's
 *   `possibleTypes` (without it its cache drops the fields of `... on Error`);
 * - schema/introspection.json: the schema in the minified form urql's graphcache takes as `schema`;
 * - schema/cache-keys.json: which types a normalised cache keys by id and which it embeds.
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
    'schema/possible-types.json': {
      plugins: ['fragment-matcher'],
      config: { apolloClientVersion: 3, deterministic: true },
    },
    'schema/introspection.json': {
      plugins: ['urql-introspection'],
    },
    'schema/cache-keys.json': {
      plugins: [{ add: { content: `${JSON.stringify(cacheKeys(schema), null, 2)}\n` } }],
    },
    // The frontend example: typed documents, and the manifest for PERSISTED_OPERATIONS.
    'examples/frontend-client/src/gql/': {
      documents: ['examples/frontend-client/src/**/*.ts', '!examples/frontend-client/src/gql/**'],
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: { hashAlgorithm: 'sha256', mode: 'embedHashInDocument' },
      },
      config: typescriptConfig,
    },
    // The browser page (examples/browser-page): typed documents for its urql client.
    'examples/browser-page/src/gql/': {
      documents: ['examples/browser-page/src/**/*.ts', '!examples/browser-page/src/gql/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: typescriptConfig,
    },
    'test/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: typescriptConfig,
    },
  },
};

export default config;
