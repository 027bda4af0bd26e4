import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startInProcessStack, type Stack } from '../helpers/stack.js';

/*
 * The subgraph's own federation fields, through yoga's fetch (no socket); the portal is the emulator
 * over loopback HTTP. Composition and a real gateway calling us over HTTP: test/e2e/federation.test.ts.
 */

const SUBGRAPH_SDL = readFileSync(
  new URL('../../schema/subgraph.graphql', import.meta.url),
  'utf8',
);
const ENTITIES =
  'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Dialog { id title } } }';
const bulkIds = (count: number) =>
  Array.from({ length: count }, (_, index) => `chat${10001 + index}`);
const asRepresentations = (ids: readonly string[]) =>
  ids.map((id) => ({ __typename: 'Dialog', id }));

describe('the subgraph: _service and _entities', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startInProcessStack();
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.resetCalls());

  it('serves the committed subgraph SDL as _service { sdl }', async () => {
    const { body } = await stack.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(body.data?._service.sdl.trim()).toBe(SUBGRAPH_SDL.trim());
    expect(SUBGRAPH_SDL).toContain(
      '@link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])',
    );
    expect(SUBGRAPH_SDL).toMatch(/type Dialog\s+@key\(fields: "id"\)/);
  });

  it('resolves 120 references with 3 upstream calls, in the order given', async () => {
    const ids = bulkIds(120).reverse();
    const { body } = await stack.query<{ _entities: Array<{ id: string; title: string }> }>(
      ENTITIES,
      { representations: asRepresentations(ids) },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?._entities.map((dialog) => dialog.id)).toEqual(ids);
    expect(body.data?._entities[0]).toEqual({ id: 'chat10120', title: 'Project room #120' });
    expect(stack.upstreamCalls()).toBe(3);
  });

  it('resolves every spelling of one dialog to its canonical key, with one command', async () => {
    stack.resetCalls();
    const { body } = await stack.query<{ _entities: Array<{ id: string; title: string }> }>(
      ENTITIES,
      { representations: asRepresentations(['CHAT21191', 'chat021191', 'chat21191']) },
    );
    expect(body.data?._entities).toEqual(Array(3).fill({ id: 'chat21191', title: 'Mint Chat #3' }));
    expect(stack.upstreamCalls()).toBe(1);
    expect(stack.emulator.requests.at(-1)).toMatchObject({ params: { DIALOG_ID: 'chat21191' } });
  });

  it('answers null and an ACCESS_ERROR error, at its index, for a dialog the caller may not read', async () => {
    const { body } = await stack.query<{ _entities: unknown[] }>(ENTITIES, {
      representations: asRepresentations(['chat21191', 'chat666', 'chat1']),
    });
    expect(body.data?._entities).toEqual([
      { id: 'chat21191', title: 'Mint Chat #3' },
      null,
      { id: 'chat1', title: 'General chat' },
    ]);
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: 'You do not have access to the specified dialog',
        path: ['_entities', 1],
        extensions: { code: 'ACCESS_ERROR', dialogId: 'chat666' },
      }),
    ]);
    expect(stack.upstreamCalls()).toBe(1);
  });

  it('shares the request’s loader between _entities and plain fields', async () => {
    const query = `query($representations: [_Any!]!) {
      _entities(representations: $representations) { ... on Dialog { title } }
      dialog(id: "chat10001") { ... on Dialog { title } }
    }`;
    await stack.query(query, { representations: asRepresentations(bulkIds(40)) });
    expect(stack.upstreamCalls()).toBe(1);
  });

  it('counts references in the dialog budget', async () => {
    const { status, body } = await stack.query(ENTITIES, {
      representations: asRepresentations(bulkIds(201)),
    });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('TOO_MANY_DIALOGS');
    expect(stack.upstreamCalls()).toBe(0);
  });

  it('resolves Bitrix24User references with dialogs in one call, a hidden or malformed one as null with its error', async () => {
    const query = `query($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on Bitrix24User { id name avatar }
        ... on Dialog { id owner { name } }
      }
    }`;
    const { body } = await stack.query<{ _entities: unknown[] }>(query, {
      representations: [
        { __typename: 'Bitrix24User', id: '5' },
        { __typename: 'Dialog', id: 'chat21191' },
        { __typename: 'Bitrix24User', id: '99999' },
        { __typename: 'Bitrix24User', id: 'x' },
        { __typename: 'Bitrix24User', id: 256 },
      ],
    });
    expect(body.data?._entities).toEqual([
      { id: '5', name: 'Elena Smirnova', avatar: expect.stringMatching(/elena\.png$/) },
      { id: 'chat21191', owner: { name: 'Boris Ivanov' } },
      null,
      null,
      expect.objectContaining({ id: '256', name: 'Gleb Orlov' }),
    ]);
    // Errors in the order they settle: the malformed id at once, the hidden user after its call.
    expect(
      body.errors
        ?.map((error) => [error.path, error.extensions?.code])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual([
      [['_entities', 2], 'USER_NOT_FOUND'],
      [['_entities', 3], 'INVALID_FORMAT'],
    ]);
    // The dialog, its owner (asked once the dialog arrived) and the users: at most two calls.
    expect(stack.upstreamCalls()).toBeLessThanOrEqual(2);
    expect(readFileSync(new URL('../../schema/subgraph.graphql', import.meta.url), 'utf8')).toMatch(
      /type Bitrix24User\s+@key\(fields: "id"\)/,
    );
  });
});
