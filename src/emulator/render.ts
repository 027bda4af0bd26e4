import type { FixtureChat, FixtureUser, PermissionKey } from './fixtures.js';

/**
 * Which generation of `im.dialog.get` answer the emulated portal speaks:
 * - `old`: the method's original doc page: string ids, `title`, 14 fields;
 * - `modern`: the newest docs (2026): integer ids, `name`, ~40 fields.
 */
export type Generation = 'old' | 'modern';

export interface Viewer {
  readonly user: FixtureUser;
}

function roleOf(chat: FixtureChat, userId: number): string {
  if (chat.owner === userId) return 'owner';
  if (chat.managers?.includes(userId)) return 'manager';
  return chat.members.includes(userId) ? 'member' : 'guest';
}

/** Deterministic per-user read state, so counters differ between users as on a real portal. */
function lastReadBy(chat: FixtureChat, userId: number, lastMessageId: number): number {
  if (!chat.members.includes(userId) || lastMessageId === 0) return 0;
  return Math.max(0, lastMessageId - ((chat.id + userId) % 4));
}

function hasExtranetMember(chat: FixtureChat, users: ReadonlyMap<number, FixtureUser>): boolean {
  return chat.members.some((id) => users.get(id)?.extranet === true);
}

function renderOld(
  chat: FixtureChat,
  users: ReadonlyMap<number, FixtureUser>,
): Record<string, unknown> {
  return {
    id: String(chat.id),
    title: chat.name,
    owner: String(chat.owner),
    extranet: hasExtranetMember(chat, users),
    avatar: chat.avatar ?? '',
    color: chat.color,
    type: chat.type,
    entity_type: chat.entityType ?? '',
    entity_id: chat.entityId ?? '',
    entity_data_1: chat.entityData?.[0] ?? '',
    entity_data_2: chat.entityData?.[1] ?? '',
    entity_data_3: chat.entityData?.[2] ?? '',
    date_create: chat.dateCreate,
    message_type: chat.messageType,
  };
}

type Restrictions = Record<string, boolean | string>;

const ALLOWED: Restrictions = {
  avatar: true,
  rename: true,
  extend: true,
  call: true,
  mute: true,
  leave: true,
  leave_owner: true,
  send: true,
  user_list: true,
};

/**
 * `restrictions`: a profile of the chat's entity type, as the portal's `CIMChat::GetChatOptions()`
 * keeps them (the default allows everything), not the caller's own rights. Only the general chat's
 * `send` depends on who asks. `path`/`path_title` (a page of the linked entity, `#ID#` left for the
 * client to fill) exist only for workgroup, tasks, calendar and CRM chats.
 */
function restrictionsOf(chat: FixtureChat, me: number, role: string): Restrictions {
  const profiles: Record<string, Partial<Restrictions>> = {
    GENERAL: {
      avatar: false,
      rename: false,
      extend: false,
      leave: false,
      leave_owner: false,
      send: mayDo(role, permissionsOf(chat).can_post),
    },
    SUPPORT24_NOTIFIER: { avatar: false, rename: false, leave_owner: false },
    SUPPORT24_QUESTION: {
      avatar: false,
      extend: false,
      call: false,
      mute: false,
      leave: false,
      leave_owner: false,
      user_list: false,
    },
    NETWORK_DIALOG: {
      avatar: false,
      extend: false,
      call: false,
      mute: false,
      leave: false,
      leave_owner: false,
      user_list: false,
    },
    SONET_GROUP: {
      avatar: false,
      rename: false,
      extend: false,
      leave: false,
      leave_owner: false,
      path: '/workgroups/group/#ID#/',
      path_title: 'Open the workgroup',
    },
    TASKS: {
      path: `/company/personal/user/${me}/tasks/task/view/#ID#/`,
      path_title: 'Open the task',
    },
    CALENDAR: {
      path: `/company/personal/user/${me}/calendar/?EVENT_ID=#ID#`,
      path_title: 'Open the event',
    },
    CRM: { avatar: false, rename: false, leave_owner: false, path: '', path_title: '' },
    CALL: { extend: false, call: false, mute: false, leave: false, leave_owner: false },
  };
  const profile = chat.entityType !== undefined ? profiles[chat.entityType] : undefined;
  return { ...ALLOWED, ...profile } as Restrictions;
}

const DEFAULT_PERMISSIONS: Readonly<Record<PermissionKey, string>> = {
  manage_users_add: 'member',
  manage_users_delete: 'manager',
  manage_ui: 'member',
  manage_settings: 'owner',
  can_post: 'member',
};

function permissionsOf(chat: FixtureChat): Record<PermissionKey, string> {
  const privateDefaults = chat.type === 'private' ? { manage_users_add: 'owner' } : {};
  return { ...DEFAULT_PERMISSIONS, ...privateDefaults, ...chat.permissions };
}

/** Whether a caller of `role` may do what `level` (a permission) allows. */
function mayDo(role: string, level: string): boolean {
  const rank: Record<string, number> = { guest: 0, member: 1, manager: 2, owner: 3 };
  const needed: Record<string, number> = { member: 1, manager: 2, owner: 3 };
  return level in needed && (rank[role] ?? 0) >= needed[level]!;
}

/** When members read, for chats that never stored a creation date. */
const UNDATED_READ_AT = '2026-01-05T09:00:00+03:00';

function renderModern(
  chat: FixtureChat,
  viewer: Viewer,
  users: ReadonlyMap<number, FixtureUser>,
  dialogId: string,
): Record<string, unknown> {
  const me = viewer.user.id;
  const messageCount = chat.messageCount ?? 0;
  const lastMessageId = messageCount === 0 ? 0 : chat.id * 100 + messageCount;
  const lastRead = lastReadBy(chat, me, lastMessageId);
  const unread = lastMessageId - lastRead;
  const role = roleOf(chat, me);
  const readAt = chat.dateCreate ?? UNDATED_READ_AT;
  const permissions = permissionsOf(chat);
  // Who has seen the last message, the caller included, in the order they saw it.
  const viewers =
    lastMessageId === 0
      ? []
      : chat.members.filter((id) => lastReadBy(chat, id, lastMessageId) === lastMessageId);
  return {
    id: chat.id,
    parent_chat_id: chat.parentChatId ?? 0,
    parent_message_id: chat.parentMessageId ?? 0,
    name: chat.name,
    description: chat.description ?? '',
    owner: chat.owner,
    extranet: hasExtranetMember(chat, users),
    avatar: chat.avatar ?? '',
    color: chat.color,
    type: chat.type,
    counter: unread,
    user_counter: chat.members.length,
    message_count: messageCount,
    unread_id: unread > 0 ? lastRead + 1 : 0,
    restrictions: restrictionsOf(chat, me, role),
    last_message_id: lastMessageId,
    last_id: lastRead,
    marked_id: 0,
    disk_folder_id: chat.diskFolderId ?? 0,
    entity_type: chat.entityType ?? '',
    entity_id: chat.entityId ?? '',
    entity_data_1: chat.entityData?.[0] ?? '',
    entity_data_2: chat.entityData?.[1] ?? '',
    entity_data_3: chat.entityData?.[2] ?? '',
    // Only ever the caller's own id: "did I mute this chat".
    mute_list: chat.mutedBy?.includes(me) ? [me] : [],
    date_create: chat.dateCreate,
    message_type: chat.messageType,
    // PHP sends "" when the chat has no public link, an object when it has one.
    public: chat.publicCode
      ? { code: chat.publicCode, link: `/online/?IM_DIALOG=chat${chat.id}&code=${chat.publicCode}` }
      : '',
    role,
    entity_link: chat.entityLink ?? { type: '', url: '', id: '' },
    // A setting of the chat (default true), the same for every caller: not the caller's role.
    text_field_enabled: chat.textFieldEnabled ?? true,
    background_id: chat.backgroundId ?? null,
    permissions: {
      manage_users_add: permissions.manage_users_add,
      manage_users_delete: permissions.manage_users_delete,
      manage_ui: permissions.manage_ui,
      manage_settings: permissions.manage_settings,
      // The portal fills both from the same column.
      manage_messages: permissions.can_post,
      can_post: permissions.can_post,
    },
    is_new: false,
    // Every member but the caller, however many: thousands in a big chat.
    readed_list: chat.members
      .filter((id) => id !== me)
      .map((id) => {
        const read = lastReadBy(chat, id, lastMessageId);
        return {
          user_id: id,
          user_name: users.get(id)?.name ?? '',
          message_id: read,
          date: read > 0 ? readAt : null,
        };
      }),
    manager_list: chat.managers ?? [],
    last_message_views: {
      message_id: lastMessageId,
      first_viewers: viewers
        .slice(0, 2)
        .map((id) => ({ user_id: id, user_name: users.get(id)?.name ?? '', date: readAt })),
      count_of_viewers: viewers.filter((id) => id !== me).length,
    },
    dialog_id: dialogId,
  };
}

/** The `result` of `im.dialog.get` for `chat`, as `viewer` asked for it with `dialogId`. */
export function renderDialog(
  generation: Generation,
  chat: FixtureChat,
  viewer: Viewer,
  users: ReadonlyMap<number, FixtureUser>,
  dialogId: string,
): Record<string, unknown> {
  return generation === 'old'
    ? renderOld(chat, users)
    : renderModern(chat, viewer, users, dialogId);
}

/** PHP's `false` for a date the portal does not have. */
const dateOrFalse = (date: string | undefined) => date ?? false;

/**
 * One user of `im.user.list.get`, as the portal's `Bitrix\Im\User::getArray()` gives it (REST docs,
 * `im-user-list-get.md`): ids as integers, an empty avatar as `""`, missing dates as `false`.
 */
export function renderUser(user: FixtureUser): Record<string, unknown> {
  const [first = '', ...rest] = user.name.split(' ');
  return {
    id: user.id,
    name: user.name,
    first_name: user.firstName ?? first,
    last_name: user.lastName ?? rest.join(' '),
    work_position: user.workPosition ?? '',
    color: user.color,
    avatar: user.avatar ?? '',
    gender: user.gender ?? '',
    birthday: user.birthday ?? '',
    extranet: user.extranet === true,
    network: user.network === true,
    bot: user.bot === true,
    connector: user.connector === true,
    external_auth_id: user.externalAuthId ?? 'default',
    status: user.status ?? 'online',
    idle: dateOrFalse(user.idle),
    last_activity_date: dateOrFalse(user.lastActivityDate),
    desktop_last_date: dateOrFalse(user.desktopLastDate),
    mobile_last_date: dateOrFalse(user.mobileLastDate),
    departments: user.departments ?? [],
    absent: dateOrFalse(user.absent),
    phones: {
      work_phone: user.workPhone ?? '',
      personal_mobile: user.personalMobile ?? '',
      personal_phone: '',
    },
  };
}
