import type { FixtureChat, FixtureUser } from './fixtures.js';

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

function renderOld(chat: FixtureChat, users: ReadonlyMap<number, FixtureUser>): Record<string, unknown> {
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

function renderModern(chat: FixtureChat, viewer: Viewer, users: ReadonlyMap<number, FixtureUser>, dialogId: string): Record<string, unknown> {
  const me = viewer.user.id;
  const messageCount = chat.messageCount ?? 0;
  const lastMessageId = messageCount === 0 ? 0 : chat.id * 100 + messageCount;
  const lastRead = lastReadBy(chat, me, lastMessageId);
  const unread = lastMessageId - lastRead;
  const role = roleOf(chat, me);
  const isPrivate = chat.type === 'private';
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
    restrictions: {
      avatar: !isPrivate && role !== 'guest',
      rename: !isPrivate && role !== 'guest',
      extend: !isPrivate && chat.type !== 'general',
      call: chat.members.length <= 24,
      mute: true,
      leave: chat.type !== 'general' && !isPrivate,
      leave_owner: chat.type !== 'general' && !isPrivate && chat.owner === me,
      send: chat.type !== 'announcement' || role === 'owner' || role === 'manager',
      user_list: !isPrivate,
      path: '',
      path_title: '',
    },
    last_message_id: lastMessageId,
    last_id: lastRead,
    marked_id: 0,
    disk_folder_id: chat.diskFolderId ?? 0,
    entity_type: chat.entityType ?? '',
    entity_id: chat.entityId ?? '',
    entity_data_1: chat.entityData?.[0] ?? '',
    entity_data_2: chat.entityData?.[1] ?? '',
    entity_data_3: chat.entityData?.[2] ?? '',
    mute_list: chat.mutedBy ?? [],
    date_create: chat.dateCreate,
    message_type: chat.messageType,
    // PHP sends "" when the chat has no public link, an object when it has one.
    public: chat.publicCode ? { code: chat.publicCode, link: `/online/?IM_DIALOG=chat${chat.id}&code=${chat.publicCode}` } : '',
    role,
    entity_link: chat.entityLink ?? { type: '', url: '', id: '' },
    text_field_enabled: chat.type !== 'announcement' || role !== 'member',
    background_id: chat.backgroundId ?? null,
    permissions: {
      manage_users_add: isPrivate ? 'owner' : 'member',
      manage_users_delete: 'manager',
      manage_ui: 'member',
      manage_settings: 'owner',
      manage_messages: 'member',
      can_post: chat.type === 'announcement' || chat.type === 'channel' ? 'manager' : 'member',
    },
    is_new: false,
    readed_list: chat.members
      .filter((id) => id !== me)
      .slice(0, 10)
      .map((id) => {
        const read = lastReadBy(chat, id, lastMessageId);
        return {
          user_id: id,
          user_name: users.get(id)?.name ?? '',
          message_id: read,
          date: read > 0 ? chat.dateCreate : null,
        };
      }),
    manager_list: chat.managers ?? [],
    last_message_views: {
      message_id: lastMessageId,
      first_viewers: [],
      count_of_viewers: 0,
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
  return generation === 'old' ? renderOld(chat, users) : renderModern(chat, viewer, users, dialogId);
}
