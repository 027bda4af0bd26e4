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
  _Any: { input: any; output: any; }
};

/** Bitrix24 `ACCESS_ERROR`: the caller may not read this dialog, or it does not exist (the portal does not tell the two apart). */
export type AccessError = Error & {
  __typename?: 'AccessError';
  /** The Bitrix24 error code, e.g. `ACCESS_ERROR`. */
  code: Scalars['String']['output'];
  /** The dialog id that was asked for. */
  dialogId: Scalars['ID']['output'];
  /** What went wrong, as the portal (or this server) put it. */
  message: Scalars['String']['output'];
};

/** A Bitrix24 chat as `im.dialog.get` describes it, the same from old portals (`title`, string ids) and modern ones (`name`, integer ids, many more fields). */
export type Dialog = {
  __typename?: 'Dialog';
  /** Avatar URL; null when not set. */
  avatar?: Maybe<Scalars['String']['output']>;
  backgroundId?: Maybe<Scalars['String']['output']>;
  /** Bitrix24's numeric chat id (for a private dialog, the private chat's own id). */
  chatId: Scalars['ID']['output'];
  /** HEX colour, e.g. `#4ba984`. */
  color: Scalars['String']['output'];
  /** When the chat was created, with the portal offset. */
  dateCreate: Scalars['DateTime']['output'];
  /** Modern portals only. */
  description?: Maybe<Scalars['String']['output']>;
  /** The chat's folder on Disk. */
  diskFolderId?: Maybe<Scalars['ID']['output']>;
  entityData1?: Maybe<Scalars['String']['output']>;
  entityData2?: Maybe<Scalars['String']['output']>;
  entityData3?: Maybe<Scalars['String']['output']>;
  /** External code: id (e.g. `DEAL|1663`); null when "". */
  entityId?: Maybe<Scalars['String']['output']>;
  entityLink?: Maybe<DialogEntityLink>;
  /** External code: type (e.g. `CRM`); null when "". */
  entityType?: Maybe<Scalars['String']['output']>;
  /** Whether an extranet (external) user takes part. */
  extranet: Scalars['Boolean']['output'];
  /** `unread_id` */
  firstUnreadMessageId?: Maybe<Scalars['ID']['output']>;
  /** The dialog id as it was asked, trimmed: `chat21191` (a chat), `sg103` (a workgroup), `256` (the private dialog with user 256). Asking for it again gives this dialog. */
  id: Scalars['ID']['output'];
  isNew?: Maybe<Scalars['Boolean']['output']>;
  lastMessageId?: Maybe<Scalars['ID']['output']>;
  lastMessageViews?: Maybe<DialogMessageViews>;
  /** `last_id`: the last message the caller read. */
  lastReadMessageId?: Maybe<Scalars['ID']['output']>;
  /** `manager_list` */
  managerIds?: Maybe<Array<Scalars['ID']['output']>>;
  /** `marked_id` */
  markedMessageId?: Maybe<Scalars['ID']['output']>;
  /** `user_counter` */
  memberCount?: Maybe<Scalars['Int']['output']>;
  messageCount?: Maybe<Scalars['Int']['output']>;
  messageType: DialogMessageType;
  /** The `message_type` letter exactly as Bitrix24 sent it. */
  messageTypeRaw: Scalars['String']['output'];
  /** `mute_list`: users who muted the chat. */
  mutedUserIds?: Maybe<Array<Scalars['ID']['output']>>;
  /** null when Bitrix24 sends 0 or "" (e.g. private dialogs). */
  ownerId?: Maybe<Scalars['ID']['output']>;
  /** The chat this one hangs under (threads, comments). */
  parentChatId?: Maybe<Scalars['ID']['output']>;
  /** The message this one hangs under (threads, comments). */
  parentMessageId?: Maybe<Scalars['ID']['output']>;
  permissions?: Maybe<DialogPermissions>;
  /** `public`: null when the chat has no public link. */
  publicLink?: Maybe<DialogPublicLink>;
  /** `readed_list` */
  readBy?: Maybe<Array<DialogReader>>;
  restrictions?: Maybe<DialogRestrictions>;
  /** The caller's role; null on old portals. */
  role?: Maybe<DialogRole>;
  /** Whether the message input is available. */
  textFieldEnabled?: Maybe<Scalars['Boolean']['output']>;
  /** Modern portals send `name`, old ones `title`. */
  title: Scalars['String']['output'];
  type: DialogType;
  /** The `type` exactly as Bitrix24 sent it. */
  typeRaw: Scalars['String']['output'];
  /** `counter`: the caller's unread messages. */
  unreadCount?: Maybe<Scalars['Int']['output']>;
};

/** The object a chat is linked to (a CRM deal, a task…). */
export type DialogEntityLink = {
  __typename?: 'DialogEntityLink';
  /** Its id, e.g. `DEAL|1663`. */
  id?: Maybe<Scalars['String']['output']>;
  /** Its type, e.g. `DEAL`. */
  type?: Maybe<Scalars['String']['output']>;
  /** Its address on the portal, e.g. `/crm/deal/details/1663/`. */
  url?: Maybe<Scalars['String']['output']>;
};

/** Bitrix24 `DIALOG_ID_EMPTY`: the id is empty, blank, or in no known format (`chatNNN`, `sgNNN`, `NNN`). Answered without asking the portal when the id is visibly malformed. */
export type DialogIdEmptyError = Error & {
  __typename?: 'DialogIdEmptyError';
  /** The Bitrix24 error code, e.g. `ACCESS_ERROR`. */
  code: Scalars['String']['output'];
  /** What went wrong, as the portal (or this server) put it. */
  message: Scalars['String']['output'];
};

/** The Bitrix24 `message_type` letter of the chat. */
export type DialogMessageType =
  /** `N`: channel. */
  | 'CHANNEL'
  /** `C`: group chat. */
  | 'CHAT'
  /** `T`: comments or thread. */
  | 'COMMENT'
  /** `A`: AI assistant (CoPilot). */
  | 'COPILOT'
  /** `O`: open chat. */
  | 'OPEN'
  /** `J`: open channel. */
  | 'OPEN_CHANNEL'
  /** `L`: open line. */
  | 'OPEN_LINE'
  /** `P`: private. */
  | 'PRIVATE'
  /** `S`: system. */
  | 'SYSTEM'
  /** A value this server does not know yet (the raw value is in the matching `…Raw` field where there is one). */
  | 'UNKNOWN';

/** Who has seen the last message (Bitrix24 `last_message_views`). */
export type DialogMessageViews = {
  __typename?: 'DialogMessageViews';
  /** The first users who saw it. */
  firstViewerIds: Array<Scalars['ID']['output']>;
  messageId?: Maybe<Scalars['ID']['output']>;
  viewerCount: Scalars['Int']['output'];
};

/** The least role that may do an action. */
export type DialogPermissionLevel =
  /** `manager`: the owner and the chat administrators may. */
  | 'MANAGER'
  /** `member`: every member may. */
  | 'MEMBER'
  /** `owner`: only the owner may. */
  | 'OWNER'
  /** A level this server does not know yet. */
  | 'UNKNOWN';

/** For each action, the least role that may do it (Bitrix24 `permissions`). */
export type DialogPermissions = {
  __typename?: 'DialogPermissions';
  /** `manage_users_add` */
  addMembers?: Maybe<DialogPermissionLevel>;
  /** `manage_ui`: title, colour and avatar. */
  changeAppearance?: Maybe<DialogPermissionLevel>;
  /** `manage_settings` */
  changeSettings?: Maybe<DialogPermissionLevel>;
  /** `manage_messages` */
  manageMessages?: Maybe<DialogPermissionLevel>;
  /** `can_post` */
  postMessages?: Maybe<DialogPermissionLevel>;
  /** `manage_users_delete` */
  removeMembers?: Maybe<DialogPermissionLevel>;
};

/** The public link of a chat that has one (Bitrix24 `public`). */
export type DialogPublicLink = {
  __typename?: 'DialogPublicLink';
  code?: Maybe<Scalars['String']['output']>;
  link?: Maybe<Scalars['String']['output']>;
};

/** How far one member has read (an item of Bitrix24 `readed_list`). */
export type DialogReader = {
  __typename?: 'DialogReader';
  /** null while nothing is read. */
  lastReadMessageId?: Maybe<Scalars['ID']['output']>;
  /** null while nothing is read. */
  readAt?: Maybe<Scalars['DateTime']['output']>;
  userId: Scalars['ID']['output'];
  userName?: Maybe<Scalars['String']['output']>;
};

/** What the caller may do in the chat (Bitrix24 `restrictions`; `true` means allowed). */
export type DialogRestrictions = {
  __typename?: 'DialogRestrictions';
  /** `call` */
  canCall?: Maybe<Scalars['Boolean']['output']>;
  /** `avatar` */
  canChangeAvatar?: Maybe<Scalars['Boolean']['output']>;
  /** `extend`: may add members. */
  canExtend?: Maybe<Scalars['Boolean']['output']>;
  /** `leave` */
  canLeave?: Maybe<Scalars['Boolean']['output']>;
  /** `mute` */
  canMute?: Maybe<Scalars['Boolean']['output']>;
  /** `leave_owner`: may the owner leave. */
  canOwnerLeave?: Maybe<Scalars['Boolean']['output']>;
  /** `rename` */
  canRename?: Maybe<Scalars['Boolean']['output']>;
  /** `user_list` */
  canSeeMembers?: Maybe<Scalars['Boolean']['output']>;
  /** `send` */
  canSend?: Maybe<Scalars['Boolean']['output']>;
  /** A link to the chat. */
  path?: Maybe<Scalars['String']['output']>;
  /** The link's text. */
  pathTitle?: Maybe<Scalars['String']['output']>;
};

/** A dialog, or the documented Bitrix24 error that answered for it. */
export type DialogResult = AccessError | Dialog | DialogIdEmptyError;

/** The caller's role in the chat. */
export type DialogRole =
  /** `guest`: reads the chat without being a member (open chats, channels). */
  | 'GUEST'
  /** `manager`: a chat administrator. */
  | 'MANAGER'
  /** `member`: an ordinary member. */
  | 'MEMBER'
  /** `none`: no role in the chat. */
  | 'NONE'
  /** `owner`: the chat owner. */
  | 'OWNER'
  /** A role this server does not know yet. */
  | 'UNKNOWN';

/** The Bitrix24 chat `type`. */
export type DialogType =
  /** `announcement`: an announcement chat. */
  | 'ANNOUNCEMENT'
  /** `calendar`: the chat of a calendar event. */
  | 'CALENDAR'
  /** `call`: the chat of a call. */
  | 'CALL'
  /** `channel`: a channel. */
  | 'CHANNEL'
  /** `chat`: a group chat. */
  | 'CHAT'
  /** `collab`: a collab with external participants. */
  | 'COLLAB'
  /** `comment`: comments under a channel post. */
  | 'COMMENT'
  /** `copilot`: a chat with the CoPilot AI assistant. */
  | 'COPILOT'
  /** `crm`: a chat linked to a CRM item. */
  | 'CRM'
  /** `general`: the company-wide general chat. */
  | 'GENERAL'
  /** `generalChannel`: the company-wide general channel. */
  | 'GENERAL_CHANNEL'
  /** `lines`: an open line (a conversation with a customer). */
  | 'LINES'
  /** `mail`: the chat of a mail thread. */
  | 'MAIL'
  /** `network`: a Bitrix24.Network chat. */
  | 'NETWORK'
  /** `open`: an open chat any employee may join. */
  | 'OPEN'
  /** `openChannel`: an open channel. */
  | 'OPEN_CHANNEL'
  /** `private`: a one-to-one dialog. */
  | 'PRIVATE'
  /** `sonetGroup`: the chat of a workgroup or project. */
  | 'SONET_GROUP'
  /** `support24Notifier`: Bitrix24 support notifications. */
  | 'SUPPORT24_NOTIFIER'
  /** `support24Question`: a question to Bitrix24 support. */
  | 'SUPPORT24_QUESTION'
  /** `tasks`: a tasks chat. */
  | 'TASKS'
  /** `tasksTask`: the chat of one task. */
  | 'TASKS_TASK'
  /** `thread`: a thread under a message. */
  | 'THREAD'
  /** A value this server does not know yet (the raw value is in the matching `…Raw` field where there is one). */
  | 'UNKNOWN'
  /** `videoconf`: the chat of a video conference. */
  | 'VIDEOCONF';

/** A documented Bitrix24 error about one dialog, answered in place of the dialog. */
export type Error = {
  /** The Bitrix24 error code, e.g. `ACCESS_ERROR`. */
  code: Scalars['String']['output'];
  /** What went wrong, as the portal (or this server) put it. */
  message: Scalars['String']['output'];
};

export type Query = {
  __typename?: 'Query';
  _entities: Array<Maybe<_Entity>>;
  _service: _Service;
  /** One dialog by its id: `chatNNN` (a chat), `sgNNN` (a workgroup chat) or `NNN` (the private dialog with user NNN). */
  dialog?: Maybe<DialogResult>;
  /** Many dialogs at once: one result per id, in the order asked (duplicates allowed). At most 200 ids; costs ⌈distinct ids ÷ 50⌉ Bitrix24 calls. */
  dialogs?: Maybe<Array<Maybe<DialogResult>>>;
};


export type Query_EntitiesArgs = {
  representations: Array<Scalars['_Any']['input']>;
};


export type QueryDialogArgs = {
  id: Scalars['ID']['input'];
};


export type QueryDialogsArgs = {
  ids: Array<Scalars['ID']['input']>;
};

export type _Entity = Dialog;

export type _Service = {
  __typename?: '_Service';
  /** The sdl representing the federated service capabilities. Includes federation directives, removes federation types, and includes rest of full schema after schema directives have been applied */
  sdl?: Maybe<Scalars['String']['output']>;
};

export type DialogCardQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DialogCardQuery = { __typename?: 'Query', dialog?:
    | { __typename: 'AccessError', dialogId: string, message: string }
    | { __typename: 'Dialog', id: string, title: string, type: DialogType, color: string, avatar?: string | null, memberCount?: number | null, unreadCount?: number | null, dateCreate: string, role?: DialogRole | null }
    | { __typename: 'DialogIdEmptyError', message: string }
   | null };

export type DialogListQueryVariables = Exact<{
  ids: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
}>;


export type DialogListQuery = { __typename?: 'Query', dialogs?: Array<
    | { __typename: 'AccessError', code: string, message: string }
    | { __typename: 'Dialog', id: string, title: string, type: DialogType, unreadCount?: number | null }
    | { __typename: 'DialogIdEmptyError', code: string, message: string }
   | null> | null };

export type DialogCoreFragment = { __typename?: 'Dialog', id: string, chatId: string, title: string, ownerId?: string | null, extranet: boolean, avatar?: string | null, color: string, type: DialogType, typeRaw: string, messageType: DialogMessageType, messageTypeRaw: string, entityType?: string | null, entityId?: string | null, entityData1?: string | null, entityData2?: string | null, entityData3?: string | null, dateCreate: string };

export type DialogModernFragment = { __typename?: 'Dialog', description?: string | null, parentChatId?: string | null, parentMessageId?: string | null, role?: DialogRole | null, memberCount?: number | null, messageCount?: number | null, unreadCount?: number | null, firstUnreadMessageId?: string | null, lastMessageId?: string | null, lastReadMessageId?: string | null, markedMessageId?: string | null, managerIds?: Array<string> | null, mutedUserIds?: Array<string> | null, textFieldEnabled?: boolean | null, isNew?: boolean | null, backgroundId?: string | null, diskFolderId?: string | null, entityLink?: { __typename?: 'DialogEntityLink', type?: string | null, url?: string | null, id?: string | null } | null, restrictions?: { __typename?: 'DialogRestrictions', canChangeAvatar?: boolean | null, canRename?: boolean | null, canExtend?: boolean | null, canCall?: boolean | null, canMute?: boolean | null, canLeave?: boolean | null, canOwnerLeave?: boolean | null, canSend?: boolean | null, canSeeMembers?: boolean | null, path?: string | null, pathTitle?: string | null } | null, permissions?: { __typename?: 'DialogPermissions', addMembers?: DialogPermissionLevel | null, removeMembers?: DialogPermissionLevel | null, changeAppearance?: DialogPermissionLevel | null, changeSettings?: DialogPermissionLevel | null, manageMessages?: DialogPermissionLevel | null, postMessages?: DialogPermissionLevel | null } | null, readBy?: Array<{ __typename?: 'DialogReader', userId: string, userName?: string | null, lastReadMessageId?: string | null, readAt?: string | null }> | null, lastMessageViews?: { __typename?: 'DialogMessageViews', messageId?: string | null, firstViewerIds: Array<string>, viewerCount: number } | null, publicLink?: { __typename?: 'DialogPublicLink', code?: string | null, link?: string | null } | null };

type DialogErrors_AccessError_Fragment = { __typename?: 'AccessError', code: string, message: string, dialogId: string };

type DialogErrors_Dialog_Fragment = { __typename?: 'Dialog' };

type DialogErrors_DialogIdEmptyError_Fragment = { __typename?: 'DialogIdEmptyError', code: string, message: string };

export type DialogErrorsFragment =
  | DialogErrors_AccessError_Fragment
  | DialogErrors_Dialog_Fragment
  | DialogErrors_DialogIdEmptyError_Fragment
;

export type DialogByIdQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DialogByIdQuery = { __typename?: 'Query', dialog?:
    | { __typename: 'AccessError', code: string, message: string, dialogId: string }
    | { __typename: 'Dialog', id: string, chatId: string, title: string, ownerId?: string | null, extranet: boolean, avatar?: string | null, color: string, type: DialogType, typeRaw: string, messageType: DialogMessageType, messageTypeRaw: string, entityType?: string | null, entityId?: string | null, entityData1?: string | null, entityData2?: string | null, entityData3?: string | null, dateCreate: string, description?: string | null, parentChatId?: string | null, parentMessageId?: string | null, role?: DialogRole | null, memberCount?: number | null, messageCount?: number | null, unreadCount?: number | null, firstUnreadMessageId?: string | null, lastMessageId?: string | null, lastReadMessageId?: string | null, markedMessageId?: string | null, managerIds?: Array<string> | null, mutedUserIds?: Array<string> | null, textFieldEnabled?: boolean | null, isNew?: boolean | null, backgroundId?: string | null, diskFolderId?: string | null, entityLink?: { __typename?: 'DialogEntityLink', type?: string | null, url?: string | null, id?: string | null } | null, restrictions?: { __typename?: 'DialogRestrictions', canChangeAvatar?: boolean | null, canRename?: boolean | null, canExtend?: boolean | null, canCall?: boolean | null, canMute?: boolean | null, canLeave?: boolean | null, canOwnerLeave?: boolean | null, canSend?: boolean | null, canSeeMembers?: boolean | null, path?: string | null, pathTitle?: string | null } | null, permissions?: { __typename?: 'DialogPermissions', addMembers?: DialogPermissionLevel | null, removeMembers?: DialogPermissionLevel | null, changeAppearance?: DialogPermissionLevel | null, changeSettings?: DialogPermissionLevel | null, manageMessages?: DialogPermissionLevel | null, postMessages?: DialogPermissionLevel | null } | null, readBy?: Array<{ __typename?: 'DialogReader', userId: string, userName?: string | null, lastReadMessageId?: string | null, readAt?: string | null }> | null, lastMessageViews?: { __typename?: 'DialogMessageViews', messageId?: string | null, firstViewerIds: Array<string>, viewerCount: number } | null, publicLink?: { __typename?: 'DialogPublicLink', code?: string | null, link?: string | null } | null }
    | { __typename: 'DialogIdEmptyError', code: string, message: string }
   | null };

export type DialogsByIdsQueryVariables = Exact<{
  ids: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
}>;


export type DialogsByIdsQuery = { __typename?: 'Query', dialogs?: Array<
    | { __typename: 'AccessError', code: string, message: string, dialogId: string }
    | { __typename: 'Dialog', id: string, chatId: string, title: string, ownerId?: string | null, extranet: boolean, avatar?: string | null, color: string, type: DialogType, typeRaw: string, messageType: DialogMessageType, messageTypeRaw: string, entityType?: string | null, entityId?: string | null, entityData1?: string | null, entityData2?: string | null, entityData3?: string | null, dateCreate: string }
    | { __typename: 'DialogIdEmptyError', code: string, message: string }
   | null> | null };

export type DialogTitlesQueryVariables = Exact<{
  ids: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
}>;


export type DialogTitlesQuery = { __typename?: 'Query', dialogs?: Array<
    | { __typename: 'AccessError', code: string, message: string, dialogId: string }
    | { __typename: 'Dialog', id: string, title: string }
    | { __typename: 'DialogIdEmptyError', code: string, message: string }
   | null> | null };

export const DialogCoreFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DialogCore"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Dialog"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"ownerId"}},{"kind":"Field","name":{"kind":"Name","value":"extranet"}},{"kind":"Field","name":{"kind":"Name","value":"avatar"}},{"kind":"Field","name":{"kind":"Name","value":"color"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"typeRaw"}},{"kind":"Field","name":{"kind":"Name","value":"messageType"}},{"kind":"Field","name":{"kind":"Name","value":"messageTypeRaw"}},{"kind":"Field","name":{"kind":"Name","value":"entityType"}},{"kind":"Field","name":{"kind":"Name","value":"entityId"}},{"kind":"Field","name":{"kind":"Name","value":"entityData1"}},{"kind":"Field","name":{"kind":"Name","value":"entityData2"}},{"kind":"Field","name":{"kind":"Name","value":"entityData3"}},{"kind":"Field","name":{"kind":"Name","value":"dateCreate"}}]}}]} as unknown as DocumentNode<DialogCoreFragment, unknown>;
export const DialogModernFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DialogModern"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Dialog"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"parentChatId"}},{"kind":"Field","name":{"kind":"Name","value":"parentMessageId"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"memberCount"}},{"kind":"Field","name":{"kind":"Name","value":"messageCount"}},{"kind":"Field","name":{"kind":"Name","value":"unreadCount"}},{"kind":"Field","name":{"kind":"Name","value":"firstUnreadMessageId"}},{"kind":"Field","name":{"kind":"Name","value":"lastMessageId"}},{"kind":"Field","name":{"kind":"Name","value":"lastReadMessageId"}},{"kind":"Field","name":{"kind":"Name","value":"markedMessageId"}},{"kind":"Field","name":{"kind":"Name","value":"managerIds"}},{"kind":"Field","name":{"kind":"Name","value":"mutedUserIds"}},{"kind":"Field","name":{"kind":"Name","value":"entityLink"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"restrictions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"canChangeAvatar"}},{"kind":"Field","name":{"kind":"Name","value":"canRename"}},{"kind":"Field","name":{"kind":"Name","value":"canExtend"}},{"kind":"Field","name":{"kind":"Name","value":"canCall"}},{"kind":"Field","name":{"kind":"Name","value":"canMute"}},{"kind":"Field","name":{"kind":"Name","value":"canLeave"}},{"kind":"Field","name":{"kind":"Name","value":"canOwnerLeave"}},{"kind":"Field","name":{"kind":"Name","value":"canSend"}},{"kind":"Field","name":{"kind":"Name","value":"canSeeMembers"}},{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"pathTitle"}}]}},{"kind":"Field","name":{"kind":"Name","value":"permissions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addMembers"}},{"kind":"Field","name":{"kind":"Name","value":"removeMembers"}},{"kind":"Field","name":{"kind":"Name","value":"changeAppearance"}},{"kind":"Field","name":{"kind":"Name","value":"changeSettings"}},{"kind":"Field","name":{"kind":"Name","value":"manageMessages"}},{"kind":"Field","name":{"kind":"Name","value":"postMessages"}}]}},{"kind":"Field","name":{"kind":"Name","value":"readBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"userName"}},{"kind":"Field","name":{"kind":"Name","value":"lastReadMessageId"}},{"kind":"Field","name":{"kind":"Name","value":"readAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lastMessageViews"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"firstViewerIds"}},{"kind":"Field","name":{"kind":"Name","value":"viewerCount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"textFieldEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"isNew"}},{"kind":"Field","name":{"kind":"Name","value":"backgroundId"}},{"kind":"Field","name":{"kind":"Name","value":"diskFolderId"}},{"kind":"Field","name":{"kind":"Name","value":"publicLink"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"link"}}]}}]}}]} as unknown as DocumentNode<DialogModernFragment, unknown>;
export const DialogErrorsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DialogErrors"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DialogResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AccessError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dialogId"}}]}}]}}]} as unknown as DocumentNode<DialogErrorsFragment, unknown>;
export const DialogCardDocument = {"__meta__":{"hash":"8ebc95128d0347195544235094c17bde938c5c4b583298ee3159e1ef5b06f4de"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DialogCard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dialog"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Dialog"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"color"}},{"kind":"Field","name":{"kind":"Name","value":"avatar"}},{"kind":"Field","name":{"kind":"Name","value":"memberCount"}},{"kind":"Field","name":{"kind":"Name","value":"unreadCount"}},{"kind":"Field","name":{"kind":"Name","value":"dateCreate"}},{"kind":"Field","name":{"kind":"Name","value":"role"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AccessError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dialogId"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DialogIdEmptyError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<DialogCardQuery, DialogCardQueryVariables>;
export const DialogListDocument = {"__meta__":{"hash":"f75d3590f907f03a94606b7b367c2984c4786965cf41cd525fd54cc606a9990b"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DialogList"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dialogs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Dialog"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"unreadCount"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<DialogListQuery, DialogListQueryVariables>;
export const DialogByIdDocument = {"__meta__":{"hash":"7c79ed1ce47853a40c2ee158499954b3cb682aa1c751a3d09075c90bc6d883d9"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DialogById"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dialog"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"DialogCore"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"DialogModern"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"DialogErrors"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DialogCore"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Dialog"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"ownerId"}},{"kind":"Field","name":{"kind":"Name","value":"extranet"}},{"kind":"Field","name":{"kind":"Name","value":"avatar"}},{"kind":"Field","name":{"kind":"Name","value":"color"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"typeRaw"}},{"kind":"Field","name":{"kind":"Name","value":"messageType"}},{"kind":"Field","name":{"kind":"Name","value":"messageTypeRaw"}},{"kind":"Field","name":{"kind":"Name","value":"entityType"}},{"kind":"Field","name":{"kind":"Name","value":"entityId"}},{"kind":"Field","name":{"kind":"Name","value":"entityData1"}},{"kind":"Field","name":{"kind":"Name","value":"entityData2"}},{"kind":"Field","name":{"kind":"Name","value":"entityData3"}},{"kind":"Field","name":{"kind":"Name","value":"dateCreate"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DialogModern"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Dialog"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"parentChatId"}},{"kind":"Field","name":{"kind":"Name","value":"parentMessageId"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"memberCount"}},{"kind":"Field","name":{"kind":"Name","value":"messageCount"}},{"kind":"Field","name":{"kind":"Name","value":"unreadCount"}},{"kind":"Field","name":{"kind":"Name","value":"firstUnreadMessageId"}},{"kind":"Field","name":{"kind":"Name","value":"lastMessageId"}},{"kind":"Field","name":{"kind":"Name","value":"lastReadMessageId"}},{"kind":"Field","name":{"kind":"Name","value":"markedMessageId"}},{"kind":"Field","name":{"kind":"Name","value":"managerIds"}},{"kind":"Field","name":{"kind":"Name","value":"mutedUserIds"}},{"kind":"Field","name":{"kind":"Name","value":"entityLink"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"restrictions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"canChangeAvatar"}},{"kind":"Field","name":{"kind":"Name","value":"canRename"}},{"kind":"Field","name":{"kind":"Name","value":"canExtend"}},{"kind":"Field","name":{"kind":"Name","value":"canCall"}},{"kind":"Field","name":{"kind":"Name","value":"canMute"}},{"kind":"Field","name":{"kind":"Name","value":"canLeave"}},{"kind":"Field","name":{"kind":"Name","value":"canOwnerLeave"}},{"kind":"Field","name":{"kind":"Name","value":"canSend"}},{"kind":"Field","name":{"kind":"Name","value":"canSeeMembers"}},{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"pathTitle"}}]}},{"kind":"Field","name":{"kind":"Name","value":"permissions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addMembers"}},{"kind":"Field","name":{"kind":"Name","value":"removeMembers"}},{"kind":"Field","name":{"kind":"Name","value":"changeAppearance"}},{"kind":"Field","name":{"kind":"Name","value":"changeSettings"}},{"kind":"Field","name":{"kind":"Name","value":"manageMessages"}},{"kind":"Field","name":{"kind":"Name","value":"postMessages"}}]}},{"kind":"Field","name":{"kind":"Name","value":"readBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"userName"}},{"kind":"Field","name":{"kind":"Name","value":"lastReadMessageId"}},{"kind":"Field","name":{"kind":"Name","value":"readAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lastMessageViews"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"firstViewerIds"}},{"kind":"Field","name":{"kind":"Name","value":"viewerCount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"textFieldEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"isNew"}},{"kind":"Field","name":{"kind":"Name","value":"backgroundId"}},{"kind":"Field","name":{"kind":"Name","value":"diskFolderId"}},{"kind":"Field","name":{"kind":"Name","value":"publicLink"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"link"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DialogErrors"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DialogResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AccessError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dialogId"}}]}}]}}]} as unknown as DocumentNode<DialogByIdQuery, DialogByIdQueryVariables>;
export const DialogsByIdsDocument = {"__meta__":{"hash":"95138a1fff68a1386af665adf2519a9f704fbbb2242762dc0ff3c62db1114274"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DialogsByIds"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dialogs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"DialogCore"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"DialogErrors"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DialogCore"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Dialog"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"ownerId"}},{"kind":"Field","name":{"kind":"Name","value":"extranet"}},{"kind":"Field","name":{"kind":"Name","value":"avatar"}},{"kind":"Field","name":{"kind":"Name","value":"color"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"typeRaw"}},{"kind":"Field","name":{"kind":"Name","value":"messageType"}},{"kind":"Field","name":{"kind":"Name","value":"messageTypeRaw"}},{"kind":"Field","name":{"kind":"Name","value":"entityType"}},{"kind":"Field","name":{"kind":"Name","value":"entityId"}},{"kind":"Field","name":{"kind":"Name","value":"entityData1"}},{"kind":"Field","name":{"kind":"Name","value":"entityData2"}},{"kind":"Field","name":{"kind":"Name","value":"entityData3"}},{"kind":"Field","name":{"kind":"Name","value":"dateCreate"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DialogErrors"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DialogResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AccessError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dialogId"}}]}}]}}]} as unknown as DocumentNode<DialogsByIdsQuery, DialogsByIdsQueryVariables>;
export const DialogTitlesDocument = {"__meta__":{"hash":"1099f2ccf30caf04c35f184556dcf1de2273bf51a66320b6959fa2c822bb1bd6"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DialogTitles"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dialogs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Dialog"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"DialogErrors"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DialogErrors"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DialogResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AccessError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dialogId"}}]}}]}}]} as unknown as DocumentNode<DialogTitlesQuery, DialogTitlesQueryVariables>;