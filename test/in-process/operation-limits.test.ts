import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { DEFAULT_OPERATION_LIMITS } from '../../src/server/plugins/operation-limits.js';
import { DialogTitlesDocument } from '../generated/graphql.js';
import {
  aliasedDialogsQuery,
  startInProcessStack,
  withInProcessStack,
  type Stack,
} from '../helpers/stack.js';

/*
 * Operation limits (aliases, tokens, directives, depth, the dialog budget) and what introspection
 * shows, through yoga's fetch (no socket); the portal is the emulator over loopback HTTP. The HTTP
 * protections (body size, content types, CSRF, CORS) are in test/e2e/security.test.ts.
 */

const bulkIds = (count: number) =>
  Array.from({ length: count }, (_, index) => `chat${10001 + index}`);

describe('operation limits, enforced before any upstream call', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startInProcessStack();
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.resetCalls());

  it('lets a normal frontend page through: 200 aliased dialogs with a rich selection', async () => {
    const selection =
      '__typename ... on Dialog { id title type color memberCount dateCreate role readBy { userId } } ... on Error { code message }';
    const { status, body } = await stack.query<Record<string, { id: string }>>(
      aliasedDialogsQuery(bulkIds(200), selection),
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(Object.keys(body.data!)).toHaveLength(200);
    expect(stack.upstreamCalls()).toBe(4);
  });

  it('lets dialogs(ids:) with 200 ids through', async () => {
    const { body } = await stack.query(DialogTitlesDocument, { ids: bulkIds(200) });
    expect(body.data?.dialogs).toHaveLength(200);
  });

  it('refuses a 2000-alias query', async () => {
    const { status, body } = await stack.query(
      aliasedDialogsQuery(Array(2000).fill('chat1'), '__typename'),
    );
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toMatch(/limit/i);
    expect(stack.upstreamCalls()).toBe(0);
  });

  it('refuses 251 aliases, even of fields that cost no upstream call', async () => {
    const query = `{ ${Array.from({ length: 251 }, (_, index) => `a${index}: dialog(id: "") { __typename }`).join(' ')} }`;
    const { status, body } = await stack.query(query);
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: `Syntax Error: Aliases limit of ${DEFAULT_OPERATION_LIMITS.maxAliases} exceeded, found 251.`,
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      }),
    ]);
  });

  it('counts aliases × ids: two lists of 150 are 300 lookups', async () => {
    const { status, body } = await stack.query(
      `query($ids: [ID!]!) { a: dialogs(ids: $ids) { __typename } b: dialogs(ids: $ids) { __typename } }`,
      { ids: bulkIds(150) },
    );
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('TOO_MANY_DIALOGS');
    expect(stack.upstreamCalls()).toBe(0);
  });

  it('counts ids given as variable defaults in the document: 4000 of them, no variables sent → 400, no upstream call', async () => {
    const before = stack.emulator.requests.length;
    const defaults = JSON.stringify(bulkIds(200));
    const fields = Array.from(
      { length: 20 },
      (_, index) => `a${index}: dialogs(ids: $ids) { __typename }`,
    ).join(' ');
    const { status, body } = await stack.query(
      `query Flood($ids: [ID!]! = ${defaults}) { ${fields} }`,
    );
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('TOO_MANY_DIALOGS');
    expect(body.errors?.[0]?.message).toContain('asks for 4000 dialogs');
    expect(stack.emulator.requests.slice(before)).toEqual([]);
  });

  it('counts entity representations given as a variable default', async () => {
    const before = stack.emulator.requests.length;
    const representations = bulkIds(201)
      .map((id) => `{ __typename: "Dialog", id: "${id}" }`)
      .join(', ');
    const { status, body } = await stack.query(
      `query($r: [_Any!]! = [${representations}]) { _entities(representations: $r) { __typename } }`,
    );
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('TOO_MANY_DIALOGS');
    expect(stack.emulator.requests.slice(before)).toEqual([]);
  });

  it('counts dialog fields inside fragments', async () => {
    const fragment = `fragment Many on Query { ${bulkIds(120)
      .map((id, index) => `f${index}: dialog(id: "${id}") { __typename }`)
      .join(' ')} }`;
    const query = `query { ...Many x: dialogs(ids: ${JSON.stringify(bulkIds(90))}) { __typename } } ${fragment}`;
    const { body } = await stack.query(query);
    expect(body.errors?.[0]?.message).toContain('asks for 210 dialogs');
  });

  it('refuses a document of too many tokens', async () => {
    const query = `{ ${Array(16_000).fill('a').join(' ')} }`;
    const { status, body } = await stack.query(query);
    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({
      message: 'Syntax Error: Token limit of 15000 exceeded.',
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
  });

  it('refuses too many directives', async () => {
    const query = `{ ${Array.from({ length: 51 }, (_, index) => `a${index}: dialog(id: "") @include(if: true) { __typename }`).join(' ')} }`;
    const { status, body } = await stack.query(query);
    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({
      message: 'Syntax Error: Directives limit of 50 exceeded, found 51.',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it('refuses batched (array) requests, which would multiply every limit', async () => {
    const response = await stack.fetch('/graphql', {
      method: 'POST',
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});

describe('depth limit', () => {
  it('passes our deepest real query at the default limit, and refuses what is deeper than the limit', async () => {
    const deepest = '{ dialog(id: "chat1") { ... on Dialog { readBy { userId } } } }';
    await withInProcessStack({}, async (stack) => {
      expect((await stack.query(deepest)).body.errors).toBeUndefined();
    });
    // The schema has nothing deeper than 3, so the limit is shown working at 2.
    await withInProcessStack(
      { operationLimits: { ...DEFAULT_OPERATION_LIMITS, maxDepth: 2 } },
      async (strict) => {
        strict.resetCalls();
        const { status, body } = await strict.query(deepest);
        expect(status).toBe(400);
        expect(body.errors?.[0]).toMatchObject({
          message: 'Syntax Error: Query depth limit of 2 exceeded, found 3.',
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        });
        expect(strict.upstreamCalls()).toBe(0);
      },
    );
  });
});

describe('introspection and field suggestions', () => {
  it('serves introspection and suggestions by default (development)', async () => {
    await withInProcessStack({}, async (stack) => {
      expect((await stack.query('{ __schema { queryType { name } } }')).body.data).toEqual({
        __schema: { queryType: { name: 'Query' } },
      });
      expect(
        (await stack.query('{ dialog(id: "chat1") { ... on Dialog { titel } } }')).body.errors?.[0]
          ?.message,
      ).toContain('Did you mean');
    });
  });

  it('hides the schema when introspection is off: no __schema, no "Did you mean"', async () => {
    await withInProcessStack({ introspection: false, graphiql: false }, async (stack) => {
      const introspection = await stack.query('{ __schema { queryType { name } } }');
      expect(introspection.status).toBe(400);
      expect(introspection.body.errors?.[0]?.message).toMatch(/introspection/i);
      const typo = await stack.query('{ dialog(id: "chat1") { ... on Dialog { titel } } }');
      expect(typo.raw).not.toContain('Did you mean');
      expect(typo.raw).not.toContain('title');
      // The API itself still works.
      expect(
        (await stack.query(DialogTitlesDocument, { ids: ['chat21191'] })).body.data?.dialogs?.[0],
      ).toMatchObject({ title: 'Mint Chat #3' });
    });
  });
});
