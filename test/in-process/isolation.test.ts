import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_TOKENS } from '../../src/emulator/fixtures.js';
import { DialogTitlesDocument } from '../generated/graphql.js';
import { startInProcessStack, type Stack } from '../helpers/stack.js';

describe('two OAuth callers never share a cached dialog', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startInProcessStack({ mode: 'oauth' });
  });
  afterAll(() => stack.close());

  it('answers each of many interleaved requests with its own caller’s rights', async () => {
    // Anna owns the bulk chats; Boris may not read them. Both read chat21191, with different roles.
    const ids = ['chat10001', 'chat10002', 'chat21191', 'chat10001'];
    const query = `query($ids: [ID!]!) { dialogs(ids: $ids) { __typename ... on Dialog { id role } ... on AccessError { dialogId } } }`;
    // Hundreds of requests, interleaved in random order, all in flight together.
    const callers = Array.from({ length: 300 }, (_, index): 'anna' | 'boris' =>
      (index * 7919) % 3 === 0 ? 'boris' : 'anna',
    );
    const answers = await Promise.all(
      callers.map((caller) =>
        stack.query<{ dialogs: Array<{ __typename: string; role?: string }> }>(
          query,
          { ids },
          { authorization: `Bearer ${DEMO_TOKENS[caller]}` },
        ),
      ),
    );
    answers.forEach(({ body }, index) => {
      const shape = body.data!.dialogs.map((item) =>
        item.__typename === 'Dialog' ? item.role : item.__typename,
      );
      expect(shape).toEqual(
        callers[index] === 'anna'
          ? ['OWNER', 'OWNER', 'MEMBER', 'OWNER']
          : ['AccessError', 'AccessError', 'OWNER', 'AccessError'],
      );
    });
    // Concurrent requests of one caller share calls, but a call always runs as exactly one caller
    // (one token per HTTP request), and each caller's answers above carry its own rights.
    const calls = stack.emulator.requests.filter(
      (entry) => entry.method === 'batch' || entry.method === 'im.dialog.get',
    );
    expect(calls.length).toBeLessThan(300);
    expect(new Set(calls.map((entry) => entry.userId))).toEqual(new Set([1, 2]));
    expect(calls.every((entry) => entry.status === 200)).toBe(true);
  });

  it('does not serve a dialog loaded for one caller to the next caller', async () => {
    const anna = await stack.query(
      DialogTitlesDocument,
      { ids: ['chat10005'] },
      { authorization: `Bearer ${DEMO_TOKENS.anna}` },
    );
    expect(anna.body.data?.dialogs?.[0]).toMatchObject({
      __typename: 'Dialog',
      title: 'Project room #5',
    });
    const boris = await stack.query(
      DialogTitlesDocument,
      { ids: ['chat10005'] },
      { authorization: `Bearer ${DEMO_TOKENS.boris}` },
    );
    expect(boris.body.data?.dialogs?.[0]).toMatchObject({
      __typename: 'AccessError',
      dialogId: 'chat10005',
    });
  });
});

describe('two OAuth callers never share a user', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startInProcessStack({ mode: 'oauth', cacheTtlMs: 5000 });
  });
  afterAll(() => stack.close());

  it('answers each of many interleaved requests with what its own caller may see', async () => {
    // Anna shares a workgroup with Denis (4), an extranet user; Boris does not.
    const query = `{ users(ids: ["4", "5"]) { __typename } dialog(id: "chat55") { ... on Dialog { owner { id } readBy { userId user { id } } } } }`;
    const callers = Array.from({ length: 120 }, (_, index): 'anna' | 'boris' =>
      (index * 7919) % 3 === 0 ? 'boris' : 'anna',
    );
    const answers = await Promise.all(
      callers.map((caller) =>
        stack.query<{
          users: Array<{ __typename: string }>;
          dialog: { readBy: Array<{ userId: string; user: { id: string } | null }> };
        }>(query, {}, { authorization: `Bearer ${DEMO_TOKENS[caller]}` }),
      ),
    );
    answers.forEach(({ body }, index) => {
      expect(body.errors).toBeUndefined();
      const anna = callers[index] === 'anna';
      expect(body.data!.users.map((user) => user.__typename)).toEqual([
        anna ? 'Bitrix24User' : 'UserNotFoundError',
        'Bitrix24User',
      ]);
      const denis = body.data!.dialog.readBy.find((reader) => reader.userId === '4');
      expect(denis?.user).toEqual(anna ? { id: '4' } : null);
    });
    // Every command for users went with the token of a caller who asked.
    for (const entry of stack.emulator.requests) expect([1, 2]).toContain(entry.userId);
  });
});
