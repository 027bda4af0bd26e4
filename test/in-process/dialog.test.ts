import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DialogByIdDocument, DialogsByIdsDocument } from '../generated/graphql.js';
import { startInProcessStack, type Stack } from '../helpers/stack.js';

describe('dialog(id:) against a modern portal', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startInProcessStack();
  });
  afterAll(() => stack.close());

  it('answers every documented and modern field of a CRM chat, normalised', async () => {
    const { status, contentType, body } = await stack.query(DialogByIdDocument, { id: 'chat1439' });
    expect(status).toBe(200);
    expect(contentType).toContain('application/graphql-response+json');
    expect(body.errors).toBeUndefined();
    expect(body.data?.dialog).toEqual({
      __typename: 'Dialog',
      id: 'chat1439',
      chatId: '1439',
      title: 'Чат по сделке',
      ownerId: '503',
      extranet: false,
      avatar: null,
      color: '#f76187',
      type: 'CRM',
      typeRaw: 'crm',
      messageType: 'CHAT',
      messageTypeRaw: 'C',
      entityType: 'CRM',
      entityId: 'DEAL|1663',
      entityData1: null,
      entityData2: null,
      entityData3: null,
      dateCreate: '2026-02-25T16:50:58+03:00',
      description: 'Здесь обсуждаем сделку',
      parentChatId: null,
      parentMessageId: null,
      role: 'MEMBER',
      memberCount: 3,
      messageCount: 3,
      unreadCount: 0,
      firstUnreadMessageId: null,
      lastMessageId: '143903',
      lastReadMessageId: '143903',
      markedMessageId: null,
      managerIds: ['503'],
      mutedByMe: false,
      entityLink: { type: 'DEAL', url: '/crm/deal/details/1663/', id: 'DEAL|1663' },
      // The profile of CRM chats, the same for every caller.
      restrictions: {
        canChangeAvatar: false,
        canRename: false,
        canExtend: true,
        canCall: true,
        canMute: true,
        canLeave: true,
        canOwnerLeave: false,
        canSend: true,
        canSeeMembers: true,
        path: null,
        pathTitle: null,
      },
      permissions: {
        addMembers: 'MEMBER',
        removeMembers: 'MANAGER',
        changeAppearance: 'MEMBER',
        changeSettings: 'OWNER',
        manageMessages: 'MEMBER',
        postMessages: 'MEMBER',
      },
      readBy: [
        {
          userId: '503',
          userName: 'Olga Sokolova',
          lastReadMessageId: '143901',
          readAt: '2026-02-25T16:50:58+03:00',
        },
        {
          userId: '3',
          userName: 'Carla Costa',
          lastReadMessageId: '143901',
          readAt: '2026-02-25T16:50:58+03:00',
        },
      ],
      // Anna herself saw the last message first; she is never counted among its viewers.
      lastMessageViews: {
        messageId: '143903',
        firstViewers: [
          { userId: '1', userName: 'Anna Petrova', viewedAt: '2026-02-25T16:50:58+03:00' },
        ],
        viewerCount: 0,
      },
      textFieldEnabled: true,
      isNew: false,
      backgroundId: null,
      diskFolderId: null,
      publicLink: null,
    });
    expect(stack.emulator.requests.at(-1)).toMatchObject({
      method: 'im.dialog.get',
      params: { DIALOG_ID: 'chat1439' },
      userId: 1,
    });
  });

  it('gives the private dialog with a user by the user id, keeping the asked id', async () => {
    const { body } = await stack.query(DialogByIdDocument, { id: ' 256 ' });
    expect(body.data?.dialog).toMatchObject({
      __typename: 'Dialog',
      id: '256',
      title: 'Gleb Orlov',
      type: 'PRIVATE',
      messageType: 'PRIVATE',
      // A 2026 portal: the dialog's starter owns it (this stack's webhook user, Anna).
      ownerId: '1',
    });
    const chatId = (body.data?.dialog as { chatId: string } | undefined)?.chatId;
    expect(chatId).not.toBe('256');
    // Asking again gives the same private chat.
    const again = await stack.query(DialogByIdDocument, { id: '256' });
    expect((again.body.data?.dialog as { chatId: string } | undefined)?.chatId).toBe(chatId);
  });

  it('gives a workgroup chat by sgNNN', async () => {
    const { body } = await stack.query(DialogByIdDocument, { id: 'sg103' });
    expect(body.data?.dialog).toMatchObject({
      __typename: 'Dialog',
      id: 'sg103',
      chatId: '34',
      title: 'Marketing team',
      type: 'SONET_GROUP',
      entityId: '103',
    });
  });

  it('maps every chat type of a 2026 portal to its enum value, and an unknown one to UNKNOWN with the raw value', async () => {
    const expected: Record<string, [string, string]> = {
      chat1: ['GENERAL', 'OPEN'],
      chat30: ['OPEN', 'OPEN'],
      chat31: ['CALL', 'CHAT'],
      chat32: ['VIDEOCONF', 'CHAT'],
      chat33: ['LINES', 'OPEN_LINE'],
      chat35: ['CALENDAR', 'CHAT'],
      chat36: ['TASKS', 'CHAT'],
      chat37: ['TASKS_TASK', 'EXTERNAL'],
      chat38: ['MAIL', 'CHAT'],
      chat39: ['ANNOUNCEMENT', 'CHAT'],
      chat40: ['SUPPORT24_QUESTION', 'CHAT'],
      chat41: ['SUPPORT24_NOTIFIER', 'CHAT'],
      chat42: ['NETWORK_DIALOG', 'CHAT'],
      chat43: ['COPILOT', 'COPILOT'],
      chat44: ['CHANNEL', 'CHANNEL'],
      chat45: ['OPEN_CHANNEL', 'OPEN_CHANNEL'],
      chat46: ['GENERAL_CHANNEL', 'OPEN_CHANNEL'],
      chat47: ['COMMENT', 'COMMENT'],
      chat48: ['THREAD', 'COMMENT'],
      chat49: ['COLLAB', 'COLLAB'],
      chat50: ['UNKNOWN', 'UNKNOWN'],
      chat51: ['SYSTEM', 'SYSTEM'],
    };
    const ids = Object.keys(expected);
    const { body } = await stack.query<{
      dialogs: Array<{
        id: string;
        type: string;
        messageType: string;
        typeRaw: string;
        messageTypeRaw: string;
      }>;
    }>(
      `query($ids: [ID!]!) { dialogs(ids: $ids) { ... on Dialog { id type messageType typeRaw messageTypeRaw } } }`,
      { ids },
    );
    expect(body.errors).toBeUndefined();
    const got = Object.fromEntries(body.data!.dialogs.map((d) => [d.id, [d.type, d.messageType]]));
    expect(got).toEqual(expected);
    expect(body.data!.dialogs.find((d) => d.id === 'chat50')).toMatchObject({
      typeRaw: 'aiAgentWorkspace',
      messageTypeRaw: 'Z',
    });
  });

  it('answers ACCESS_ERROR as an AccessError member carrying the dialog id', async () => {
    const { body } = await stack.query(DialogByIdDocument, { id: 'chat666' });
    expect(body.errors).toBeUndefined();
    expect(body.data?.dialog).toEqual({
      __typename: 'AccessError',
      code: 'ACCESS_ERROR',
      message: 'You do not have access to the specified dialog',
      dialogId: 'chat666',
    });
  });

  it('answers a chat that does not exist as ACCESS_ERROR, as the portal does', async () => {
    const { body } = await stack.query(DialogByIdDocument, { id: 'chat999999' });
    expect(body.data?.dialog).toMatchObject({ __typename: 'AccessError', dialogId: 'chat999999' });
  });

  it.each([[''], ['   '], ['\t\n']])(
    'answers an empty or blank id (%j) with DialogIdEmptyError and no upstream call',
    async (id) => {
      stack.resetCalls();
      const { body } = await stack.query(DialogByIdDocument, { id });
      expect(body.data?.dialog).toEqual({
        __typename: 'DialogIdEmptyError',
        code: 'DIALOG_ID_EMPTY',
        message: "Dialog ID can't be empty",
      });
      expect(stack.upstreamCalls()).toBe(0);
    },
  );

  it.each([
    ['abc'],
    ['chat'],
    ['chatX'],
    ['0'],
    ['abc12'],
    ['lines12'],
    ['chat1?DIALOG_ID=chat2'],
    ['chat1&auth=x'],
    ['../'],
    ['чат1'],
    ['x'.repeat(10_000)],
  ])('answers a malformed id (%s) with DialogIdEmptyError and no upstream call', async (id) => {
    stack.resetCalls();
    const { body } = await stack.query(DialogByIdDocument, { id });
    expect(body.data?.dialog).toMatchObject({
      __typename: 'DialogIdEmptyError',
      code: 'DIALOG_ID_EMPTY',
    });
    expect(stack.upstreamCalls()).toBe(0);
  });

  it('sends crmNNN to the portal, which answers ACCESS_ERROR', async () => {
    stack.resetCalls();
    const { body } = await stack.query(DialogByIdDocument, { id: 'crm12' });
    expect(body.data?.dialog).toEqual({
      __typename: 'AccessError',
      code: 'ACCESS_ERROR',
      message: 'You do not have access to the specified dialog',
      dialogId: 'crm12',
    });
    expect(stack.upstreamCalls()).toBe(1);
  });

  it('reads every spelling of one chat as one canonical id, asked in one command', async () => {
    stack.resetCalls();
    const { body } = await stack.query(DialogsByIdsDocument, {
      ids: ['CHAT21191', 'Sg103', 'chat21191', ' chat021191 ', 'SG0103', 'crm012'],
    });
    expect(body.data?.dialogs).toMatchObject([
      { __typename: 'Dialog', id: 'chat21191', chatId: '21191', title: 'Mint Chat #3' },
      { __typename: 'Dialog', id: 'sg103', chatId: '34', title: 'Marketing team' },
      { __typename: 'Dialog', id: 'chat21191', chatId: '21191' },
      { __typename: 'Dialog', id: 'chat21191', chatId: '21191' },
      { __typename: 'Dialog', id: 'sg103', chatId: '34' },
      { __typename: 'AccessError', dialogId: 'crm12' },
    ]);
    expect(stack.upstreamCalls()).toBe(1);
    expect(
      stack.emulator.requests.at(-1)?.commands?.map((command) => command.params.DIALOG_ID),
    ).toEqual(['chat21191', 'sg103', 'crm12']);
  });
});

describe('dialog(id:) against an old portal (string ids, `title`)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startInProcessStack({ emulator: { generation: 'old' } });
  });
  afterAll(() => stack.close());

  it('reads the old answer into the same Dialog, modern-only fields null', async () => {
    const { body } = await stack.query(DialogByIdDocument, { id: 'chat21191' });
    expect(body.errors).toBeUndefined();
    expect(body.data?.dialog).toMatchObject({
      __typename: 'Dialog',
      id: 'chat21191',
      chatId: '21191',
      title: 'Mint Chat #3',
      ownerId: '2',
      extranet: false,
      avatar: null,
      color: '#4ba984',
      type: 'CHAT',
      messageType: 'CHAT',
      entityType: null,
      dateCreate: '2017-10-14T12:15:32+02:00',
      description: null,
      role: null,
      memberCount: null,
      managerIds: null,
      restrictions: null,
      permissions: null,
      readBy: null,
      lastMessageViews: null,
      publicLink: null,
    });
    const raw = stack.emulator.requests.at(-1);
    expect(raw?.status).toBe(200);
  });
});
