import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';

/** The typed outputs of GraphQL Code Generator that code imports from (codegen.ts). */
const GENERATED = [
  'test/generated/graphql.ts',
  'examples/frontend-client/src/gql/graphql.ts',
  'examples/browser-page/src/gql/graphql.ts',
];

describe('generated TypeScript names', () => {
  it.each(GENERATED)(
    '%s names the GraphQL interface `Error` ErrorResult, never shadowing JavaScript’s Error',
    (path) => {
      const source = readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
      expect(source).not.toMatch(/\bexport (type|interface|const|class) Error\b/);
      expect(source).toMatch(/\bexport type ErrorResult = \{/);
    },
  );
});
