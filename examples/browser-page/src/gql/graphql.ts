/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  /** The `ID` scalar type represents a unique identifier, often used to refetch an object or as key for a cache. The ID type appears in a JSON response as a String; however, it is not intended to be human-readable. When expected as an input type, any string (such as `"4"`) or integer (such as `4`) input value will be accepted as an ID. */
  ID: { input: string; output: string; }
  /** The `String` scalar type represents textual data, represented as UTF-8 character sequences. The String type is most often used by GraphQL to represent free-form human-readable text. */
  String: { input: string; output: string; }
  /** The `Boolean` scalar type represents `true` or `false`. */
  Boolean: { input: boolean; output: boolean; }
  /** The `Int` scalar type represents non-fractional signed whole numeric values. Int can represent values between -(2^31) and 2^31 - 1. */
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO 8601 date-time with its UTC offset, as Bitrix24 sends it (`2026-02-25T16:50:58+03:00`). */
  DateTime: { input: string; output: string; }
  /** A reference to an entity as a federation gateway sends it: an object with `__typename` and the entity’s key, e.g. `{ "__typename": "Dialog", "id": "chat21191" }`. */
  _Any: { input: any; output: any; }
};

/** The caller may not read this dialog, or it does not exist: the portal does not tell the two apart (Bitrix24 `ACCESS_ERROR`). `crmNNN` ids always end here. */
export type AccessError = ErrorResult & {
  __typename?: 'AccessError';
  /** The error code, stable to switch on: `DIALOG_ID_EMPTY`, `ACCESS_ERROR` or `WRONG_ENCODING` for a dialog, `INVALID_FORMAT` or `USER_NOT_FOUND` for a user. */
  code: Scalars['String']['output'];
  /** The dialog id that was asked for, in its canonical spelling (as `Dialog.id` gives it), so a list can mark the right item. */
  dialogId: Scalars['ID']['output'];
  /** What went wrong, in words for a developer (the portal’s own text when it gave a short one). */
  message: Scalars['String']['output'];
};

/** A person of the Bitrix24 portal (an employee, an extranet guest, a bot, an open-lines visitor) as `im.user.list.get` describes them to the caller: what a chat UI shows next to a name. The portal’s “not set” (`""`, `false` for dates) is null. */
export type Bitrix24User = {
  __typename?: 'Bitrix24User';
  /** The last day of the user’s current absence (leave, trip) per the absence chart; null when they are not away. */
  absentUntil?: Maybe<Scalars['DateTime']['output']>;
  /** The address of the user’s small avatar (about 100×100), absolute or relative to the portal; null when they have none: show `color` with their initials instead. */
  avatar?: Maybe<Scalars['String']['output']>;
  /** The birthday as `DD-MM` (day and month only: the portal never sends the year); null when not shared. */
  birthday?: Maybe<Scalars['String']['output']>;
  /** Whether this is a chat bot rather than a person. */
  bot: Scalars['Boolean']['output'];
  /** The user’s colour as a HEX code (`#df532d`), for a placeholder avatar; the portal gives every user one. */
  color?: Maybe<Scalars['String']['output']>;
  /** Whether this is an open-lines visitor: a customer writing from a messenger or the website widget. */
  connector: Scalars['Boolean']['output'];
  /** The departments the user belongs to (ids); empty for extranet users and bots. */
  departmentIds: Array<Scalars['ID']['output']>;
  /** When the user last used the desktop app; null when never. */
  desktopLastSeenAt?: Maybe<Scalars['DateTime']['output']>;
  /** How the user signs in, as the portal names it: `default` (an ordinary account), `bot`, `imconnector` (open lines), `email`…; null when not sent. */
  externalAuthId?: Maybe<Scalars['String']['output']>;
  /** Whether this is an extranet user: someone from outside the company, invited into some workgroups. */
  extranet: Scalars['Boolean']['output'];
  /** The given name; null when the profile has none. */
  firstName?: Maybe<Scalars['String']['output']>;
  /** The gender on the profile; null when not said. */
  gender?: Maybe<Bitrix24UserGender>;
  /** The user id on the portal (digits). Asking `user(id:)` with it gives this user; also the federation key. */
  id: Scalars['ID']['output'];
  /** Since when the user has been away from their computer; null when they are not idle. */
  idleSince?: Maybe<Scalars['DateTime']['output']>;
  /** When the user last did anything on the portal; null when never. */
  lastActivityAt?: Maybe<Scalars['DateTime']['output']>;
  /** The family name; null when the profile has none (bots often have none). */
  lastName?: Maybe<Scalars['String']['output']>;
  /** When the user last used the mobile app; null when never. */
  mobileLastSeenAt?: Maybe<Scalars['DateTime']['output']>;
  /** The full name to display, as the portal composes it (usually first and last name); may be the login or e-mail for users without a name. */
  name: Scalars['String']['output'];
  /** Whether this is a Bitrix24.Network user (from another portal). */
  network: Scalars['Boolean']['output'];
  /** The phone numbers on the profile. */
  phones: Bitrix24UserPhones;
  /** The status the user chose, e.g. `online`, `dnd` (do not disturb), `away`; not whether they are connected now (see `lastActivityAt`). */
  status?: Maybe<Scalars['String']['output']>;
  /** The job title, e.g. `Sales manager`; null when not filled in. */
  workPosition?: Maybe<Scalars['String']['output']>;
};

/** A user’s gender as their profile says. */
export type Bitrix24UserGender =
  /** The profile gives the gender as female. */
  | 'FEMALE'
  /** The profile gives the gender as male. */
  | 'MALE';

/** The phone numbers on a user’s profile, as typed there (no normalisation). */
export type Bitrix24UserPhones = {
  __typename?: 'Bitrix24UserPhones';
  /** The mobile phone; null when not filled in. */
  mobile?: Maybe<Scalars['String']['output']>;
  /** The home phone; null when not filled in. */
  personal?: Maybe<Scalars['String']['output']>;
  /** The work phone; null when not filled in. */
  work?: Maybe<Scalars['String']['output']>;
};

/** A user, or why it could not be given: select `... on Bitrix24User { … }` and `... on Error { code message }`. */
export type Bitrix24UserResult = Bitrix24User | UserIdInvalidError | UserNotFoundError;

/** A Bitrix24 chat or one-to-one dialog, as `im.dialog.get` describes it to the caller. Old portals send only the fields up to `dateCreate`; the rest are null there. Ids are strings of digits; Bitrix24’s “not set” (`""`, `0`) is null. */
export type Dialog = {
  __typename?: 'Dialog';
  /** The address of the chat’s avatar image; null when it has none (show `color` instead). */
  avatar?: Maybe<Scalars['String']['output']>;
  /** The name of the chat’s background theme, e.g. `azure` or `mint`; null for the default background. */
  backgroundId?: Maybe<Scalars['String']['output']>;
  /** Bitrix24’s numeric id of the chat behind the dialog; for a private dialog, the private chat’s own id, not the other user’s. */
  chatId: Scalars['ID']['output'];
  /** The chat’s colour as a HEX code, e.g. `#4ba984`, for a placeholder avatar; empty when the portal sends none. */
  color: Scalars['String']['output'];
  /** For a private (one-to-one) dialog: the other person (the caller themselves in their chat with themselves). Null for every other dialog, and when the caller may not see that person. */
  counterpart?: Maybe<Bitrix24User>;
  /** When the chat was created, with the portal’s UTC offset; null for chats the portal keeps no creation date for. */
  dateCreate?: Maybe<Scalars['DateTime']['output']>;
  /** The chat’s description as its members wrote it; null when empty or on old portals. */
  description?: Maybe<Scalars['String']['output']>;
  /** The folder on the portal’s Disk that holds the chat’s files; null until the chat has one. */
  diskFolderId?: Maybe<Scalars['ID']['output']>;
  /** First extra data the linking module keeps on the chat (open lines keep the session state here); opaque, null when empty. */
  entityData1?: Maybe<Scalars['String']['output']>;
  /** Second extra data the linking module keeps on the chat; opaque, null when empty. */
  entityData2?: Maybe<Scalars['String']['output']>;
  /** Third extra data the linking module keeps on the chat; opaque, null when empty. */
  entityData3?: Maybe<Scalars['String']['output']>;
  /** The id of the thing the chat is linked to, e.g. `DEAL|1663` or a group id; null for a chat linked to nothing. */
  entityId?: Maybe<Scalars['String']['output']>;
  /** The thing the chat is about, with a link to it; null when it is about nothing or on old portals. */
  entityLink?: Maybe<DialogEntityLink>;
  /** The kind of thing the chat is linked to, e.g. `CRM`, `SONET_GROUP`, `TASKS_TASK`; null for a chat linked to nothing. */
  entityType?: Maybe<Scalars['String']['output']>;
  /** Whether people from outside the company (extranet users) take part. */
  extranet: Scalars['Boolean']['output'];
  /** The first message the caller has not read, to scroll to; null when everything is read. */
  firstUnreadMessageId?: Maybe<Scalars['ID']['output']>;
  /** The dialog’s one canonical id, whatever spelling was asked (`CHAT0021191 ` gives `chat21191`): `chat21191` (a chat), `sg103` (a workgroup), `256` (the private dialog with user 256); prefix in lower case, no leading zeros. Cache by it: every spelling of one dialog gives the same id. Asking for it again gives this dialog; it is also the federation key. */
  id: Scalars['ID']['output'];
  /** Whether this is an open channel created within the last day, to badge it as new; null on old portals. */
  isNew?: Maybe<Scalars['Boolean']['output']>;
  /** The newest message of the chat; null when it has none. */
  lastMessageId?: Maybe<Scalars['ID']['output']>;
  /** Who has seen the last message; null on old portals. */
  lastMessageViews?: Maybe<DialogMessageViews>;
  /** The last message the caller has read; null while they have read nothing. */
  lastReadMessageId?: Maybe<Scalars['ID']['output']>;
  /** The user ids of the chat’s managers (administrators). A group chat lists its creator among them when it is created, so the owner is usually listed too; null on old portals. */
  managerIds?: Maybe<Array<Scalars['ID']['output']>>;
  /** The chat’s administrators (`managerIds`, in the same order) with their names and avatars; an item is null when the caller may not see that person. Null on old portals. Read in the dialog’s own call when selected. */
  managers?: Maybe<Array<Maybe<Bitrix24User>>>;
  /** The message the caller marked to come back to; null when none is marked. */
  markedMessageId?: Maybe<Scalars['ID']['output']>;
  /** How many members the chat has; null on old portals. */
  memberCount?: Maybe<Scalars['Int']['output']>;
  /** How many messages the caller can see in the chat; null on old portals. */
  messageCount?: Maybe<Scalars['Int']['output']>;
  /** The family of the chat; UNKNOWN for letters newer than this server (see `messageTypeRaw`). */
  messageType: DialogMessageType;
  /** The family letter exactly as the portal sent it (`C`, `P`, `X`…), to tell what an UNKNOWN `messageType` stands for. */
  messageTypeRaw: Scalars['String']['output'];
  /** Whether the caller has muted the chat; null on old portals. */
  mutedByMe?: Maybe<Scalars['Boolean']['output']>;
  /**
   * The caller’s own user id when they muted the chat, else empty: portals never list other users here.
   * @deprecated Portals only ever list the caller here; use mutedByMe.
   */
  mutedUserIds?: Maybe<Array<Scalars['ID']['output']>>;
  /** The owner (see `ownerId`) with their name and avatar, for a chat header; null when there is none or the caller may not see them. Read in the dialog’s own call when selected. */
  owner?: Maybe<Bitrix24User>;
  /** The user who owns the chat: its creator, unless ownership was passed on; for a private dialog, the person who started it. Null when it has none (system chats). */
  ownerId?: Maybe<Scalars['ID']['output']>;
  /** For comments and threads: the chat they hang under; null otherwise. */
  parentChatId?: Maybe<Scalars['ID']['output']>;
  /** For comments and threads: the message they hang under; null otherwise. */
  parentMessageId?: Maybe<Scalars['ID']['output']>;
  /** The least role each action needs in this chat; null on old portals. */
  permissions?: Maybe<DialogPermissions>;
  /** The public link of the chat; null when it has none. */
  publicLink?: Maybe<DialogPublicLink>;
  /** How far each member other than the caller has read, all of them: thousands of entries in a big chat, so ask for it only where you show it. Null on old portals. */
  readBy?: Maybe<Array<DialogReader>>;
  /** What chats of this kind allow (not what the caller personally may do); null on old portals. */
  restrictions?: Maybe<DialogRestrictions>;
  /** How the caller stands in the chat; null on old portals. */
  role?: Maybe<DialogRole>;
  /** Whether the chat shows a message input at all (an integration may switch it off for a chat); null on old portals. */
  textFieldEnabled?: Maybe<Scalars['Boolean']['output']>;
  /** The chat’s name as the caller sees it. A private dialog has no name on the portal (its UI shows the other person’s): here it is the other person’s full name, as `counterpart.name`; empty only when the caller may not see that person or the portal could not be asked for them. */
  title: Scalars['String']['output'];
  /** What kind of chat this is; UNKNOWN for kinds newer than this server (see `typeRaw`). */
  type: DialogType;
  /** The kind of chat exactly as the portal named it (`sonetGroup`, `tasksTask`…), to tell what an UNKNOWN `type` stands for. */
  typeRaw: Scalars['String']['output'];
  /** How many messages the caller has not read yet, for an unread badge; null on old portals. */
  unreadCount?: Maybe<Scalars['Int']['output']>;
};

/** The thing a chat is about, such as a CRM deal or a task, with a link to open it on the portal. */
export type DialogEntityLink = {
  __typename?: 'DialogEntityLink';
  /** Its identifier on the portal, e.g. `DEAL|1663`; null when the portal does not say. */
  id?: Maybe<Scalars['String']['output']>;
  /** What kind of thing it is, e.g. `DEAL`; null when the portal does not say. */
  type?: Maybe<Scalars['String']['output']>;
  /** Its page, relative to the portal, e.g. `/crm/deal/details/1663/`; null when it has none. */
  url?: Maybe<Scalars['String']['output']>;
};

/** The id is not a dialog id (Bitrix24 `DIALOG_ID_EMPTY`): empty, `0`, or outside the portal’s grammar (`chatNNN`, `sgNNN`, `crmNNN` or a user id `NNN`, in any letter case). This server answers it without asking the portal. */
export type DialogIdEmptyError = ErrorResult & {
  __typename?: 'DialogIdEmptyError';
  /** The error code, stable to switch on: `DIALOG_ID_EMPTY`, `ACCESS_ERROR` or `WRONG_ENCODING` for a dialog, `INVALID_FORMAT` or `USER_NOT_FOUND` for a user. */
  code: Scalars['String']['output'];
  /** What went wrong, in words for a developer (the portal’s own text when it gave a short one). */
  message: Scalars['String']['output'];
};

/** The family of chat a dialog belongs to, from the Bitrix24 one-letter `message_type`: coarser than `DialogType`, and what decides how its messages behave. */
export type DialogMessageType =
  /** A channel (letter `N`). */
  | 'CHANNEL'
  /** A closed group chat that members are added to (letter `C`). */
  | 'CHAT'
  /** A collab shared with external participants (letter `B`). */
  | 'COLLAB'
  /** Comments or a thread under a message (letter `T`). */
  | 'COMMENT'
  /** A chat with an AI assistant (letter `A`). */
  | 'COPILOT'
  /** A chat owned by another module, such as a task’s chat (letter `X`). */
  | 'EXTERNAL'
  /** An open chat anyone in the company may join (letter `O`). */
  | 'OPEN'
  /** An open channel (letter `J`). */
  | 'OPEN_CHANNEL'
  /** An open line or support conversation (letter `L`). */
  | 'OPEN_LINE'
  /** A one-to-one dialog (letter `P`). */
  | 'PRIVATE'
  /** A chat written by the portal itself (letter `S`). */
  | 'SYSTEM'
  /** A value this server does not know yet: portals gain new ones with updates. The raw value is in the matching `…Raw` field where there is one. */
  | 'UNKNOWN';

/** Who has seen the chat’s last message (Bitrix24 `last_message_views`), for a “seen by” line under it. */
export type DialogMessageViews = {
  __typename?: 'DialogMessageViews';
  /**
   * The user ids of `firstViewers`.
   * @deprecated Use firstViewers, which also gives the names and when they saw it.
   */
  firstViewerIds: Array<Scalars['ID']['output']>;
  /** The first users who saw it, at most two, in the order they saw it; may include the caller. */
  firstViewers: Array<DialogViewer>;
  /** The last message of the chat; null when the chat has no messages. */
  messageId?: Maybe<Scalars['ID']['output']>;
  /** How many users other than the caller have seen it (the caller is never counted). */
  viewerCount: Scalars['Int']['output'];
};

/** Who may do an action in a chat: the least role needed, or nobody. */
export type DialogPermissionLevel =
  /** Only the owner and the chat’s administrators may do it (`manager`). */
  | 'MANAGER'
  /** Every member may do it (`member`). */
  | 'MEMBER'
  /** Nobody may do it in this chat, not even its owner (`none`). */
  | 'NONE'
  /** Only the owner may do it (`owner`). */
  | 'OWNER'
  /** A level this server does not know yet: portals gain new ones with updates. */
  | 'UNKNOWN';

/** Who may do what in this chat: for each action, the least role needed (Bitrix24 `permissions`). Compare it with `Dialog.role` to know what the caller may do. */
export type DialogPermissions = {
  __typename?: 'DialogPermissions';
  /** Who may add members. Null when the chat stores no level (some old chats). */
  addMembers?: Maybe<DialogPermissionLevel>;
  /** Who may change the title, colour and avatar. Null when the chat stores no level (some old chats). */
  changeAppearance?: Maybe<DialogPermissionLevel>;
  /** Who may change the chat’s settings, these permissions included. Null when the chat stores no level (some old chats). */
  changeSettings?: Maybe<DialogPermissionLevel>;
  /** Who may pin and otherwise manage messages; portals fill it from the same setting as `postMessages`. Null when the chat stores no level (some old chats). */
  manageMessages?: Maybe<DialogPermissionLevel>;
  /** Who may post messages. Null when the chat stores no level (some old chats). */
  postMessages?: Maybe<DialogPermissionLevel>;
  /** Who may remove members. Null when the chat stores no level (some old chats). */
  removeMembers?: Maybe<DialogPermissionLevel>;
};

/** The public link of a chat that can be opened without an account, e.g. a video conference (Bitrix24 `public`). */
export type DialogPublicLink = {
  __typename?: 'DialogPublicLink';
  /** The short code that identifies the chat in its public link. */
  code?: Maybe<Scalars['String']['output']>;
  /** The public address to share, relative to the portal or absolute as the portal sends it. */
  link?: Maybe<Scalars['String']['output']>;
};

/** How far one member has read the chat (an entry of Bitrix24 `readed_list`). */
export type DialogReader = {
  __typename?: 'DialogReader';
  /** The last message this member has read; null while they have read nothing. */
  lastReadMessageId?: Maybe<Scalars['ID']['output']>;
  /** When they read it; null while they have read nothing. */
  readAt?: Maybe<Scalars['DateTime']['output']>;
  /** The member, with their avatar and more; null when the caller may not see them (an extranet user outside the caller’s workgroups): `userId` and `userName` still say who it is. Asked for every reader after the dialog arrives (one more call), so select it only where you show it. */
  user?: Maybe<Bitrix24User>;
  /** The member’s user id. */
  userId: Scalars['ID']['output'];
  /** The member’s full name as the portal shows it; null when the portal does not send it. */
  userName?: Maybe<Scalars['String']['output']>;
};

/** What chats of this kind allow, `true` meaning allowed (Bitrix24 `restrictions`). This is a profile of the chat’s type (a general chat never lets anyone leave, a workgroup chat is renamed with its group), the same for every caller: it is not what the caller personally may do. Only a general chat’s `canSend` depends on who asks. Check `role` and `permissions` for the caller’s own rights. */
export type DialogRestrictions = {
  __typename?: 'DialogRestrictions';
  /** Whether a call may be started from chats of this kind. */
  canCall?: Maybe<Scalars['Boolean']['output']>;
  /** Whether chats of this kind may get a new avatar. */
  canChangeAvatar?: Maybe<Scalars['Boolean']['output']>;
  /** Whether members may be added to chats of this kind. */
  canExtend?: Maybe<Scalars['Boolean']['output']>;
  /** Whether members may leave chats of this kind. */
  canLeave?: Maybe<Scalars['Boolean']['output']>;
  /** Whether chats of this kind may be muted. */
  canMute?: Maybe<Scalars['Boolean']['output']>;
  /** Whether the owner may leave chats of this kind. */
  canOwnerLeave?: Maybe<Scalars['Boolean']['output']>;
  /** Whether chats of this kind may be renamed. */
  canRename?: Maybe<Scalars['Boolean']['output']>;
  /** Whether the member list of chats of this kind may be shown. */
  canSeeMembers?: Maybe<Scalars['Boolean']['output']>;
  /** Whether messages may be sent; in the general chat, whether the caller may post there. */
  canSend?: Maybe<Scalars['Boolean']['output']>;
  /** For workgroup, task, calendar and CRM chats: the page of the linked item, relative to the portal, with `#ID#` left for the entity id (e.g. `/workgroups/group/#ID#/`). For task and calendar chats the path runs through the **caller’s** user page (`/company/personal/user/CALLER_ID/tasks/task/view/#ID#/`), so it differs from user to user. Null for other chats or when empty. */
  path?: Maybe<Scalars['String']['output']>;
  /** The text for a link to `path`, in the portal’s language; null when there is no path. */
  pathTitle?: Maybe<Scalars['String']['output']>;
};

/** A dialog, or why it could not be given: select `... on Dialog { … }` and `... on Error { code message }`. */
export type DialogResult = AccessError | Dialog | DialogIdEmptyError | UnreadableDialogError;

/** How the caller stands in the chat: owner, administrator, member or guest. */
export type DialogRole =
  /** The caller reads the chat without being a member, as in open chats and channels (`guest`). */
  | 'GUEST'
  /** The caller is one of the chat’s administrators (`manager`). */
  | 'MANAGER'
  /** The caller is an ordinary member (`member`). */
  | 'MEMBER'
  /** The caller has no role in the chat (`none`). */
  | 'NONE'
  /** The caller owns the chat (`owner`). */
  | 'OWNER'
  /** A role this server does not know yet: portals gain new ones with updates. */
  | 'UNKNOWN';

/** What kind of chat a dialog is (the Bitrix24 `type`). Switch on it to pick an icon or a layout; new kinds arrive as UNKNOWN. */
export type DialogType =
  /** An announcement chat where only some members may post (`announcement`). */
  | 'ANNOUNCEMENT'
  /** The chat of a calendar event (`calendar`). */
  | 'CALENDAR'
  /** The chat of a telephony call (`call`). */
  | 'CALL'
  /** A channel: a few post, everyone else reads (`channel`). */
  | 'CHANNEL'
  /** An ordinary group chat (`chat`). */
  | 'CHAT'
  /** A collab: a workspace shared with people outside the company (`collab`). */
  | 'COLLAB'
  /** The comments under one channel post (`comment`). */
  | 'COMMENT'
  /** A chat with the CoPilot AI assistant (`copilot`). */
  | 'COPILOT'
  /** A chat about a CRM item such as a deal or a lead (`crm`). */
  | 'CRM'
  /** The company-wide general chat every employee is in (`general`). */
  | 'GENERAL'
  /** The company-wide general channel (`generalChannel`). */
  | 'GENERAL_CHANNEL'
  /** An open line: a conversation with a customer from an outside channel (`lines`). */
  | 'LINES'
  /** The chat of an email thread (`mail`). */
  | 'MAIL'
  /** Never sent by a portal: Bitrix24.Network dialogs are `NETWORK_DIALOG`. */
  | 'NETWORK'
  /** A dialog with a partner through Bitrix24.Network (`networkDialog`). */
  | 'NETWORK_DIALOG'
  /** An open chat that any employee may find and join (`open`). */
  | 'OPEN'
  /** A channel any employee may find and follow (`openChannel`). */
  | 'OPEN_CHANNEL'
  /** A one-to-one dialog between two users (`private`). */
  | 'PRIVATE'
  /** The chat of a workgroup or project (`sonetGroup`). */
  | 'SONET_GROUP'
  /** News and notifications from Bitrix24 support (`support24Notifier`). */
  | 'SUPPORT24_NOTIFIER'
  /** A question to Bitrix24 support (`support24Question`). */
  | 'SUPPORT24_QUESTION'
  /** A chat the portal itself writes to, such as notifications (`system`). */
  | 'SYSTEM'
  /** A chat about tasks (`tasks`). */
  | 'TASKS'
  /** The chat of one task (`tasksTask`, a type taken from the chat’s entity). */
  | 'TASKS_TASK'
  /** A thread of replies under one message (`thread`). */
  | 'THREAD'
  /** A value this server does not know yet: portals gain new ones with updates. The raw value is in the matching `…Raw` field where there is one. */
  | 'UNKNOWN'
  /** The chat of a video conference (`videoconf`). */
  | 'VIDEOCONF';

/** One of the first users who saw a message. */
export type DialogViewer = {
  __typename?: 'DialogViewer';
  /** The viewer, with their avatar and more; null when the caller may not see them (`userId` still says who it is). */
  user?: Maybe<Bitrix24User>;
  /** The viewer’s user id (may be the caller’s own). */
  userId: Scalars['ID']['output'];
  /** The viewer’s full name; null when the portal does not send it. */
  userName?: Maybe<Scalars['String']['output']>;
  /** When they saw the message; null when the portal does not know. */
  viewedAt?: Maybe<Scalars['DateTime']['output']>;
};

/** Why one dialog or user could not be given, answered in its place: the other items of the same request are unaffected. */
export type ErrorResult = {
  /** The error code, stable to switch on: `DIALOG_ID_EMPTY`, `ACCESS_ERROR` or `WRONG_ENCODING` for a dialog, `INVALID_FORMAT` or `USER_NOT_FOUND` for a user. */
  code: Scalars['String']['output'];
  /** What went wrong, in words for a developer (the portal’s own text when it gave a short one). */
  message: Scalars['String']['output'];
};

/** Read Bitrix24 dialogs as the caller (the webhook’s user, or the user whose token the request carries). */
export type Query = {
  __typename?: 'Query';
  /** For a federation gateway: the dialogs behind references that other subgraphs return, in the order given. Goes through the same batching as `dialogs`; a dialog the caller may not read is null with an `ACCESS_ERROR` error at its index. */
  _entities: Array<Maybe<_Entity>>;
  /** For a federation gateway: this subgraph’s SDL, to compose it into a supergraph. */
  _service: _Service;
  /** One dialog by its id: `chatNNN` (a chat), `sgNNN` (a workgroup’s chat) or `NNN` (the private dialog with user NNN). Reading is not always free of side effects on the portal: `sgNNN` may create the workgroup’s chat on first use, and `NNN` the private chat between the caller and that user. Null, with an error, only when the portal could not be asked (auth, rate limit, outage). */
  dialog?: Maybe<DialogResult>;
  /** Many dialogs at once: one result per id, in the order asked (duplicates allowed). At most 200 ids; costs ⌈distinct ids ÷ 50⌉ Bitrix24 calls. An item is null, with an error at its index, only when the portal could not be asked for it. */
  dialogs?: Maybe<Array<Maybe<DialogResult>>>;
  /** One person of the portal by user id, as the caller may see them. Null, with an error, only when the portal could not be asked (auth, rate limit, outage). */
  user?: Maybe<Bitrix24UserResult>;
  /** Many people at once: one result per id, in the order asked (duplicates allowed). At most 200 ids; they share calls with the operation's dialogs (up to 50 lookups a call). */
  users?: Maybe<Array<Maybe<Bitrix24UserResult>>>;
};


/** Read Bitrix24 dialogs as the caller (the webhook’s user, or the user whose token the request carries). */
export type Query_EntitiesArgs = {
  representations: Array<Scalars['_Any']['input']>;
};


/** Read Bitrix24 dialogs as the caller (the webhook’s user, or the user whose token the request carries). */
export type QueryDialogArgs = {
  id: Scalars['ID']['input'];
};


/** Read Bitrix24 dialogs as the caller (the webhook’s user, or the user whose token the request carries). */
export type QueryDialogsArgs = {
  ids: Array<Scalars['ID']['input']>;
};


/** Read Bitrix24 dialogs as the caller (the webhook’s user, or the user whose token the request carries). */
export type QueryUserArgs = {
  id: Scalars['ID']['input'];
};


/** Read Bitrix24 dialogs as the caller (the webhook’s user, or the user whose token the request carries). */
export type QueryUsersArgs = {
  ids: Array<Scalars['ID']['input']>;
};

/** The portal cannot give this dialog: it fails to encode the answer (Bitrix24 `WRONG_ENCODING`, a stored text that is not valid UTF-8), and would fail every answer the chat is part of. The other dialogs of the request are answered as usual. Show it as "this chat cannot be shown"; asking again will not help until the chat is repaired on the portal. */
export type UnreadableDialogError = ErrorResult & {
  __typename?: 'UnreadableDialogError';
  /** The error code, stable to switch on: `DIALOG_ID_EMPTY`, `ACCESS_ERROR` or `WRONG_ENCODING` for a dialog, `INVALID_FORMAT` or `USER_NOT_FOUND` for a user. */
  code: Scalars['String']['output'];
  /** The dialog id that was asked for, so a list can mark the right item. */
  dialogId: Scalars['ID']['output'];
  /** What went wrong, in words for a developer (the portal’s own text when it gave a short one). */
  message: Scalars['String']['output'];
};

/** The id is not a user id (a positive integer). This server answers it without asking the portal. */
export type UserIdInvalidError = ErrorResult & {
  __typename?: 'UserIdInvalidError';
  /** The error code, stable to switch on: `DIALOG_ID_EMPTY`, `ACCESS_ERROR` or `WRONG_ENCODING` for a dialog, `INVALID_FORMAT` or `USER_NOT_FOUND` for a user. */
  code: Scalars['String']['output'];
  /** What went wrong, in words for a developer (the portal’s own text when it gave a short one). */
  message: Scalars['String']['output'];
  /** The id that was asked for, as sent (trimmed). */
  userId: Scalars['ID']['output'];
};

/** There is no user with this id that the caller may see: the portal does not tell a missing user from a hidden one (an extranet user is visible only to people who share a workgroup with them). */
export type UserNotFoundError = ErrorResult & {
  __typename?: 'UserNotFoundError';
  /** The error code, stable to switch on: `DIALOG_ID_EMPTY`, `ACCESS_ERROR` or `WRONG_ENCODING` for a dialog, `INVALID_FORMAT` or `USER_NOT_FOUND` for a user. */
  code: Scalars['String']['output'];
  /** What went wrong, in words for a developer (the portal’s own text when it gave a short one). */
  message: Scalars['String']['output'];
  /** The user id that was asked for. */
  userId: Scalars['ID']['output'];
};

/** Any type another subgraph may reference by key: here only `Dialog`. */
export type _Entity = Bitrix24User | Dialog;

/** What this subgraph tells a federation gateway about itself. */
export type _Service = {
  __typename?: '_Service';
  /** The sdl representing the federated service capabilities. Includes federation directives, removes federation types, and includes rest of full schema after schema directives have been applied */
  sdl?: Maybe<Scalars['String']['output']>;
};

export type DialogCardFieldsFragment = { __typename?: 'Dialog', id: string, title: string, avatar?: string | null, color: string, type: DialogType, memberCount?: number | null, unreadCount?: number | null, dateCreate?: string | null, owner?: { __typename?: 'Bitrix24User', id: string, name: string, avatar?: string | null, color?: string | null } | null, counterpart?: { __typename?: 'Bitrix24User', id: string, name: string, avatar?: string | null, color?: string | null } | null };

export type DialogPageQueryVariables = Exact<{
  ids: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
}>;


export type DialogPageQuery = { __typename?: 'Query', dialogs?: Array<
    | { __typename: 'AccessError', code: string, message: string, dialogId: string }
    | { __typename: 'Dialog', id: string, title: string, avatar?: string | null, color: string, type: DialogType, memberCount?: number | null, unreadCount?: number | null, dateCreate?: string | null, owner?: { __typename?: 'Bitrix24User', id: string, name: string, avatar?: string | null, color?: string | null } | null, counterpart?: { __typename?: 'Bitrix24User', id: string, name: string, avatar?: string | null, color?: string | null } | null }
    | { __typename: 'DialogIdEmptyError', code: string, message: string }
    | { __typename: 'UnreadableDialogError', code: string, message: string }
   | null> | null };

export type DialogDetailQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DialogDetailQuery = { __typename?: 'Query', dialog?:
    | { __typename: 'AccessError', code: string, message: string }
    | { __typename: 'Dialog', id: string, title: string, avatar?: string | null, color: string, type: DialogType, memberCount?: number | null, unreadCount?: number | null, dateCreate?: string | null, owner?: { __typename?: 'Bitrix24User', id: string, name: string, avatar?: string | null, color?: string | null } | null, counterpart?: { __typename?: 'Bitrix24User', id: string, name: string, avatar?: string | null, color?: string | null } | null }
    | { __typename: 'DialogIdEmptyError', code: string, message: string }
    | { __typename: 'UnreadableDialogError', code: string, message: string }
   | null };

export type DialogCoreFragment = { __typename?: 'Dialog', id: string, chatId: string, title: string, ownerId?: string | null, extranet: boolean, avatar?: string | null, color: string, type: DialogType, typeRaw: string, messageType: DialogMessageType, messageTypeRaw: string, entityType?: string | null, entityId?: string | null, entityData1?: string | null, entityData2?: string | null, entityData3?: string | null, dateCreate?: string | null };

export type DialogModernFragment = { __typename?: 'Dialog', description?: string | null, parentChatId?: string | null, parentMessageId?: string | null, role?: DialogRole | null, memberCount?: number | null, messageCount?: number | null, unreadCount?: number | null, firstUnreadMessageId?: string | null, lastMessageId?: string | null, lastReadMessageId?: string | null, markedMessageId?: string | null, managerIds?: Array<string> | null, mutedByMe?: boolean | null, textFieldEnabled?: boolean | null, isNew?: boolean | null, backgroundId?: string | null, diskFolderId?: string | null, entityLink?: { __typename?: 'DialogEntityLink', type?: string | null, url?: string | null, id?: string | null } | null, restrictions?: { __typename?: 'DialogRestrictions', canChangeAvatar?: boolean | null, canRename?: boolean | null, canExtend?: boolean | null, canCall?: boolean | null, canMute?: boolean | null, canLeave?: boolean | null, canOwnerLeave?: boolean | null, canSend?: boolean | null, canSeeMembers?: boolean | null, path?: string | null, pathTitle?: string | null } | null, permissions?: { __typename?: 'DialogPermissions', addMembers?: DialogPermissionLevel | null, removeMembers?: DialogPermissionLevel | null, changeAppearance?: DialogPermissionLevel | null, changeSettings?: DialogPermissionLevel | null, manageMessages?: DialogPermissionLevel | null, postMessages?: DialogPermissionLevel | null } | null, readBy?: Array<{ __typename?: 'DialogReader', userId: string, userName?: string | null, lastReadMessageId?: string | null, readAt?: string | null }> | null, lastMessageViews?: { __typename?: 'DialogMessageViews', messageId?: string | null, viewerCount: number, firstViewers: Array<{ __typename?: 'DialogViewer', userId: string, userName?: string | null, viewedAt?: string | null }> } | null, publicLink?: { __typename?: 'DialogPublicLink', code?: string | null, link?: string | null } | null };

type DialogErrors_AccessError_Fragment = { __typename?: 'AccessError', code: string, message: string, dialogId: string };

type DialogErrors_Dialog_Fragment = { __typename?: 'Dialog' };

type DialogErrors_DialogIdEmptyError_Fragment = { __typename?: 'DialogIdEmptyError', code: string, message: string };

type DialogErrors_UnreadableDialogError_Fragment = { __typename?: 'UnreadableDialogError', code: string, message: string };

export type DialogErrorsFragment =
  | DialogErrors_AccessError_Fragment
  | DialogErrors_Dialog_Fragment
  | DialogErrors_DialogIdEmptyError_Fragment
  | DialogErrors_UnreadableDialogError_Fragment
;

export type DialogByIdQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DialogByIdQuery = { __typename?: 'Query', dialog?:
    | { __typename: 'AccessError', code: string, message: string, dialogId: string }
    | { __typename: 'Dialog', id: string, chatId: string, title: string, ownerId?: string | null, extranet: boolean, avatar?: string | null, color: string, type: DialogType, typeRaw: string, messageType: DialogMessageType, messageTypeRaw: string, entityType?: string | null, entityId?: string | null, entityData1?: string | null, entityData2?: string | null, entityData3?: string | null, dateCreate?: string | null, description?: string | null, parentChatId?: string | null, parentMessageId?: string | null, role?: DialogRole | null, memberCount?: number | null, messageCount?: number | null, unreadCount?: number | null, firstUnreadMessageId?: string | null, lastMessageId?: string | null, lastReadMessageId?: string | null, markedMessageId?: string | null, managerIds?: Array<string> | null, mutedByMe?: boolean | null, textFieldEnabled?: boolean | null, isNew?: boolean | null, backgroundId?: string | null, diskFolderId?: string | null, entityLink?: { __typename?: 'DialogEntityLink', type?: string | null, url?: string | null, id?: string | null } | null, restrictions?: { __typename?: 'DialogRestrictions', canChangeAvatar?: boolean | null, canRename?: boolean | null, canExtend?: boolean | null, canCall?: boolean | null, canMute?: boolean | null, canLeave?: boolean | null, canOwnerLeave?: boolean | null, canSend?: boolean | null, canSeeMembers?: boolean | null, path?: string | null, pathTitle?: string | null } | null, permissions?: { __typename?: 'DialogPermissions', addMembers?: DialogPermissionLevel | null, removeMembers?: DialogPermissionLevel | null, changeAppearance?: DialogPermissionLevel | null, changeSettings?: DialogPermissionLevel | null, manageMessages?: DialogPermissionLevel | null, postMessages?: DialogPermissionLevel | null } | null, readBy?: Array<{ __typename?: 'DialogReader', userId: string, userName?: string | null, lastReadMessageId?: string | null, readAt?: string | null }> | null, lastMessageViews?: { __typename?: 'DialogMessageViews', messageId?: string | null, viewerCount: number, firstViewers: Array<{ __typename?: 'DialogViewer', userId: string, userName?: string | null, viewedAt?: string | null }> } | null, publicLink?: { __typename?: 'DialogPublicLink', code?: string | null, link?: string | null } | null }
    | { __typename: 'DialogIdEmptyError', code: string, message: string }
    | { __typename: 'UnreadableDialogError', code: string, message: string }
   | null };

export type DialogsByIdsQueryVariables = Exact<{
  ids: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
}>;


export type DialogsByIdsQuery = { __typename?: 'Query', dialogs?: Array<
    | { __typename: 'AccessError', code: string, message: string, dialogId: string }
    | { __typename: 'Dialog', id: string, chatId: string, title: string, ownerId?: string | null, extranet: boolean, avatar?: string | null, color: string, type: DialogType, typeRaw: string, messageType: DialogMessageType, messageTypeRaw: string, entityType?: string | null, entityId?: string | null, entityData1?: string | null, entityData2?: string | null, entityData3?: string | null, dateCreate?: string | null }
    | { __typename: 'DialogIdEmptyError', code: string, message: string }
    | { __typename: 'UnreadableDialogError', code: string, message: string }
   | null> | null };

export type DialogTitlesQueryVariables = Exact<{
  ids: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
}>;


export type DialogTitlesQuery = { __typename?: 'Query', dialogs?: Array<
    | { __typename: 'AccessError', code: string, message: string, dialogId: string }
    | { __typename: 'Dialog', id: string, title: string }
    | { __typename: 'DialogIdEmptyError', code: string, message: string }
    | { __typename: 'UnreadableDialogError', code: string, message: string }
   | null> | null };

export const DialogCardFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DialogCardFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Dialog"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"avatar"}},{"kind":"Field","name":{"kind":"Name","value":"color"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"memberCount"}},{"kind":"Field","name":{"kind":"Name","value":"unreadCount"}},{"kind":"Field","name":{"kind":"Name","value":"dateCreate"}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"avatar"}},{"kind":"Field","name":{"kind":"Name","value":"color"}}]}},{"kind":"Field","name":{"kind":"Name","value":"counterpart"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"avatar"}},{"kind":"Field","name":{"kind":"Name","value":"color"}}]}}]}}]} as unknown as DocumentNode<DialogCardFieldsFragment, unknown>;
export const DialogCoreFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DialogCore"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Dialog"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"ownerId"}},{"kind":"Field","name":{"kind":"Name","value":"extranet"}},{"kind":"Field","name":{"kind":"Name","value":"avatar"}},{"kind":"Field","name":{"kind":"Name","value":"color"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"typeRaw"}},{"kind":"Field","name":{"kind":"Name","value":"messageType"}},{"kind":"Field","name":{"kind":"Name","value":"messageTypeRaw"}},{"kind":"Field","name":{"kind":"Name","value":"entityType"}},{"kind":"Field","name":{"kind":"Name","value":"entityId"}},{"kind":"Field","name":{"kind":"Name","value":"entityData1"}},{"kind":"Field","name":{"kind":"Name","value":"entityData2"}},{"kind":"Field","name":{"kind":"Name","value":"entityData3"}},{"kind":"Field","name":{"kind":"Name","value":"dateCreate"}}]}}]} as unknown as DocumentNode<DialogCoreFragment, unknown>;
export const DialogModernFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DialogModern"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Dialog"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"parentChatId"}},{"kind":"Field","name":{"kind":"Name","value":"parentMessageId"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"memberCount"}},{"kind":"Field","name":{"kind":"Name","value":"messageCount"}},{"kind":"Field","name":{"kind":"Name","value":"unreadCount"}},{"kind":"Field","name":{"kind":"Name","value":"firstUnreadMessageId"}},{"kind":"Field","name":{"kind":"Name","value":"lastMessageId"}},{"kind":"Field","name":{"kind":"Name","value":"lastReadMessageId"}},{"kind":"Field","name":{"kind":"Name","value":"markedMessageId"}},{"kind":"Field","name":{"kind":"Name","value":"managerIds"}},{"kind":"Field","name":{"kind":"Name","value":"mutedByMe"}},{"kind":"Field","name":{"kind":"Name","value":"entityLink"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"restrictions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"canChangeAvatar"}},{"kind":"Field","name":{"kind":"Name","value":"canRename"}},{"kind":"Field","name":{"kind":"Name","value":"canExtend"}},{"kind":"Field","name":{"kind":"Name","value":"canCall"}},{"kind":"Field","name":{"kind":"Name","value":"canMute"}},{"kind":"Field","name":{"kind":"Name","value":"canLeave"}},{"kind":"Field","name":{"kind":"Name","value":"canOwnerLeave"}},{"kind":"Field","name":{"kind":"Name","value":"canSend"}},{"kind":"Field","name":{"kind":"Name","value":"canSeeMembers"}},{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"pathTitle"}}]}},{"kind":"Field","name":{"kind":"Name","value":"permissions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addMembers"}},{"kind":"Field","name":{"kind":"Name","value":"removeMembers"}},{"kind":"Field","name":{"kind":"Name","value":"changeAppearance"}},{"kind":"Field","name":{"kind":"Name","value":"changeSettings"}},{"kind":"Field","name":{"kind":"Name","value":"manageMessages"}},{"kind":"Field","name":{"kind":"Name","value":"postMessages"}}]}},{"kind":"Field","name":{"kind":"Name","value":"readBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"userName"}},{"kind":"Field","name":{"kind":"Name","value":"lastReadMessageId"}},{"kind":"Field","name":{"kind":"Name","value":"readAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lastMessageViews"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"firstViewers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"userName"}},{"kind":"Field","name":{"kind":"Name","value":"viewedAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"viewerCount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"textFieldEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"isNew"}},{"kind":"Field","name":{"kind":"Name","value":"backgroundId"}},{"kind":"Field","name":{"kind":"Name","value":"diskFolderId"}},{"kind":"Field","name":{"kind":"Name","value":"publicLink"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"link"}}]}}]}}]} as unknown as DocumentNode<DialogModernFragment, unknown>;
export const DialogErrorsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DialogErrors"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DialogResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AccessError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dialogId"}}]}}]}}]} as unknown as DocumentNode<DialogErrorsFragment, unknown>;
export const DialogPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DialogPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dialogs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"DialogCardFields"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AccessError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dialogId"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DialogCardFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Dialog"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"avatar"}},{"kind":"Field","name":{"kind":"Name","value":"color"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"memberCount"}},{"kind":"Field","name":{"kind":"Name","value":"unreadCount"}},{"kind":"Field","name":{"kind":"Name","value":"dateCreate"}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"avatar"}},{"kind":"Field","name":{"kind":"Name","value":"color"}}]}},{"kind":"Field","name":{"kind":"Name","value":"counterpart"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"avatar"}},{"kind":"Field","name":{"kind":"Name","value":"color"}}]}}]}}]} as unknown as DocumentNode<DialogPageQuery, DialogPageQueryVariables>;
export const DialogDetailDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DialogDetail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dialog"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"DialogCardFields"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DialogCardFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Dialog"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"avatar"}},{"kind":"Field","name":{"kind":"Name","value":"color"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"memberCount"}},{"kind":"Field","name":{"kind":"Name","value":"unreadCount"}},{"kind":"Field","name":{"kind":"Name","value":"dateCreate"}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"avatar"}},{"kind":"Field","name":{"kind":"Name","value":"color"}}]}},{"kind":"Field","name":{"kind":"Name","value":"counterpart"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"avatar"}},{"kind":"Field","name":{"kind":"Name","value":"color"}}]}}]}}]} as unknown as DocumentNode<DialogDetailQuery, DialogDetailQueryVariables>;
export const DialogByIdDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DialogById"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dialog"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"DialogCore"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"DialogModern"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"DialogErrors"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DialogCore"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Dialog"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"ownerId"}},{"kind":"Field","name":{"kind":"Name","value":"extranet"}},{"kind":"Field","name":{"kind":"Name","value":"avatar"}},{"kind":"Field","name":{"kind":"Name","value":"color"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"typeRaw"}},{"kind":"Field","name":{"kind":"Name","value":"messageType"}},{"kind":"Field","name":{"kind":"Name","value":"messageTypeRaw"}},{"kind":"Field","name":{"kind":"Name","value":"entityType"}},{"kind":"Field","name":{"kind":"Name","value":"entityId"}},{"kind":"Field","name":{"kind":"Name","value":"entityData1"}},{"kind":"Field","name":{"kind":"Name","value":"entityData2"}},{"kind":"Field","name":{"kind":"Name","value":"entityData3"}},{"kind":"Field","name":{"kind":"Name","value":"dateCreate"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DialogModern"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Dialog"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"parentChatId"}},{"kind":"Field","name":{"kind":"Name","value":"parentMessageId"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"memberCount"}},{"kind":"Field","name":{"kind":"Name","value":"messageCount"}},{"kind":"Field","name":{"kind":"Name","value":"unreadCount"}},{"kind":"Field","name":{"kind":"Name","value":"firstUnreadMessageId"}},{"kind":"Field","name":{"kind":"Name","value":"lastMessageId"}},{"kind":"Field","name":{"kind":"Name","value":"lastReadMessageId"}},{"kind":"Field","name":{"kind":"Name","value":"markedMessageId"}},{"kind":"Field","name":{"kind":"Name","value":"managerIds"}},{"kind":"Field","name":{"kind":"Name","value":"mutedByMe"}},{"kind":"Field","name":{"kind":"Name","value":"entityLink"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"restrictions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"canChangeAvatar"}},{"kind":"Field","name":{"kind":"Name","value":"canRename"}},{"kind":"Field","name":{"kind":"Name","value":"canExtend"}},{"kind":"Field","name":{"kind":"Name","value":"canCall"}},{"kind":"Field","name":{"kind":"Name","value":"canMute"}},{"kind":"Field","name":{"kind":"Name","value":"canLeave"}},{"kind":"Field","name":{"kind":"Name","value":"canOwnerLeave"}},{"kind":"Field","name":{"kind":"Name","value":"canSend"}},{"kind":"Field","name":{"kind":"Name","value":"canSeeMembers"}},{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"pathTitle"}}]}},{"kind":"Field","name":{"kind":"Name","value":"permissions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addMembers"}},{"kind":"Field","name":{"kind":"Name","value":"removeMembers"}},{"kind":"Field","name":{"kind":"Name","value":"changeAppearance"}},{"kind":"Field","name":{"kind":"Name","value":"changeSettings"}},{"kind":"Field","name":{"kind":"Name","value":"manageMessages"}},{"kind":"Field","name":{"kind":"Name","value":"postMessages"}}]}},{"kind":"Field","name":{"kind":"Name","value":"readBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"userName"}},{"kind":"Field","name":{"kind":"Name","value":"lastReadMessageId"}},{"kind":"Field","name":{"kind":"Name","value":"readAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lastMessageViews"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"firstViewers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"userName"}},{"kind":"Field","name":{"kind":"Name","value":"viewedAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"viewerCount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"textFieldEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"isNew"}},{"kind":"Field","name":{"kind":"Name","value":"backgroundId"}},{"kind":"Field","name":{"kind":"Name","value":"diskFolderId"}},{"kind":"Field","name":{"kind":"Name","value":"publicLink"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"link"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DialogErrors"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DialogResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AccessError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dialogId"}}]}}]}}]} as unknown as DocumentNode<DialogByIdQuery, DialogByIdQueryVariables>;
export const DialogsByIdsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DialogsByIds"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dialogs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"DialogCore"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"DialogErrors"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DialogCore"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Dialog"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"ownerId"}},{"kind":"Field","name":{"kind":"Name","value":"extranet"}},{"kind":"Field","name":{"kind":"Name","value":"avatar"}},{"kind":"Field","name":{"kind":"Name","value":"color"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"typeRaw"}},{"kind":"Field","name":{"kind":"Name","value":"messageType"}},{"kind":"Field","name":{"kind":"Name","value":"messageTypeRaw"}},{"kind":"Field","name":{"kind":"Name","value":"entityType"}},{"kind":"Field","name":{"kind":"Name","value":"entityId"}},{"kind":"Field","name":{"kind":"Name","value":"entityData1"}},{"kind":"Field","name":{"kind":"Name","value":"entityData2"}},{"kind":"Field","name":{"kind":"Name","value":"entityData3"}},{"kind":"Field","name":{"kind":"Name","value":"dateCreate"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DialogErrors"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DialogResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AccessError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dialogId"}}]}}]}}]} as unknown as DocumentNode<DialogsByIdsQuery, DialogsByIdsQueryVariables>;
export const DialogTitlesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DialogTitles"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dialogs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Dialog"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"DialogErrors"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DialogErrors"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DialogResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AccessError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dialogId"}}]}}]}}]} as unknown as DocumentNode<DialogTitlesQuery, DialogTitlesQueryVariables>;