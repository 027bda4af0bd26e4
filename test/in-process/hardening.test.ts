import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { FaultKind } from '../../src/emulator/faults.js';
import { DialogByIdDocument } from '../generated/graphql.js';
import { startInProcessStack, withInProcessStack, type Stack } from '../helpers/stack.js';

/*
 * Hardening that needs no socket between client and server (ids JSON cannot carry, a proxy's 504,
 * the federation SDL switch), through yoga's fetch; the portal is the emulator over loopback HTTP.
 * Malformed HTTP requests and secrets echoed by a portal are in test/e2e/hardening.test.ts.
 */

const ENTITIES =
  'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Dialog { id title } } }';

describe('ids', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startInProcessStack();
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.resetCalls());

  it('refuses an ID sent as a JSON number beyond 2^53 instead of asking for another dialog', async () => {
    const { status, body } = await stack.query(
      'query($id: ID!) { dialog(id: $id) { __typename } }',
      // biome-ignore lint/correctness/noPrecisionLoss: a number beyond 2^53 is what this test sends
      { id: 9007199254740993 },
    );
    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(body.errors?.[0]?.message).toContain('$id');
    const list = await stack.query('query($ids: [ID!]!) { dialogs(ids: $ids) { __typename } }', {
      ids: ['chat1', 2 ** 60],
    });
    expect(list.status).toBe(400);
    expect(stack.upstreamCalls()).toBe(0);
  });

  it('still takes ids as numbers JSON carries exactly, and long numbers written in the document', async () => {
    const sent = await stack.query(DialogByIdDocument, { id: 256 as unknown as string });
    expect(sent.body.data?.dialog).toMatchObject({ __typename: 'Dialog', title: 'Gleb Orlov' });
    const written = await stack.query<{ dialog: { __typename: string } }>(
      '{ dialog(id: 9007199254740993) { __typename } }',
    );
    expect(written.status).toBe(200);
    expect(stack.emulator.requests.at(-1)?.params).toEqual({ DIALOG_ID: '9007199254740993' });
  });

  it('answers DIALOG_ID_EMPTY for an entity reference whose id is a number, missing or not a string', async () => {
    const representations = [
      { __typename: 'Dialog', id: 21191 },
      { __typename: 'Dialog' },
      { __typename: 'Dialog', id: { nested: 'chat1' } },
      { __typename: 'Dialog', id: 'chat21191' },
    ];
    const { body } = await stack.query<{ _entities: unknown[] }>(ENTITIES, { representations });
    expect(body.data?._entities).toEqual([
      null,
      null,
      null,
      { id: 'chat21191', title: 'Mint Chat #3' },
    ]);
    expect(body.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([
      [['_entities', 0], 'DIALOG_ID_EMPTY'],
      [['_entities', 1], 'DIALOG_ID_EMPTY'],
      [['_entities', 2], 'DIALOG_ID_EMPTY'],
    ]);
  });
});

describe('a proxy 504 is UPSTREAM_TIMEOUT, through the retries', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startInProcessStack({ timeoutMs: 300 });
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    stack.emulator.faults.clear();
    stack.resetCalls();
  });

  it.each<[string, FaultKind[]]>([
    ['504 on every attempt', ['html-504', 'html-504', 'html-504', 'html-504']],
    ['502, then 504 on the last attempts', ['html-502', 'internal-error', 'html-504', 'html-504']],
  ])('%s → UPSTREAM_TIMEOUT, single and batch', async (_what, faults) => {
    for (const fault of faults) stack.emulator.faults.inject(fault, 1);
    const single = await stack.query(DialogByIdDocument, { id: 'chat1' });
    expect(single.body.errors?.[0]?.extensions).toEqual({
      code: 'UPSTREAM_TIMEOUT',
      upstreamCode: 'NON_JSON_ANSWER',
    });
    expect(stack.upstreamCalls()).toBe(4);
    for (const fault of faults) stack.emulator.faults.inject(fault, 1);
    const batch = await stack.query<{ dialogs: unknown[] }>(
      '{ dialogs(ids: ["chat1", "chat2"]) { __typename } }',
    );
    expect(batch.body.errors?.map((error) => error.extensions?.code)).toEqual([
      'UPSTREAM_TIMEOUT',
      'UPSTREAM_TIMEOUT',
    ]);
  });
});

describe('a proxy 504 followed by a retry that pacing cannot place before the deadline', () => {
  // A lookup out of time after an upstream failure answers that failure, not the local PACING_DEADLINE.
  it('keeps the timeout class of the last upstream answer', async () => {
    await withInProcessStack(
      {
        rps: 1,
        burst: 2,
        deadlineMs: 1500,
        retry: { retries: 3, baseDelayMs: 20, maxDelayMs: 50 },
      },
      async (stack) => {
        stack.emulator.faults.inject('html-504', 20);
        const { body } = await stack.query(DialogByIdDocument, { id: 'chat1' });
        expect(stack.upstreamCalls()).toBeGreaterThanOrEqual(1);
        expect(body.errors?.[0]?.extensions).toEqual({
          code: 'UPSTREAM_TIMEOUT',
          upstreamCode: 'NON_JSON_ANSWER',
        });
      },
    );
  });
});

describe('_service { sdl } follows INTROSPECTION unless FEDERATION_SDL says otherwise', () => {
  it.each<
    [string, { introspection: boolean; graphiql?: boolean; federationSdl?: boolean }, boolean]
  >([
    ['introspection on', { introspection: true }, true],
    ['introspection off', { introspection: false, graphiql: false }, false],
    [
      'introspection off, FEDERATION_SDL=true (a gateway composes by asking)',
      { introspection: false, graphiql: false, federationSdl: true },
      true,
    ],
    [
      'introspection on, FEDERATION_SDL=false',
      { introspection: true, federationSdl: false },
      false,
    ],
  ])('%s', async (_what, options, served) => {
    await withInProcessStack(options, async (stack) => {
      const { status, body } = await stack.query<{ _service: { sdl: string } }>(
        '{ _service { sdl } }',
      );
      if (served) {
        expect(status).toBe(200);
        expect(body.data?._service.sdl).toContain('type Dialog');
      } else {
        expect(status).toBe(400);
        expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
        expect(JSON.stringify(body)).not.toContain('type Dialog');
      }
      // Entities stay: a router executes through them whatever composes the supergraph.
      expect(
        (
          await stack.query<{ _entities: unknown[] }>(ENTITIES, {
            representations: [{ __typename: 'Dialog', id: 'chat1' }],
          })
        ).body.data?._entities,
      ).toEqual([{ id: 'chat1', title: 'General chat' }]);
    });
  });
});
