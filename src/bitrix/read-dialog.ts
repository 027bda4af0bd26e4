import { Bitrix24Error } from './errors.js';
import { isRecord } from './envelope.js';
import type {
  Dialog,
  DialogEntityLink,
  DialogMessageViews,
  DialogPermissions,
  DialogPublicLink,
  DialogReader,
  DialogRestrictions,
  DialogViewer,
} from './types.js';

/*
 * Readers for the two generations of `im.dialog.get` answers (old: string ids and `title`; modern:
 * integer ids, `name` and ~30 more fields). They coerce rather than reject: a portal that sends a
 * field in an unexpected shape (or `null`, like a chat's missing `date_create`) yields `null` for
 * that field, not a failed dialog. Only an answer without a chat id is refused: without it there is
 * no dialog to speak of.
 */

const ATOM_DATE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:?\d{2})$/;

/** GraphQL's Int is 32-bit: a larger count cannot be sent, so it reads as "not known". */
const MAX_INT = 2_147_483_647;

/** An id that may come as a number or a numeric string; `0`, `""` and `null` mean "not set". */
export function readId(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === 'string' && /^\d+$/.test(value.trim()) && !/^0+$/.test(value.trim())) {
    return value.trim().replace(/^0+/, '');
  }
  return null;
}

/** A string where `""` and `null` mean "not set". */
export function readText(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

export function readBoolean(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  // PHP habits: 'Y'/'N', '1'/'0', 1/0.
  if (value === 'Y' || value === '1' || value === 1 || value === 'true') return true;
  if (value === 'N' || value === '0' || value === 0 || value === 'false' || value === '')
    return false;
  return null;
}

export function readCount(value: unknown): number | null {
  const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof parsed === 'number' &&
    Number.isSafeInteger(parsed) &&
    parsed >= 0 &&
    parsed <= MAX_INT
    ? parsed
    : null;
}

/**
 * An ATOM date with its offset (`2026-02-25T16:50:58+03:00`), the offset written with a colon;
 * `null`, `""`, a date without an offset or one that is no real date (`2026-02-30…`) read as null.
 */
export function readDate(value: unknown): string | null {
  const match = typeof value === 'string' ? ATOM_DATE.exec(value.trim()) : null;
  if (!match) return null;
  const offset = match[2] === 'Z' ? 'Z' : `${match[2]!.slice(0, 3)}:${match[2]!.slice(-2)}`;
  const date = `${match[1]}${offset}`;
  return isRealDate(date) ? date : null;
}

/** Whether the calendar has that day: `Date.parse` alone rolls 2026-02-30 over to March. */
function isRealDate(date: string): boolean {
  if (Number.isNaN(Date.parse(date))) return false;
  const [year, month, day] = date.slice(0, 10).split('-').map(Number) as [number, number, number];
  return (
    month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate()
  );
}

/**
 * The items of a list that PHP may send as an array or as a map. At most MAX_LIST_ITEMS: no chat
 * has more members than that, and a broken portal's 3-million-item list would otherwise hold the
 * event loop for seconds while it is read.
 */
export const MAX_LIST_ITEMS = 100_000;
function listItems(value: unknown): unknown[] | null {
  const items = Array.isArray(value) ? value : isRecord(value) ? Object.values(value) : null;
  return items === null ? null : items.slice(0, MAX_LIST_ITEMS);
}

/** A list of ids; each item may also be an object carrying `user_id` (seen for viewers). */
export function readIdList(value: unknown): string[] | null {
  const items = listItems(value);
  if (items === null) return null;
  return items.flatMap((item) => {
    const id = readId(isRecord(item) ? (item.user_id ?? item.id) : item);
    return id === null ? [] : [id];
  });
}

/** An object that PHP may send as `[]` when empty, or as `""`/`null` when absent. */
function readObject(value: unknown): Record<string, unknown> | null {
  if (isRecord(value)) return value;
  if (Array.isArray(value) && value.length === 0) return {};
  return null;
}

function readEntityLink(value: unknown): DialogEntityLink | null {
  const link = readObject(value);
  if (link === null) return null;
  const read = { type: readText(link.type), url: readText(link.url), id: readText(link.id) };
  return read.type === null && read.url === null && read.id === null ? null : read;
}

function readRestrictions(value: unknown): DialogRestrictions | null {
  const r = readObject(value);
  if (r === null) return null;
  return {
    canChangeAvatar: readBoolean(r.avatar),
    canRename: readBoolean(r.rename),
    canExtend: readBoolean(r.extend),
    canCall: readBoolean(r.call),
    canMute: readBoolean(r.mute),
    canLeave: readBoolean(r.leave),
    canOwnerLeave: readBoolean(r.leave_owner),
    canSend: readBoolean(r.send),
    canSeeMembers: readBoolean(r.user_list),
    path: readText(r.path),
    pathTitle: readText(r.path_title),
  };
}

function readPermissions(value: unknown): DialogPermissions | null {
  const p = readObject(value);
  if (p === null) return null;
  return {
    addMembers: readText(p.manage_users_add),
    removeMembers: readText(p.manage_users_delete),
    changeAppearance: readText(p.manage_ui),
    changeSettings: readText(p.manage_settings),
    manageMessages: readText(p.manage_messages),
    postMessages: readText(p.can_post),
  };
}

function readReaders(value: unknown): DialogReader[] | null {
  const items = listItems(value);
  if (items === null) return null;
  return items.flatMap((item) => {
    if (!isRecord(item)) return [];
    const userId = readId(item.user_id);
    if (userId === null) return [];
    return [
      {
        userId,
        userName: readText(item.user_name),
        lastReadMessageId: readId(item.message_id),
        readAt: readDate(item.date),
      },
    ];
  });
}

/** `first_viewers`: objects `{user_id, user_name, date}` on current portals, bare ids on some older ones. */
function readViewers(value: unknown): DialogViewer[] {
  const items = listItems(value) ?? [];
  return items.flatMap((item) => {
    const userId = readId(isRecord(item) ? item.user_id : item);
    if (userId === null) return [];
    return [
      {
        userId,
        userName: isRecord(item) ? readText(item.user_name) : null,
        viewedAt: isRecord(item) ? readDate(item.date) : null,
      },
    ];
  });
}

function readMessageViews(value: unknown): DialogMessageViews | null {
  const views = readObject(value);
  if (views === null || Object.keys(views).length === 0) return null;
  const firstViewers = readViewers(views.first_viewers);
  return {
    messageId: readId(views.message_id),
    firstViewers,
    firstViewerIds: firstViewers.map((viewer) => viewer.userId),
    viewerCount: readCount(views.count_of_viewers) ?? 0,
  };
}

/**
 * `mute_list` holds at most the caller's own id (the portal fills it from the caller's relation to
 * the chat), so all it can say is whether the caller muted the chat. Absent on old portals: null.
 */
function readMutedByMe(value: unknown): boolean | null {
  const ids = readIdList(value);
  return ids === null ? null : ids.length > 0;
}

function readPublicLink(value: unknown): DialogPublicLink | null {
  const link = readObject(value);
  if (link === null) return null;
  const read = { code: readText(link.code), link: readText(link.link ?? link.url) };
  return read.code === null && read.link === null ? null : read;
}

function unexpected(what: string): Bitrix24Error {
  return new Bitrix24Error({
    failure: 'unavailable',
    code: 'UNEXPECTED_ANSWER',
    message: `Bitrix24 answered im.dialog.get ${what}`,
  });
}

/**
 * A private dialog's other person: the user id it was asked by (`256`), else, for one asked by its
 * chat id, the one member `readed_list` names (it lists every member but the caller). Null for
 * every other dialog, and for a private one whose other person the answer does not tell.
 */
function readCounterpartId(
  askedId: string,
  raw: Record<string, unknown>,
  readBy: readonly DialogReader[] | null,
): string | null {
  const isPrivate = raw.type === 'private' || raw.message_type === 'P';
  if (!isPrivate) return null;
  if (/^\d+$/.test(askedId)) return readId(askedId);
  return readBy?.length === 1 ? readBy[0]!.userId : null;
}

/**
 * Normalises one `im.dialog.get` result. `askedId` is the (trimmed) DIALOG_ID we sent: it becomes
 * `Dialog.id`, so asking for it again gives the same dialog.
 */
export function readDialog(askedId: string, raw: unknown): Dialog {
  if (!isRecord(raw)) throw unexpected('with a result that is not an object');
  const chatId = readId(raw.id);
  if (chatId === null) throw unexpected('without a chat id');
  const readBy = readReaders(raw.readed_list);
  const counterpartId = readCounterpartId(askedId, raw, readBy);
  // The other person as `readed_list` names them (every member but the caller).
  const counterpartName = readBy?.find((reader) => reader.userId === counterpartId)?.userName;
  return {
    id: askedId,
    chatId,
    title:
      readText(raw.name) ?? readText(raw.title) ?? (counterpartId ? counterpartName : null) ?? '',
    ownerId: readId(raw.owner),
    counterpartId,
    extranet: readBoolean(raw.extranet) ?? false,
    avatar: readText(raw.avatar),
    color: readText(raw.color) ?? '',
    typeRaw: readText(raw.type) ?? '',
    messageTypeRaw: readText(raw.message_type) ?? '',
    entityType: readText(raw.entity_type),
    entityId: readText(raw.entity_id),
    entityData1: readText(raw.entity_data_1),
    entityData2: readText(raw.entity_data_2),
    entityData3: readText(raw.entity_data_3),
    dateCreate: readDate(raw.date_create),
    description: readText(raw.description),
    parentChatId: readId(raw.parent_chat_id),
    parentMessageId: readId(raw.parent_message_id),
    roleRaw: readText(raw.role),
    memberCount: readCount(raw.user_counter),
    messageCount: readCount(raw.message_count),
    unreadCount: readCount(raw.counter),
    firstUnreadMessageId: readId(raw.unread_id),
    lastMessageId: readId(raw.last_message_id),
    lastReadMessageId: readId(raw.last_id),
    markedMessageId: readId(raw.marked_id),
    managerIds: readIdList(raw.manager_list),
    mutedUserIds: readIdList(raw.mute_list),
    mutedByMe: readMutedByMe(raw.mute_list),
    entityLink: readEntityLink(raw.entity_link),
    restrictions: readRestrictions(raw.restrictions),
    permissions: readPermissions(raw.permissions),
    readBy,
    lastMessageViews: readMessageViews(raw.last_message_views),
    textFieldEnabled: readBoolean(raw.text_field_enabled),
    isNew: readBoolean(raw.is_new),
    backgroundId: readText(raw.background_id),
    diskFolderId: readId(raw.disk_folder_id),
    publicLink: readPublicLink(raw.public),
  };
}
