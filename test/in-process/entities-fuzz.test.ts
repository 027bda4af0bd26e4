import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startInProcessStack, type Stack } from '../helpers/stack.js';

/*
 * `_entities` fed what a gateway never sends but anyone can (issue 21, finding 1): every
 * representation is answered at its own index, the whole list never fails, and no promise is left
 * to reject unobserved (which ends the process in production).
 */

const ENTITIES =
  'query($representations: [_Any!]!) { _entities(representations: $representations) { __typename ... on Dialog { id } } }';

type Expected =
  | { readonly kind: 'dialog'; readonly id: string }
  | { readonly kind: 'error'; readonly code: string };
const KINDS: ReadonlyArray<() => [unknown, Expected]> = [
  () => [
    { __typename: 'Dialog', id: 'chat1' },
    { kind: 'dialog', id: 'chat1' },
  ],
  () => [
    { __typename: 'Dialog', id: 'chat21191' },
    { kind: 'dialog', id: 'chat21191' },
  ],
  () => [
    { __typename: 'Dialog', id: 'chat666' },
    { kind: 'error', code: 'ACCESS_ERROR' },
  ],
  () => [
    { __typename: 'Dialog', id: 256 },
    { kind: 'error', code: 'DIALOG_ID_EMPTY' },
  ],
  () => [
    { __typename: 'Dialog', id: 'chat-1' },
    { kind: 'error', code: 'DIALOG_ID_EMPTY' },
  ],
  () => [{ __typename: 'Dialog' }, { kind: 'error', code: 'DIALOG_ID_EMPTY' }],
  () => [
    { __typename: 'Dialog', id: ['chat1'] },
    { kind: 'error', code: 'DIALOG_ID_EMPTY' },
  ],
  () => [
    { __typename: 'X', id: 'chat1' },
    { kind: 'error', code: 'BAD_USER_INPUT' },
  ],
  () => [{ __typename: 'Query' }, { kind: 'error', code: 'BAD_USER_INPUT' }],
  () => [
    { __typename: 'AccessError', code: 'x' },
    { kind: 'error', code: 'BAD_USER_INPUT' },
  ],
  () => [
    { __typename: 7, id: 'chat1' },
    { kind: 'error', code: 'BAD_USER_INPUT' },
  ],
  () => [{ id: 'chat1' }, { kind: 'error', code: 'BAD_USER_INPUT' }],
  () => ['Dialog:chat1', { kind: 'error', code: 'BAD_USER_INPUT' }],
  () => [42, { kind: 'error', code: 'BAD_USER_INPUT' }],
  () => [[{ __typename: 'Dialog', id: 'chat1' }], { kind: 'error', code: 'BAD_USER_INPUT' }],
];

/** A small seeded generator, so a failure names a round that can be replayed. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('_entities fuzzed with mixed, missing, unknown and malformed representations', () => {
  let stack: Stack;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeAll(async () => {
    stack = await startInProcessStack();
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await stack.close();
  });

  it.each(Array.from({ length: 12 }, (_, round) => round))(
    'round %i: each representation answered at its index, nothing left unobserved',
    async (round) => {
      const random = mulberry32(round + 1);
      const picks = Array.from({ length: 1 + Math.floor(random() * 8) }, () =>
        KINDS[Math.floor(random() * KINDS.length)]!(),
      );
      const { status, body } = await stack.query<{ _entities: unknown[] }>(ENTITIES, {
        representations: picks.map(([representation]) => representation),
      });
      expect(status).toBe(200);
      const errorsAt = new Map(
        (body.errors ?? []).map((error) => [error.path?.[1], error.extensions?.code]),
      );
      picks.forEach(([, expected], index) => {
        if (expected.kind === 'dialog') {
          expect(body.data?._entities[index]).toEqual({ __typename: 'Dialog', id: expected.id });
          expect(errorsAt.has(index)).toBe(false);
        } else {
          expect(body.data?._entities[index]).toBeNull();
          expect(errorsAt.get(index)).toBe(expected.code);
        }
      });
      // Rejections surface on a later tick: give them one before looking.
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    },
  );

  it('refuses a null representation as the client’s 400 (the list is `[_Any!]!`)', async () => {
    const { status, body } = await stack.query(ENTITIES, { representations: [null] });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toMatch(/Expected non-nullable type "_Any!" not to be null/);
  });
});
