import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_TOKENS } from '../../src/emulator/fixtures.js';
import { startInProcessStack, type Stack } from '../helpers/stack.js';

const USER_FIELDS =
  'id name firstName lastName avatar color workPosition lastActivityAt mobileLastSeenAt absentUntil departmentIds phones { work mobile }';
const DIALOG_PEOPLE = `id title ownerId owner { id name avatar } managerIds managers { id name } counterpart { id name }`;

/** The people of a dialog, end to end: the server in process, the emulator over loopback HTTP. */
describe('users and the people of a dialog (modern portal, webhook)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startInProcessStack();
  });
  afterAll(() => stack.close());

  it('reads a dialog with its owner and managers in one upstream call', async () => {
    stack.resetCalls();
    const { body } = await stack.query(
      `{ dialog(id: "chat1") { ... on Dialog { ${DIALOG_PEOPLE} } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.dialog).toEqual({
      id: 'chat1',
      title: 'General chat',
      ownerId: '1',
      owner: { id: '1', name: 'Anna Petrova', avatar: expect.stringMatching(/anna\.png$/) },
      managerIds: ['5'],
      managers: [{ id: '5', name: 'Elena Smirnova' }],
      counterpart: null,
    });
    expect(stack.upstreamCalls()).toBe(1);
  });

  it('titles a private dialog with the other person, owned by whoever started it', async () => {
    stack.resetCalls();
    const { body } = await stack.query(
      `{ dialog(id: "256") { ... on Dialog { ${DIALOG_PEOPLE} type role } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.dialog).toMatchObject({
      id: '256',
      title: 'Gleb Orlov',
      ownerId: '1',
      owner: { id: '1', name: 'Anna Petrova' },
      counterpart: { id: '256', name: 'Gleb Orlov' },
      type: 'PRIVATE',
      role: 'OWNER',
    });
    expect(stack.upstreamCalls()).toBe(1);
  });

  it('answers user(id:) and users(ids:) with users and typed errors, a malformed id without a call', async () => {
    stack.resetCalls();
    const bad = await stack.query(
      `{ user(id: "abc") { __typename ... on Error { code } ... on UserIdInvalidError { userId } } }`,
    );
    expect(bad.body.data?.user).toEqual({
      __typename: 'UserIdInvalidError',
      code: 'INVALID_FORMAT',
      userId: 'abc',
    });
    expect(stack.upstreamCalls()).toBe(0);
    const { body } = await stack.query(
      `{ users(ids: ["5", "99999", "0", "700"]) { __typename ... on Bitrix24User { ${USER_FIELDS} bot externalAuthId } ... on Error { code } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.users).toEqual([
      {
        __typename: 'Bitrix24User',
        id: '5',
        name: 'Elena Smirnova',
        firstName: 'Elena',
        lastName: 'Smirnova',
        avatar: expect.stringMatching(/elena\.png$/),
        color: '#8474c8',
        workPosition: 'Office manager',
        lastActivityAt: '2026-11-29T09:12:00+03:00',
        mobileLastSeenAt: null,
        absentUntil: '2026-12-14T00:00:00+03:00',
        departmentIds: ['1'],
        phones: { work: null, mobile: null },
        bot: false,
        externalAuthId: 'default',
      },
      { __typename: 'UserNotFoundError', code: 'USER_NOT_FOUND' },
      { __typename: 'UserIdInvalidError', code: 'INVALID_FORMAT' },
      expect.objectContaining({ id: '700', lastName: null, avatar: null, bot: true }),
    ]);
    expect(stack.upstreamCalls()).toBe(1);
  });

  it('puts users(ids:) and a page of dialogs with their owners and managers in one call', async () => {
    const ids = Array.from({ length: 22 }, (_, index) => `chat${10001 + index}`);
    stack.resetCalls();
    const { body } = await stack.query(
      `query($ids: [ID!]!) { users(ids: ["3", "5"]) { ... on Bitrix24User { id } } dialogs(ids: $ids) { ... on Dialog { id title owner { name } managers { name } } } p: dialog(id: "256") { ... on Dialog { title } } }`,
      { ids },
    );
    expect(body.errors).toBeUndefined();
    const dialogs = body.data?.dialogs as Array<{ owner: { name: string } }>;
    expect(dialogs.every((dialog) => dialog.owner.name === 'Anna Petrova')).toBe(true);
    expect(stack.upstreamCalls()).toBe(1);
  });

  it('reads readers and first viewers with their users in a second call at most', async () => {
    stack.resetCalls();
    const { body } = await stack.query(
      `{ dialog(id: "chat21191") { ... on Dialog { owner { name } readBy { userId user { name } } lastMessageViews { firstViewers { userId user { name } } } } } }`,
    );
    expect(body.errors).toBeUndefined();
    const dialog = body.data?.dialog as {
      readBy: Array<{ userId: string; user: { name: string } }>;
    };
    expect(dialog.readBy.map((reader) => reader.user.name)).toEqual([
      'Boris Ivanov',
      'Carla Costa',
      'Elena Smirnova',
    ]);
    expect(stack.upstreamCalls()).toBe(2);
  });

  it('deduplicates one caller’s user and dialog lookups across concurrent requests into one call', async () => {
    stack.resetCalls();
    const [single, many] = await Promise.all([
      stack.query('{ user(id: "5") { ... on Bitrix24User { name } } }'),
      stack.query(
        '{ users(ids: ["5", "3", "5"]) { ... on Bitrix24User { name } } dialog(id: "chat1") { __typename } }',
      ),
    ]);
    expect(single.body.data?.user).toEqual({ name: 'Elena Smirnova' });
    expect(many.body.data?.users).toEqual([
      { name: 'Elena Smirnova' },
      { name: 'Carla Costa' },
      { name: 'Elena Smirnova' },
    ]);
    expect(stack.upstreamCalls()).toBe(1);
    const commands = stack.emulator.requests.at(-1)?.commands ?? [];
    const userIds = commands
      .filter((command) => command.method === 'im.user.list.get')
      .flatMap((command) => Object.values(command.params.ID as object));
    expect(userIds.sort()).toEqual(['3', '5']);
  });

  it('counts user ids towards the per-operation lookup budget', async () => {
    const ids = Array.from({ length: 150 }, (_, index) => String(index + 1));
    const { body } = await stack.query(
      `query($ids: [ID!]!) { users(ids: $ids) { __typename } dialogs(ids: $ids) { __typename } }`,
      { ids },
    );
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toBe(
      'This operation asks for 150 dialogs and 150 users (300 lookups); at most 200 per request. Split it into several requests.',
    );
  });
});

describe('the people of a dialog on an old portal', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startInProcessStack({ emulator: { generation: 'old' } });
  });
  afterAll(() => stack.close());

  it('titles a private dialog with the other person read in the same call', async () => {
    stack.resetCalls();
    const { body } = await stack.query(
      `{ dialog(id: "503") { ... on Dialog { ${DIALOG_PEOPLE} } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.dialog).toMatchObject({
      id: '503',
      title: 'Olga Sokolova',
      owner: { id: '1', name: 'Anna Petrova' },
      managers: null,
      counterpart: { id: '503', name: 'Olga Sokolova' },
    });
    expect(stack.upstreamCalls()).toBe(1);
  });

  it('reads owners of a page without manager lists in one call', async () => {
    stack.resetCalls();
    const { body } = await stack.query(
      `{ dialogs(ids: ["chat21191", "chat1", "chat666"]) { __typename ... on Dialog { owner { name } managers { name } } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.dialogs).toEqual([
      { __typename: 'Dialog', owner: { name: 'Boris Ivanov' }, managers: null },
      { __typename: 'Dialog', owner: { name: 'Anna Petrova' }, managers: null },
      { __typename: 'AccessError' },
    ]);
    expect(stack.upstreamCalls()).toBeLessThanOrEqual(2);
  });
});

describe('people read with the OAuth caller’s own token', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startInProcessStack({ mode: 'oauth' });
  });
  afterAll(() => stack.close());
  const asAnna = { authorization: `Bearer ${DEMO_TOKENS.anna}` };
  const asBoris = { authorization: `Bearer ${DEMO_TOKENS.boris}` };

  it('gives a reader the caller may not see as null, with the id still there', async () => {
    stack.emulator.clearRequests();
    const query = `{ dialog(id: "chat55") { ... on Dialog { readBy { userId userName user { name } } } } }`;
    const { body } = await stack.query(query, {}, asBoris);
    expect(body.errors).toBeUndefined();
    expect(body.data?.dialog).toEqual({
      readBy: [
        expect.objectContaining({ userId: '1', user: { name: 'Anna Petrova' } }),
        { userId: '4', userName: 'Denis Dubois', user: null },
      ],
    });
    // Every call of Boris's request went with Boris's own token.
    const users = stack.emulator.requests.filter(
      (entry) =>
        entry.method === 'im.user.list.get' ||
        entry.commands?.some((command) => command.method === 'im.user.list.get'),
    );
    expect(users.length).toBeGreaterThan(0);
    expect(users.every((entry) => entry.transport === 'oauth' && entry.userId === 2)).toBe(true);
    const anna = await stack.query(
      '{ user(id: "4") { ... on Bitrix24User { name } } }',
      {},
      asAnna,
    );
    expect(anna.body.data?.user).toEqual({ name: 'Denis Dubois' });
    const boris = await stack.query('{ user(id: "4") { __typename } }', {}, asBoris);
    expect(boris.body.data?.user).toEqual({ __typename: 'UserNotFoundError' });
  });
});
