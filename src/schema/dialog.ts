import { DialogIdEmptyError } from '../bitrix/errors.js';
import type {
  Dialog,
  DialogEntityLink,
  DialogMessageViews,
  DialogPermissions,
  DialogPublicLink,
  DialogReader,
  DialogRestrictions,
  DialogViewer,
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
import { loadUserOrNull, UserRef } from './user.js';

const DialogEntityLinkRef = builder.objectRef<DialogEntityLink>('DialogEntityLink').implement({
  description:
    'The thing a chat is about, such as a CRM deal or a task, with a link to open it on the portal.',
  fields: (t) => ({
    type: t.exposeString('type', {
      nullable: true,
      description: 'What kind of thing it is, e.g. `DEAL`; null when the portal does not say.',
    }),
    url: t.exposeString('url', {
      nullable: true,
      description:
        'Its page, relative to the portal, e.g. `/crm/deal/details/1663/`; null when it has none.',
    }),
    id: t.exposeString('id', {
      nullable: true,
      description:
        'Its identifier on the portal, e.g. `DEAL|1663`; null when the portal does not say.',
    }),
  }),
});

const DialogRestrictionsRef = builder
  .objectRef<DialogRestrictions>('DialogRestrictions')
  .implement({
    description:
      'What chats of this kind allow, `true` meaning allowed (Bitrix24 `restrictions`). This is a profile of the chat’s type (a general chat never lets anyone leave, a workgroup chat is renamed with its group), the same for every caller: it is not what the caller personally may do. Only a general chat’s `canSend` depends on who asks. Check `role` and `permissions` for the caller’s own rights.',
    fields: (t) => ({
      canChangeAvatar: t.exposeBoolean('canChangeAvatar', {
        nullable: true,
        description: 'Whether chats of this kind may get a new avatar.',
      }),
      canRename: t.exposeBoolean('canRename', {
        nullable: true,
        description: 'Whether chats of this kind may be renamed.',
      }),
      canExtend: t.exposeBoolean('canExtend', {
        nullable: true,
        description: 'Whether members may be added to chats of this kind.',
      }),
      canCall: t.exposeBoolean('canCall', {
        nullable: true,
        description: 'Whether a call may be started from chats of this kind.',
      }),
      canMute: t.exposeBoolean('canMute', {
        nullable: true,
        description: 'Whether chats of this kind may be muted.',
      }),
      canLeave: t.exposeBoolean('canLeave', {
        nullable: true,
        description: 'Whether members may leave chats of this kind.',
      }),
      canOwnerLeave: t.exposeBoolean('canOwnerLeave', {
        nullable: true,
        description: 'Whether the owner may leave chats of this kind.',
      }),
      canSend: t.exposeBoolean('canSend', {
        nullable: true,
        description:
          'Whether messages may be sent; in the general chat, whether the caller may post there.',
      }),
      canSeeMembers: t.exposeBoolean('canSeeMembers', {
        nullable: true,
        description: 'Whether the member list of chats of this kind may be shown.',
      }),
      path: t.exposeString('path', {
        nullable: true,
        description:
          'For workgroup, task, calendar and CRM chats: the page of the linked item, relative to the portal, with `#ID#` left for the entity id (e.g. `/workgroups/group/#ID#/`). For task and calendar chats the path runs through the **caller’s** user page (`/company/personal/user/CALLER_ID/tasks/task/view/#ID#/`), so it differs from user to user. Null for other chats or when empty.',
      }),
      pathTitle: t.exposeString('pathTitle', {
        nullable: true,
        description:
          'The text for a link to `path`, in the portal’s language; null when there is no path.',
      }),
    }),
  });

const levelOf = (raw: string | null) => (raw === null ? null : permissionLevelOf(raw));
const levelField = (description: string, read: (p: DialogPermissions) => string | null) =>
  ({
    type: DialogPermissionLevelEnum,
    nullable: true,
    description: `${description} Null when the chat stores no level (some old chats).`,
    resolve: (p: DialogPermissions) => levelOf(read(p)),
  }) as const;

const DialogPermissionsRef = builder.objectRef<DialogPermissions>('DialogPermissions').implement({
  description:
    'Who may do what in this chat: for each action, the least role needed (Bitrix24 `permissions`). Compare it with `Dialog.role` to know what the caller may do.',
  fields: (t) => ({
    addMembers: t.field(levelField('Who may add members.', (p) => p.addMembers)),
    removeMembers: t.field(levelField('Who may remove members.', (p) => p.removeMembers)),
    changeAppearance: t.field(
      levelField('Who may change the title, colour and avatar.', (p) => p.changeAppearance),
    ),
    changeSettings: t.field(
      levelField(
        'Who may change the chat’s settings, these permissions included.',
        (p) => p.changeSettings,
      ),
    ),
    manageMessages: t.field(
      levelField(
        'Who may pin and otherwise manage messages; portals fill it from the same setting as `postMessages`.',
        (p) => p.manageMessages,
      ),
    ),
    postMessages: t.field(levelField('Who may post messages.', (p) => p.postMessages)),
  }),
});

const DialogReaderRef = builder.objectRef<DialogReader>('DialogReader').implement({
  description: 'How far one member has read the chat (an entry of Bitrix24 `readed_list`).',
  fields: (t) => ({
    userId: t.exposeID('userId', { description: 'The member’s user id.' }),
    userName: t.exposeString('userName', {
      nullable: true,
      description:
        'The member’s full name as the portal shows it; null when the portal does not send it.',
    }),
    lastReadMessageId: t.exposeID('lastReadMessageId', {
      nullable: true,
      description: 'The last message this member has read; null while they have read nothing.',
    }),
    readAt: t.expose('readAt', {
      type: DateTime,
      nullable: true,
      description: 'When they read it; null while they have read nothing.',
    }),
    user: t.field({
      type: UserRef,
      nullable: true,
      description:
        'The member, with their avatar and more; null when the caller may not see them (an extranet user outside the caller’s workgroups): `userId` and `userName` still say who it is. Asked for every reader after the dialog arrives (one more call), so select it only where you show it.',
      resolve: (reader, _args, context) => loadUserOrNull(context, reader.userId),
    }),
  }),
});

const DialogViewerRef = builder.objectRef<DialogViewer>('DialogViewer').implement({
  description: 'One of the first users who saw a message.',
  fields: (t) => ({
    userId: t.exposeID('userId', {
      description: 'The viewer’s user id (may be the caller’s own).',
    }),
    userName: t.exposeString('userName', {
      nullable: true,
      description: 'The viewer’s full name; null when the portal does not send it.',
    }),
    viewedAt: t.expose('viewedAt', {
      type: DateTime,
      nullable: true,
      description: 'When they saw the message; null when the portal does not know.',
    }),
    user: t.field({
      type: UserRef,
      nullable: true,
      description:
        'The viewer, with their avatar and more; null when the caller may not see them (`userId` still says who it is).',
      resolve: (viewer, _args, context) => loadUserOrNull(context, viewer.userId),
    }),
  }),
});

const DialogMessageViewsRef = builder
  .objectRef<DialogMessageViews>('DialogMessageViews')
  .implement({
    description:
      'Who has seen the chat’s last message (Bitrix24 `last_message_views`), for a “seen by” line under it.',
    fields: (t) => ({
      messageId: t.exposeID('messageId', {
        nullable: true,
        description: 'The last message of the chat; null when the chat has no messages.',
      }),
      firstViewers: t.expose('firstViewers', {
        type: [DialogViewerRef],
        description:
          'The first users who saw it, at most two, in the order they saw it; may include the caller.',
      }),
      firstViewerIds: t.exposeIDList('firstViewerIds', {
        description: 'The user ids of `firstViewers`.',
        deprecationReason: 'Use firstViewers, which also gives the names and when they saw it.',
      }),
      viewerCount: t.exposeInt('viewerCount', {
        description:
          'How many users other than the caller have seen it (the caller is never counted).',
      }),
    }),
  });

const DialogPublicLinkRef = builder.objectRef<DialogPublicLink>('DialogPublicLink').implement({
  description:
    'The public link of a chat that can be opened without an account, e.g. a video conference (Bitrix24 `public`).',
  fields: (t) => ({
    code: t.exposeString('code', {
      nullable: true,
      description: 'The short code that identifies the chat in its public link.',
    }),
    link: t.exposeString('link', {
      nullable: true,
      description:
        'The public address to share, relative to the portal or absolute as the portal sends it.',
    }),
  }),
});

export const DialogRef = builder.objectRef<Dialog>('Dialog');

DialogRef.implement({
  description:
    'A Bitrix24 chat or one-to-one dialog, as `im.dialog.get` describes it to the caller. Old portals send only the fields up to `dateCreate`; the rest are null there. Ids are strings of digits; Bitrix24’s “not set” (`""`, `0`) is null.',
  fields: (t) => ({
    id: t.exposeID('id', {
      description:
        'The dialog’s one canonical id, whatever spelling was asked (`CHAT0021191 ` gives `chat21191`): `chat21191` (a chat), `sg103` (a workgroup), `256` (the private dialog with user 256); prefix in lower case, no leading zeros. Cache by it: every spelling of one dialog gives the same id. Asking for it again gives this dialog; it is also the federation key.',
    }),
    chatId: t.exposeID('chatId', {
      description:
        'Bitrix24’s numeric id of the chat behind the dialog; for a private dialog, the private chat’s own id, not the other user’s.',
    }),
    title: t.string({
      description:
        'The chat’s name as the caller sees it. A private dialog has no name on the portal (its UI shows the other person’s): here it is the other person’s full name, as `counterpart.name`; empty only when the caller may not see that person or the portal could not be asked for them.',
      resolve: (dialog, _args, context) =>
        dialog.title !== '' || dialog.counterpartId === null
          ? dialog.title
          : loadUserOrNull(context, dialog.counterpartId).then(
              (user) => user?.name ?? '',
              // A title is never worth failing the dialog: `counterpart` tells the error.
              () => '',
            ),
    }),
    ownerId: t.exposeID('ownerId', {
      nullable: true,
      description:
        'The user who owns the chat: its creator, unless ownership was passed on; for a private dialog, the person who started it. Null when it has none (system chats).',
    }),
    owner: t.field({
      type: UserRef,
      nullable: true,
      description:
        'The owner (see `ownerId`) with their name and avatar, for a chat header; null when there is none or the caller may not see them. Read in the dialog’s own call when selected.',
      resolve: (dialog, _args, context) => loadUserOrNull(context, dialog.ownerId),
    }),
    counterpart: t.field({
      type: UserRef,
      nullable: true,
      description:
        'For a private (one-to-one) dialog: the other person (the caller themselves in their chat with themselves). Null for every other dialog, and when the caller may not see that person.',
      resolve: (dialog, _args, context) => loadUserOrNull(context, dialog.counterpartId),
    }),
    extranet: t.exposeBoolean('extranet', {
      description: 'Whether people from outside the company (extranet users) take part.',
    }),
    avatar: t.exposeString('avatar', {
      nullable: true,
      description:
        'The address of the chat’s avatar image; null when it has none (show `color` instead).',
    }),
    color: t.exposeString('color', {
      description:
        'The chat’s colour as a HEX code, e.g. `#4ba984`, for a placeholder avatar; empty when the portal sends none.',
    }),
    type: t.field({
      type: DialogTypeEnum,
      description:
        'What kind of chat this is; UNKNOWN for kinds newer than this server (see `typeRaw`).',
      resolve: (d) => dialogTypeOf(d.typeRaw),
    }),
    typeRaw: t.exposeString('typeRaw', {
      description:
        'The kind of chat exactly as the portal named it (`sonetGroup`, `tasksTask`…), to tell what an UNKNOWN `type` stands for.',
    }),
    messageType: t.field({
      type: DialogMessageTypeEnum,
      description:
        'The family of the chat; UNKNOWN for letters newer than this server (see `messageTypeRaw`).',
      resolve: (d) => messageTypeOf(d.messageTypeRaw),
    }),
    messageTypeRaw: t.exposeString('messageTypeRaw', {
      description:
        'The family letter exactly as the portal sent it (`C`, `P`, `X`…), to tell what an UNKNOWN `messageType` stands for.',
    }),
    entityType: t.exposeString('entityType', {
      nullable: true,
      description:
        'The kind of thing the chat is linked to, e.g. `CRM`, `SONET_GROUP`, `TASKS_TASK`; null for a chat linked to nothing.',
    }),
    entityId: t.exposeString('entityId', {
      nullable: true,
      description:
        'The id of the thing the chat is linked to, e.g. `DEAL|1663` or a group id; null for a chat linked to nothing.',
    }),
    entityData1: t.exposeString('entityData1', {
      nullable: true,
      description:
        'First extra data the linking module keeps on the chat (open lines keep the session state here); opaque, null when empty.',
    }),
    entityData2: t.exposeString('entityData2', {
      nullable: true,
      description:
        'Second extra data the linking module keeps on the chat; opaque, null when empty.',
    }),
    entityData3: t.exposeString('entityData3', {
      nullable: true,
      description:
        'Third extra data the linking module keeps on the chat; opaque, null when empty.',
    }),
    dateCreate: t.expose('dateCreate', {
      type: DateTime,
      nullable: true,
      description:
        'When the chat was created, with the portal’s UTC offset; null for chats the portal keeps no creation date for.',
    }),
    description: t.exposeString('description', {
      nullable: true,
      description:
        'The chat’s description as its members wrote it; null when empty or on old portals.',
    }),
    parentChatId: t.exposeID('parentChatId', {
      nullable: true,
      description: 'For comments and threads: the chat they hang under; null otherwise.',
    }),
    parentMessageId: t.exposeID('parentMessageId', {
      nullable: true,
      description: 'For comments and threads: the message they hang under; null otherwise.',
    }),
    role: t.field({
      type: DialogRoleEnum,
      nullable: true,
      description: 'How the caller stands in the chat; null on old portals.',
      resolve: (d) => (d.roleRaw === null ? null : roleOf(d.roleRaw)),
    }),
    memberCount: t.exposeInt('memberCount', {
      nullable: true,
      description: 'How many members the chat has; null on old portals.',
    }),
    messageCount: t.exposeInt('messageCount', {
      nullable: true,
      description: 'How many messages the caller can see in the chat; null on old portals.',
    }),
    unreadCount: t.exposeInt('unreadCount', {
      nullable: true,
      description:
        'How many messages the caller has not read yet, for an unread badge; null on old portals.',
    }),
    firstUnreadMessageId: t.exposeID('firstUnreadMessageId', {
      nullable: true,
      description:
        'The first message the caller has not read, to scroll to; null when everything is read.',
    }),
    lastMessageId: t.exposeID('lastMessageId', {
      nullable: true,
      description: 'The newest message of the chat; null when it has none.',
    }),
    lastReadMessageId: t.exposeID('lastReadMessageId', {
      nullable: true,
      description: 'The last message the caller has read; null while they have read nothing.',
    }),
    markedMessageId: t.exposeID('markedMessageId', {
      nullable: true,
      description: 'The message the caller marked to come back to; null when none is marked.',
    }),
    managerIds: t.exposeIDList('managerIds', {
      nullable: true,
      description:
        'The user ids of the chat’s managers (administrators). A group chat lists its creator among them when it is created, so the owner is usually listed too; null on old portals.',
    }),
    managers: t.field({
      type: [UserRef],
      nullable: { list: true, items: true },
      description:
        'The chat’s administrators (`managerIds`, in the same order) with their names and avatars; an item is null when the caller may not see that person. Null on old portals. Read in the dialog’s own call when selected.',
      resolve: (dialog, _args, context) =>
        dialog.managerIds?.map((id) => loadUserOrNull(context, id)) ?? null,
    }),
    mutedByMe: t.exposeBoolean('mutedByMe', {
      nullable: true,
      description: 'Whether the caller has muted the chat; null on old portals.',
    }),
    mutedUserIds: t.exposeIDList('mutedUserIds', {
      nullable: true,
      description:
        'The caller’s own user id when they muted the chat, else empty: portals never list other users here.',
      deprecationReason: 'Portals only ever list the caller here; use mutedByMe.',
    }),
    entityLink: t.expose('entityLink', {
      type: DialogEntityLinkRef,
      nullable: true,
      description:
        'The thing the chat is about, with a link to it; null when it is about nothing or on old portals.',
    }),
    restrictions: t.expose('restrictions', {
      type: DialogRestrictionsRef,
      nullable: true,
      description:
        'What chats of this kind allow (not what the caller personally may do); null on old portals.',
    }),
    permissions: t.expose('permissions', {
      type: DialogPermissionsRef,
      nullable: true,
      description: 'The least role each action needs in this chat; null on old portals.',
    }),
    readBy: t.expose('readBy', {
      type: [DialogReaderRef],
      nullable: true,
      description:
        'How far each member other than the caller has read, all of them: thousands of entries in a big chat, so ask for it only where you show it. Null on old portals.',
    }),
    lastMessageViews: t.expose('lastMessageViews', {
      type: DialogMessageViewsRef,
      nullable: true,
      description: 'Who has seen the last message; null on old portals.',
    }),
    textFieldEnabled: t.exposeBoolean('textFieldEnabled', {
      nullable: true,
      description:
        'Whether the chat shows a message input at all (an integration may switch it off for a chat); null on old portals.',
    }),
    isNew: t.exposeBoolean('isNew', {
      nullable: true,
      description:
        'Whether this is an open channel created within the last day, to badge it as new; null on old portals.',
    }),
    backgroundId: t.exposeString('backgroundId', {
      nullable: true,
      description:
        'The name of the chat’s background theme, e.g. `azure` or `mint`; null for the default background.',
    }),
    diskFolderId: t.exposeID('diskFolderId', {
      nullable: true,
      description:
        'The folder on the portal’s Disk that holds the chat’s files; null until the chat has one.',
    }),
    publicLink: t.expose('publicLink', {
      type: DialogPublicLinkRef,
      nullable: true,
      description: 'The public link of the chat; null when it has none.',
    }),
  }),
});

/**
 * `Dialog` is a federation entity keyed by its canonical id (`chat21191`, `sg103`, `256`).
 * References resolve through the request's DialogLoader like every other path, so `_entities` for N
 * dialogs costs ⌈N ÷ 50⌉ calls. A dialog the caller may not read resolves to null with an error
 * (`ACCESS_ERROR`) at its index: `_Entity` is a plain union, with no room for the DialogResult members.
 */
builder.asEntity(DialogRef, {
  key: builder.selection<{ id: string }>('id'),
  // A representation is any JSON (`_Any`): an id that is not a string cannot be a dialog id.
  resolveReference: ({ id }: { id: unknown }, context) =>
    typeof id === 'string'
      ? context.dialogs().load(id)
      : Promise.reject(new DialogIdEmptyError('A Dialog reference needs its id as a string')),
});
