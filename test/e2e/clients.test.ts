import './../helpers/apollo-dev.js';
import { readFileSync } from 'node:fs';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  jest,
} from '@jest/globals';
import { ApolloClient, HttpLink, InMemoryCache, type TypePolicies } from '@apollo/client';
import { loadDevMessages, loadErrorMessages } from '@apollo/client/dev';
import { cacheExchange, type KeyingConfig } from '@urql/exchange-graphcache';
import { Client, fetchExchange } from '@urql/core';
import type { IntrospectionQuery } from 'graphql';
import { DialogByIdDocument, DialogsByIdsDocument } from '../generated/graphql.js';
import { startStack, type Stack } from '../helpers/stack.js';

/** The files codegen publishes beside schema/schema.graphql (docs/clients.md). */
const published = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../../schema/${name}`, import.meta.url), 'utf8')) as T;
const { possibleTypes } = published<{ possibleTypes: Record<string, string[]> }>(
  'possible-types.json',
);
const cacheKeys = published<{ keyFields: Record<string, string[]>; embedded: string[] }>(
  'cache-keys.json',
);
const introspection = published<IntrospectionQuery>('introspection.json');

/**
 * As docs/clients.md configures Apollo Client's cache from the published files: the embedded types
 * have no identity of their own. Keyed types (Dialog) need nothing: Apollo's default key is `id`.
 */
const apolloTypePolicies: TypePolicies = Object.fromEntries(
  cacheKeys.embedded.map((type) => [type, { keyFields: false as const }]),
);

/** … and urql's graphcache: embedded types have no key. */
const graphcacheKeys: KeyingConfig = Object.fromEntries(
  cacheKeys.embedded.map((type) => [type, () => null]),
);

/** Every spelling of two chats, an error of each kind, and one spelling twice. */
const SPELLINGS = ['CHAT21191', 'chat021191', ' chat21191 ', 'Sg0103', 'chat666', 'nonsense'];

const EXPECTED_MEMBERS = [
  { __typename: 'Dialog', id: 'chat21191', title: 'Mint Chat #3' },
  { __typename: 'Dialog', id: 'chat21191', title: 'Mint Chat #3' },
  { __typename: 'Dialog', id: 'chat21191', title: 'Mint Chat #3' },
  { __typename: 'Dialog', id: 'sg103', title: 'Marketing team' },
  {
    __typename: 'AccessError',
    code: 'ACCESS_ERROR',
    message: 'You do not have access to the specified dialog',
    dialogId: 'chat666',
  },
  {
    __typename: 'DialogIdEmptyError',
    code: 'DIALOG_ID_EMPTY',
    message: 'Dialog ID is not in a known format (chatNNN, sgNNN, crmNNN or a user id NNN)',
  },
];

describe('real frontend clients with normalised caches, against the running server', () => {
  let stack: Stack;
  let warnings: string[];
  beforeAll(async () => {
    stack = await startStack();
    loadDevMessages();
    loadErrorMessages();
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    // Both clients report what they dislike with console.warn (or console.error) in development.
    warnings = [];
    for (const level of ['warn', 'error'] as const) {
      jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        warnings.push(args.map(String).join(' '));
      });
    }
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  describe('Apollo Client 4, InMemoryCache', () => {
    const apollo = (cache: InMemoryCache) =>
      new ApolloClient({ link: new HttpLink({ uri: `${stack.url}/graphql` }), cache });

    it('with the published possibleTypes: error members keep their fields, a dialog is cached once under its canonical id, no warnings', async () => {
      const cache = new InMemoryCache({ possibleTypes, typePolicies: apolloTypePolicies });
      const { data } = await apollo(cache).query({
        query: DialogsByIdsDocument,
        variables: { ids: SPELLINGS },
      });
      expect(data?.dialogs).toMatchObject(EXPECTED_MEMBERS);
      const dialogKeys = Object.keys(cache.extract()).filter((key) => key.startsWith('Dialog:'));
      expect(dialogKeys.sort()).toEqual(['Dialog:chat21191', 'Dialog:sg103']);
      expect(warnings).toEqual([]);
    });

    it('without them, the cache drops `code` and `message` of `... on Error` (why they are published)', async () => {
      const { data } = await apollo(new InMemoryCache()).query({
        query: DialogByIdDocument,
        variables: { id: 'chat666' },
        errorPolicy: 'all',
      });
      expect(data?.dialog).not.toHaveProperty('code');
      expect(data?.dialog).toEqual({ __typename: 'AccessError' });
      expect(warnings.join('\n')).toMatch(/missing `possibleTypes` entry/);
    });
  });

  describe('urql with graphcache', () => {
    const urql = (exchange: ReturnType<typeof cacheExchange>) =>
      new Client({ url: `${stack.url}/graphql`, exchanges: [exchange, fetchExchange] });

    it('with the published schema and keys: error members keep their fields, a dialog is cached once under its canonical id, no warnings', async () => {
      const client = urql(
        cacheExchange({
          schema: introspection,
          keys: graphcacheKeys,
          // A redirect: `dialog(id:)` of a canonical id is read from the Dialog entity the cache holds.
          resolvers: {
            Query: { dialog: (_parent, args) => ({ __typename: 'Dialog', id: args.id }) },
          },
        }),
      );
      const list = await client.query(DialogsByIdsDocument, { ids: SPELLINGS }).toPromise();
      expect(list.error).toBeUndefined();
      expect(list.data?.dialogs).toMatchObject(EXPECTED_MEMBERS);

      // Three spellings of chat21191 were asked; the cache answers its canonical id alone.
      stack.resetCalls();
      const cached = await client
        .query(DialogByIdDocument, { id: 'chat21191' }, { requestPolicy: 'cache-only' })
        .toPromise();
      expect(cached.data?.dialog).toMatchObject({ id: 'chat21191', title: 'Mint Chat #3' });
      expect(stack.upstreamCalls()).toBe(0);
      expect(warnings).toEqual([]);
    });

    it('without them, graphcache warns (why they are published)', async () => {
      const client = urql(cacheExchange());
      const list = await client.query(DialogsByIdsDocument, { ids: SPELLINGS }).toPromise();
      expect(list.data?.dialogs).toHaveLength(SPELLINGS.length);
      const said = warnings.join('\n');
      expect(said).toMatch(/Heuristic Fragment Matching/);
      expect(said).toMatch(/Invalid key/);
    });
  });
});
