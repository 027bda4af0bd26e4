import { DialogIdEmptyError } from '../bitrix/errors.js';
import type {
  Dialog,
  DialogEntityLink,
  DialogMessageViews,
  DialogPermissions,
  DialogPublicLink,
  DialogReader,
  DialogRestrictions,
} from '../bitrix/types.js';
import { builder } from './builder.js';
import {
  DialogMessageTypeEnum,
  DialogPermissionLevelEnum,
  DialogRoleEnum,
  DialogTypeEnum,
  dialogTypeOf,
  messageTypeOf,
  permissionLevelOf,
  roleOf,
} from './enums.js';
import { DateTime } from './scalars.js';

const DialogEntityLinkRef = builder.objectRef<DialogEntityLink>('DialogEntityLink').implement({
  description: 'The object a chat is linked to (a CRM deal, a task…).',
  fields: (t) => ({
    type: t.exposeString('type', { nullable: true, description: 'Its type, e.g. `DEAL`.' }),
    url: t.exposeString('url', { nullable: true, description: 'Its address on the portal, e.g. `/crm/deal/details/1663/`.' }),
    id: t.exposeString('id', { nullable: true, description: 'Its id, e.g. `DEAL|1663`.' }),
  }),
});

const DialogRestrictionsRef = builder.objectRef<DialogRestrictions>('DialogRestrictions').implement({
  description: 'What the caller may do in the chat (Bitrix24 `restrictions`; `true` means allowed).',
  fields: (t) => ({
    canChangeAvatar: t.exposeBoolean('canChangeAvatar', { nullable: true, description: '`avatar`' }),
    canRename: t.exposeBoolean('canRename', { nullable: true, description: '`rename`' }),
    canExtend: t.exposeBoolean('canExtend', { nullable: true, description: '`extend`: may add members.' }),
    canCall: t.exposeBoolean('canCall', { nullable: true, description: '`call`' }),
    canMute: t.exposeBoolean('canMute', { nullable: true, description: '`mute`' }),
    canLeave: t.exposeBoolean('canLeave', { nullable: true, description: '`leave`' }),
    canOwnerLeave: t.exposeBoolean('canOwnerLeave', { nullable: true, description: '`leave_owner`: may the owner leave.' }),
    canSend: t.exposeBoolean('canSend', { nullable: true, description: '`send`' }),
    canSeeMembers: t.exposeBoolean('canSeeMembers', { nullable: true, description: '`user_list`' }),
    path: t.exposeString('path', { nullable: true, description: 'A link to the chat.' }),
    pathTitle: t.exposeString('pathTitle', { nullable: true, description: "The link's text." }),
  }),
});

const levelOf = (raw: string | null) => (raw === null ? null : permissionLevelOf(raw));

const DialogPermissionsRef = builder.objectRef<DialogPermissions>('DialogPermissions').implement({
  description: 'For each action, the least role that may do it (Bitrix24 `permissions`).',
  fields: (t) => ({
    addMembers: t.field({ type: DialogPermissionLevelEnum, nullable: true, description: '`manage_users_add`', resolve: (p) => levelOf(p.addMembers) }),
    removeMembers: t.field({ type: DialogPermissionLevelEnum, nullable: true, description: '`manage_users_delete`', resolve: (p) => levelOf(p.removeMembers) }),
    changeAppearance: t.field({ type: DialogPermissionLevelEnum, nullable: true, description: '`manage_ui`: title, colour and avatar.', resolve: (p) => levelOf(p.changeAppearance) }),
    changeSettings: t.field({ type: DialogPermissionLevelEnum, nullable: true, description: '`manage_settings`', resolve: (p) => levelOf(p.changeSettings) }),
    manageMessages: t.field({ type: DialogPermissionLevelEnum, nullable: true, description: '`manage_messages`', resolve: (p) => levelOf(p.manageMessages) }),
    postMessages: t.field({ type: DialogPermissionLevelEnum, nullable: true, description: '`can_post`', resolve: (p) => levelOf(p.postMessages) }),
  }),
});

const DialogReaderRef = builder.objectRef<DialogReader>('DialogReader').implement({
  description: 'How far one member has read (an item of Bitrix24 `readed_list`).',
  fields: (t) => ({
    userId: t.exposeID('userId'),
    userName: t.exposeString('userName', { nullable: true }),
    lastReadMessageId: t.exposeID('lastReadMessageId', { nullable: true, description: 'null while nothing is read.' }),
    readAt: t.expose('readAt', { type: DateTime, nullable: true, description: 'null while nothing is read.' }),
  }),
});

const DialogMessageViewsRef = builder.objectRef<DialogMessageViews>('DialogMessageViews').implement({
  description: 'Who has seen the last message (Bitrix24 `last_message_views`).',
  fields: (t) => ({
    messageId: t.exposeID('messageId', { nullable: true }),
    firstViewerIds: t.exposeIDList('firstViewerIds', { description: 'The first users who saw it.' }),
    viewerCount: t.exposeInt('viewerCount'),
  }),
});

const DialogPublicLinkRef = builder.objectRef<DialogPublicLink>('DialogPublicLink').implement({
  description: 'The public link of a chat that has one (Bitrix24 `public`).',
  fields: (t) => ({
    code: t.exposeString('code', { nullable: true }),
    link: t.exposeString('link', { nullable: true }),
  }),
});

export const DialogRef = builder.objectRef<Dialog>('Dialog');

DialogRef.implement({
  description: 'A Bitrix24 chat as `im.dialog.get` describes it, the same from old portals (`title`, string ids) and modern ones (`name`, integer ids, many more fields).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The dialog id as it was asked, trimmed: `chat21191` (a chat), `sg103` (a workgroup), `256` (the private dialog with user 256). Asking for it again gives this dialog.' }),
    chatId: t.exposeID('chatId', { description: "Bitrix24's numeric chat id (for a private dialog, the private chat's own id)." }),
    title: t.exposeString('title', { description: 'Modern portals send `name`, old ones `title`.' }),
    ownerId: t.exposeID('ownerId', { nullable: true, description: 'null when Bitrix24 sends 0 or "" (e.g. private dialogs).' }),
    extranet: t.exposeBoolean('extranet', { description: 'Whether an extranet (external) user takes part.' }),
    avatar: t.exposeString('avatar', { nullable: true, description: 'Avatar URL; null when not set.' }),
    color: t.exposeString('color', { description: 'HEX colour, e.g. `#4ba984`.' }),
    type: t.field({ type: DialogTypeEnum, resolve: (d) => dialogTypeOf(d.typeRaw) }),
    typeRaw: t.exposeString('typeRaw', { description: 'The `type` exactly as Bitrix24 sent it.' }),
    messageType: t.field({ type: DialogMessageTypeEnum, resolve: (d) => messageTypeOf(d.messageTypeRaw) }),
    messageTypeRaw: t.exposeString('messageTypeRaw', { description: 'The `message_type` letter exactly as Bitrix24 sent it.' }),
    entityType: t.exposeString('entityType', { nullable: true, description: 'External code: type (e.g. `CRM`); null when "".' }),
    entityId: t.exposeString('entityId', { nullable: true, description: 'External code: id (e.g. `DEAL|1663`); null when "".' }),
    entityData1: t.exposeString('entityData1', { nullable: true }),
    entityData2: t.exposeString('entityData2', { nullable: true }),
    entityData3: t.exposeString('entityData3', { nullable: true }),
    dateCreate: t.expose('dateCreate', { type: DateTime, description: 'When the chat was created, with the portal offset.' }),
    description: t.exposeString('description', { nullable: true, description: 'Modern portals only.' }),
    parentChatId: t.exposeID('parentChatId', { nullable: true, description: 'The chat this one hangs under (threads, comments).' }),
    parentMessageId: t.exposeID('parentMessageId', { nullable: true, description: 'The message this one hangs under (threads, comments).' }),
    role: t.field({ type: DialogRoleEnum, nullable: true, description: "The caller's role; null on old portals.", resolve: (d) => (d.roleRaw === null ? null : roleOf(d.roleRaw)) }),
    memberCount: t.exposeInt('memberCount', { nullable: true, description: '`user_counter`' }),
    messageCount: t.exposeInt('messageCount', { nullable: true }),
    unreadCount: t.exposeInt('unreadCount', { nullable: true, description: "`counter`: the caller's unread messages." }),
    firstUnreadMessageId: t.exposeID('firstUnreadMessageId', { nullable: true, description: '`unread_id`' }),
    lastMessageId: t.exposeID('lastMessageId', { nullable: true }),
    lastReadMessageId: t.exposeID('lastReadMessageId', { nullable: true, description: '`last_id`: the last message the caller read.' }),
    markedMessageId: t.exposeID('markedMessageId', { nullable: true, description: '`marked_id`' }),
    managerIds: t.exposeIDList('managerIds', { nullable: true, description: '`manager_list`' }),
    mutedUserIds: t.exposeIDList('mutedUserIds', { nullable: true, description: '`mute_list`: users who muted the chat.' }),
    entityLink: t.expose('entityLink', { type: DialogEntityLinkRef, nullable: true }),
    restrictions: t.expose('restrictions', { type: DialogRestrictionsRef, nullable: true }),
    permissions: t.expose('permissions', { type: DialogPermissionsRef, nullable: true }),
    readBy: t.expose('readBy', { type: [DialogReaderRef], nullable: true, description: '`readed_list`' }),
    lastMessageViews: t.expose('lastMessageViews', { type: DialogMessageViewsRef, nullable: true }),
    textFieldEnabled: t.exposeBoolean('textFieldEnabled', { nullable: true, description: 'Whether the message input is available.' }),
    isNew: t.exposeBoolean('isNew', { nullable: true }),
    backgroundId: t.exposeString('backgroundId', { nullable: true }),
    diskFolderId: t.exposeID('diskFolderId', { nullable: true, description: "The chat's folder on Disk." }),
    publicLink: t.expose('publicLink', { type: DialogPublicLinkRef, nullable: true, description: '`public`: null when the chat has no public link.' }),
  }),
});

/**
 * `Dialog` is a federation entity keyed by the dialog id as asked (`chat21191`, `sg103`, `256`).
 * References resolve through the request's DialogLoader like every other path, so `_entities` for N
 * dialogs costs ⌈N ÷ 50⌉ calls. A dialog the caller may not read resolves to null with an error
 * (`ACCESS_ERROR`) at its index: `_Entity` is a plain union, with no room for the DialogResult members.
 */
builder.asEntity(DialogRef, {
  key: builder.selection<{ id: string }>('id'),
  // A representation is any JSON (`_Any`): an id that is not a string cannot be a dialog id.
  resolveReference: ({ id }: { id: unknown }, context) =>
    typeof id === 'string' ? context.dialogs().load(id) : Promise.reject(new DialogIdEmptyError('A Dialog reference needs its id as a string')),
});
