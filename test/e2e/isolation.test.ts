import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_TOKENS } from '../../src/emulator/fixtures.js';
import { DialogTitlesDocument } from '../generated/graphql.js';
import { startStack, type Stack } from '../helpers/stack.js';

describe('two OAuth callers never share a cached dialog', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ mode: 'oauth' });
  });
  afterAll(() => stack.close());

  it('answers each of many interleaved requests with its own caller’s rights', async () => {
    // Anna owns the bulk chats; Boris may not read them. Both read chat21191, with different roles.
    const ids = ['chat10001', 'chat10002', 'chat21191', 'chat10001'];
    const query = `query($ids: [ID!]!) { dialogs(ids: $ids) { __typename ... on Dialog { id role } ... on AccessError { dialogId } } }`;
    // Hundreds of requests, interleaved in random order, all in flight together.
    const callers = Array.from({ length: 300 }, (_, index): 'anna' | 'boris' => ((index * 7919) % 3 === 0 ? 'boris' : 'anna'));
    const answers = await Promise.all(
      callers.map((caller) => stack.query<{ dialogs: Array<{ __typename: string; role?: string }> }>(query, { ids }, { authorization: `Bearer ${DEMO_TOKENS[caller]}` })),
    );
    answers.forEach(({ body }, index) => {
      const shape = body.data!.dialogs.map((item) => (item.__typename === 'Dialog' ? item.role : item.__typename));
      expect(shape).toEqual(callers[index] === 'anna'
        ? ['OWNER', 'OWNER', 'MEMBER', 'OWNER']
        : ['AccessError', 'AccessError', 'OWNER', 'AccessError']);
    });
    // One batch per request, each run as the right user.
    const batches = stack.emulator.requests.filter((entry) => entry.method === 'batch');
    const annas = callers.filter((caller) => caller === 'anna').length;
    expect(batches).toHaveLength(300);
    expect(batches.filter((entry) => entry.userId === 1)).toHaveLength(annas);
    expect(batches.filter((entry) => entry.userId === 2)).toHaveLength(300 - annas);
  });

  it('does not serve a dialog loaded for one caller to the next caller', async () => {
    const anna = await stack.query(DialogTitlesDocument, { ids: ['chat10005'] }, { authorization: `Bearer ${DEMO_TOKENS.anna}` });
    expect(anna.body.data?.dialogs?.[0]).toMatchObject({ __typename: 'Dialog', title: 'Project room #5' });
    const boris = await stack.query(DialogTitlesDocument, { ids: ['chat10005'] }, { authorization: `Bearer ${DEMO_TOKENS.boris}` });
    expect(boris.body.data?.dialogs?.[0]).toMatchObject({ __typename: 'AccessError', dialogId: 'chat10005' });
  });
});
