import { describe, expect, it } from '@jest/globals';
import {
  readCount,
  readDate,
  readDialog,
  readId,
  readIdList,
} from '../../src/bitrix/read-dialog.js';

/** The example of the method's original (English) doc page: an old portal. */
const OLD_ANSWER = {
  id: '21191',
  title: 'Mint Chat #3',
  owner: '2',
  extranet: false,
  avatar: '',
  color: '#4ba984',
  type: 'chat',
  entity_type: '',
  entity_id: '',
  entity_data_1: '',
  entity_data_2: '',
  entity_data_3: '',
  date_create: '2017-10-14T12:15:32+02:00',
  message_type: 'C',
};

/** The example of the newest Russian docs (2026): a modern portal. */
const MODERN_ANSWER = {
  id: 1439,
  parent_chat_id: 0,
  parent_message_id: 0,
  name: 'Чат по сделке',
  description: 'Здесь обсуждаем сделку',
  owner: 503,
  extranet: false,
  avatar: '',
  color: '#f76187',
  type: 'crm',
  counter: 0,
  user_counter: 3,
  message_count: 3,
  unread_id: 0,
  restrictions: {
    avatar: false,
    rename: false,
    extend: true,
    call: true,
    mute: true,
    leave: true,
    leave_owner: false,
    send: true,
    user_list: true,
    path: '',
    path_title: '',
  },
  last_message_id: 84477,
  last_id: 84477,
  marked_id: 0,
  disk_folder_id: 0,
  entity_type: 'CRM',
  entity_id: 'DEAL|1663',
  entity_data_1: '',
  entity_data_2: '',
  entity_data_3: '',
  mute_list: [],
  date_create: '2026-02-25T16:50:58+03:00',
  message_type: 'C',
  public: '',
  role: 'owner',
  entity_link: { type: 'DEAL', url: '/crm/deal/details/1663/', id: 'DEAL|1663' },
  text_field_enabled: true,
  background_id: null,
  permissions: {
    manage_users_add: 'member',
    manage_users_delete: 'manager',
    manage_ui: 'member',
    manage_settings: 'owner',
    manage_messages: 'member',
    can_post: 'member',
  },
  is_new: false,
  readed_list: [
    { user_id: 103, user_name: 'Иван Иванов', message_id: 0, date: null },
    { user_id: 547, user_name: 'Петр Петров', message_id: 0, date: null },
  ],
  manager_list: [503],
  last_message_views: { message_id: 84477, first_viewers: [], count_of_viewers: 0 },
  dialog_id: 'chat1439',
  some_field_from_2027: { whatever: true },
};

describe('readDialog', () => {
  it('reads an old answer: string ids, `title`, "" for not set; modern-only fields null', () => {
    expect(readDialog('chat21191', OLD_ANSWER)).toEqual({
      id: 'chat21191',
      chatId: '21191',
      title: 'Mint Chat #3',
      counterpartId: null,
      ownerId: '2',
      extranet: false,
      avatar: null,
      color: '#4ba984',
      typeRaw: 'chat',
      messageTypeRaw: 'C',
      entityType: null,
      entityId: null,
      entityData1: null,
      entityData2: null,
      entityData3: null,
      dateCreate: '2017-10-14T12:15:32+02:00',
      description: null,
      parentChatId: null,
      parentMessageId: null,
      roleRaw: null,
      memberCount: null,
      messageCount: null,
      unreadCount: null,
      firstUnreadMessageId: null,
      lastMessageId: null,
      lastReadMessageId: null,
      markedMessageId: null,
      managerIds: null,
      mutedUserIds: null,
      mutedByMe: null,
      entityLink: null,
      restrictions: null,
      permissions: null,
      readBy: null,
      lastMessageViews: null,
      textFieldEnabled: null,
      isNew: null,
      backgroundId: null,
      diskFolderId: null,
      publicLink: null,
    });
  });

  it('reads a modern answer: integer ids, `name`, zeros as null, unknown fields ignored', () => {
    expect(readDialog('chat1439', MODERN_ANSWER)).toEqual({
      id: 'chat1439',
      chatId: '1439',
      title: 'Чат по сделке',
      counterpartId: null,
      ownerId: '503',
      extranet: false,
      avatar: null,
      color: '#f76187',
      typeRaw: 'crm',
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
      roleRaw: 'owner',
      memberCount: 3,
      messageCount: 3,
      unreadCount: 0,
      firstUnreadMessageId: null,
      lastMessageId: '84477',
      lastReadMessageId: '84477',
      markedMessageId: null,
      managerIds: ['503'],
      mutedUserIds: [],
      mutedByMe: false,
      entityLink: { type: 'DEAL', url: '/crm/deal/details/1663/', id: 'DEAL|1663' },
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
        addMembers: 'member',
        removeMembers: 'manager',
        changeAppearance: 'member',
        changeSettings: 'owner',
        manageMessages: 'member',
        postMessages: 'member',
      },
      readBy: [
        { userId: '103', userName: 'Иван Иванов', lastReadMessageId: null, readAt: null },
        { userId: '547', userName: 'Петр Петров', lastReadMessageId: null, readAt: null },
      ],
      lastMessageViews: {
        messageId: '84477',
        firstViewers: [],
        firstViewerIds: [],
        viewerCount: 0,
      },
      textFieldEnabled: true,
      isNew: false,
      backgroundId: null,
      diskFolderId: null,
      publicLink: null,
    });
  });

  it('prefers `name` to `title` when both are present', () => {
    expect(readDialog('chat1', { ...OLD_ANSWER, name: 'New name' }).title).toBe('New name');
  });

  it('reads PHP’s `[]` for an empty object and objects for lists', () => {
    const dialog = readDialog('chat1', {
      ...MODERN_ANSWER,
      restrictions: [],
      permissions: [],
      entity_link: [],
      last_message_views: [],
      manager_list: { 0: 5, 1: '7' },
    });
    expect(dialog.restrictions).toMatchObject({ canSend: null, path: null });
    expect(dialog.permissions).toMatchObject({ postMessages: null });
    expect(dialog.entityLink).toBeNull();
    expect(dialog.lastMessageViews).toBeNull();
    expect(dialog.managerIds).toEqual(['5', '7']);
  });

  it('reads a public link object and viewers given as objects (current portals) or bare ids', () => {
    const dialog = readDialog('chat1', {
      ...MODERN_ANSWER,
      public: { code: 'abc', link: 'https://portal/online/?IM_DIALOG=chat1' },
      last_message_views: {
        message_id: '9',
        first_viewers: [
          { user_id: 3, user_name: 'C', date: '2026-01-01T00:00:00+03:00' },
          { user_id: '7', user_name: 'G', date: null },
          4,
          { user_name: 'no id' },
        ],
        count_of_viewers: '2',
      },
      background_id: 12,
    });
    expect(dialog.publicLink).toEqual({
      code: 'abc',
      link: 'https://portal/online/?IM_DIALOG=chat1',
    });
    expect(dialog.lastMessageViews).toEqual({
      messageId: '9',
      firstViewers: [
        { userId: '3', userName: 'C', viewedAt: '2026-01-01T00:00:00+03:00' },
        { userId: '7', userName: 'G', viewedAt: null },
        { userId: '4', userName: null, viewedAt: null },
      ],
      firstViewerIds: ['3', '7', '4'],
      viewerCount: 2,
    });
    expect(dialog.backgroundId).toBe('12');
  });

  it('reads mute_list as whether the caller muted the chat', () => {
    expect(readDialog('chat1', { ...MODERN_ANSWER, mute_list: [1] })).toMatchObject({
      mutedByMe: true,
      mutedUserIds: ['1'],
    });
    expect(readDialog('chat1', { ...MODERN_ANSWER, mute_list: [] })).toMatchObject({
      mutedByMe: false,
      mutedUserIds: [],
    });
    expect(readDialog('chat1', { ...MODERN_ANSWER, mute_list: 'odd' })).toMatchObject({
      mutedByMe: null,
      mutedUserIds: null,
    });
  });

  it('coerces odd shapes of optional fields to null instead of failing the dialog', () => {
    const dialog = readDialog('chat1', {
      ...MODERN_ANSWER,
      user_counter: 'many',
      role: { x: 1 },
      readed_list: 'none',
      extranet: 'Y',
      owner: '',
    });
    expect(dialog).toMatchObject({
      memberCount: null,
      roleRaw: null,
      readBy: null,
      extranet: true,
      ownerId: null,
    });
  });

  it.each([
    ['null (the column is nullable)', null],
    ['absent', undefined],
    ['empty', ''],
    ['without an offset', '2017-10-14 12:15:32'],
    ['MySQL’s zero date', '0000-00-00T00:00:00+00:00'],
    ['a day that does not exist', '2026-02-30T10:00:00+03:00'],
  ])('reads a creation date that is %s as null, and still gives the dialog', (_what, date) => {
    const dialog = readDialog('chat1', { ...MODERN_ANSWER, date_create: date });
    expect(dialog).toMatchObject({
      id: 'chat1',
      chatId: '1439',
      dateCreate: null,
      title: 'Чат по сделке',
    });
  });

  it('fails a dialog for nothing but a missing chat id: every other field may be missing or odd', () => {
    const odd = Object.fromEntries(
      Object.keys(MODERN_ANSWER).map((key) => [
        key,
        key === 'id' ? 1439 : { unexpected: [1, 'x'] },
      ]),
    );
    expect(readDialog('chat1', odd)).toMatchObject({
      chatId: '1439',
      title: '',
      color: '',
      typeRaw: '',
      dateCreate: null,
      extranet: false,
    });
    expect(readDialog('chat1', { id: 1439 })).toMatchObject({
      chatId: '1439',
      dateCreate: null,
      memberCount: null,
      lastMessageViews: null,
    });
  });

  it.each([
    ['a result that is not an object', 'nope'],
    ['no chat id', { ...OLD_ANSWER, id: 0 }],
    ['a chat id that is not an id', { ...OLD_ANSWER, id: 'abc' }],
  ])('refuses %s', (_what, raw) => {
    expect(() => readDialog('chat1', raw)).toThrow(
      expect.objectContaining({
        failure: 'unavailable',
        code: 'UNEXPECTED_ANSWER',
      }) as unknown as Error,
    );
  });
});

describe('readId and readIdList', () => {
  it.each([
    [5, '5'],
    ['5', '5'],
    [' 007 ', '7'],
    [0, null],
    ['0', null],
    ['', null],
    [null, null],
    [-1, null],
    [1.5, null],
    ['x1', null],
    [Number.MAX_SAFE_INTEGER + 2, null],
  ])('reads %j as %j', (raw, expected) => expect(readId(raw)).toBe(expected));

  it('drops items that are not ids', () => {
    expect(readIdList([1, '2', 0, null, 'x', { user_id: 3 }])).toEqual(['1', '2', '3']);
    expect(readIdList('nope')).toBeNull();
  });
});

describe('readDate and readCount', () => {
  it.each([
    ['2026-02-25T16:50:58+03:00', '2026-02-25T16:50:58+03:00'],
    ['2026-02-25T16:50:58+0300', '2026-02-25T16:50:58+03:00'],
    ['2026-02-25T13:50:58Z', '2026-02-25T13:50:58Z'],
    ['2024-02-29T10:00:00+01:00', '2024-02-29T10:00:00+01:00'],
    ['2025-02-29T10:00:00+01:00', null],
    ['2026-13-01T10:00:00+01:00', null],
    [1772030091, null],
  ])('reads %j as %j', (raw, expected) => expect(readDate(raw)).toBe(expected));

  it('reads a count GraphQL cannot carry (over 32 bits) as unknown', () => {
    expect([
      readCount(2_147_483_647),
      readCount(2_147_483_648),
      readCount('12'),
      readCount(-1),
    ]).toEqual([2_147_483_647, null, 12, null]);
  });
});

describe('readDialog of a private dialog', () => {
  const PRIVATE = {
    id: 900001,
    name: '',
    owner: 1,
    type: 'private',
    message_type: 'P',
    readed_list: [{ user_id: 256, user_name: 'Gleb Orlov', message_id: 3, date: null }],
  };

  it('titles it with the other person named in readed_list, asked by user id or by chat id', () => {
    expect(readDialog('256', PRIVATE)).toMatchObject({ title: 'Gleb Orlov', counterpartId: '256' });
    expect(readDialog('chat900001', PRIVATE)).toMatchObject({
      title: 'Gleb Orlov',
      counterpartId: '256',
    });
  });

  it('leaves an old answer untitled but knows the other person by the id asked', () => {
    const old = { id: '900001', title: '', owner: '1', type: 'private', message_type: 'P' };
    expect(readDialog('0256', old)).toMatchObject({ title: '', counterpartId: '256' });
    expect(readDialog('chat900001', old)).toMatchObject({ title: '', counterpartId: null });
  });

  it('keeps a name the portal sends, and gives no counterpart to a group chat', () => {
    expect(readDialog('256', { ...PRIVATE, name: 'Gleb' }).title).toBe('Gleb');
    expect(readDialog('chat5', { ...PRIVATE, type: 'chat', message_type: 'C' })).toMatchObject({
      title: '',
      counterpartId: null,
    });
  });
});
