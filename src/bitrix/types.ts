/**
 * A dialog as this server understands it, the same whichever generation of portal answered.
 * Names say what a value is, not which Bitrix24 key it came from; `null` stands for Bitrix24's
 * "not set" (`""`, `0` for ids, `null`) and, for the modern-only fields, for "not sent".
 * Closed sets (`type`, `message_type`, `role`, permission levels) stay raw strings here: mapping them
 * to GraphQL enums is the schema's job, which keeps the raw value for `typeRaw`/`messageTypeRaw`.
 */
export interface Dialog {
  /** The dialog's canonical id (`chat21191`, `sg103`, `256`), whatever spelling was asked: see `normaliseDialogId`. */
  readonly id: string;
  readonly chatId: string;
  /**
   * The chat's name; for a private dialog that has none (every private chat on a 2026 portal), the
   * other person's name when the answer carries it (`readed_list`), else `""`.
   */
  readonly title: string;
  readonly ownerId: string | null;
  /** A private dialog's other person (the caller's own id in a chat with oneself); null otherwise. */
  readonly counterpartId: string | null;
  readonly extranet: boolean;
  readonly avatar: string | null;
  readonly color: string;
  readonly typeRaw: string;
  readonly messageTypeRaw: string;
  readonly entityType: string | null;
  readonly entityId: string | null;
  readonly entityData1: string | null;
  readonly entityData2: string | null;
  readonly entityData3: string | null;
  /** ATOM date with the portal's offset, as sent; null when the chat has none (the column is nullable). */
  readonly dateCreate: string | null;
  // Modern portals only.
  readonly description: string | null;
  readonly parentChatId: string | null;
  readonly parentMessageId: string | null;
  readonly roleRaw: string | null;
  readonly memberCount: number | null;
  readonly messageCount: number | null;
  readonly unreadCount: number | null;
  readonly firstUnreadMessageId: string | null;
  readonly lastMessageId: string | null;
  readonly lastReadMessageId: string | null;
  readonly markedMessageId: string | null;
  readonly managerIds: readonly string[] | null;
  /** `mute_list` as sent: at most the caller's own id. */
  readonly mutedUserIds: readonly string[] | null;
  /** Whether the caller muted the chat (read from `mute_list`); null when the portal does not say. */
  readonly mutedByMe: boolean | null;
  readonly entityLink: DialogEntityLink | null;
  readonly restrictions: DialogRestrictions | null;
  readonly permissions: DialogPermissions | null;
  readonly readBy: readonly DialogReader[] | null;
  readonly lastMessageViews: DialogMessageViews | null;
  readonly textFieldEnabled: boolean | null;
  readonly isNew: boolean | null;
  readonly backgroundId: string | null;
  readonly diskFolderId: string | null;
  readonly publicLink: DialogPublicLink | null;
}

export interface DialogEntityLink {
  readonly type: string | null;
  readonly url: string | null;
  readonly id: string | null;
}

/**
 * What chats of this dialog's type allow (Bitrix24 `restrictions`: `true` means allowed). A profile
 * of the chat type, not the caller's own rights; only a general chat's `canSend` depends on the caller.
 */
export interface DialogRestrictions {
  readonly canChangeAvatar: boolean | null;
  readonly canRename: boolean | null;
  readonly canExtend: boolean | null;
  readonly canCall: boolean | null;
  readonly canMute: boolean | null;
  readonly canLeave: boolean | null;
  readonly canOwnerLeave: boolean | null;
  readonly canSend: boolean | null;
  readonly canSeeMembers: boolean | null;
  readonly path: string | null;
  readonly pathTitle: string | null;
}

/** For each action, the least role that may do it (raw Bitrix24 level: `member`, `manager`, `owner`, `none`). */
export interface DialogPermissions {
  readonly addMembers: string | null;
  readonly removeMembers: string | null;
  readonly changeAppearance: string | null;
  readonly changeSettings: string | null;
  readonly manageMessages: string | null;
  readonly postMessages: string | null;
}

export interface DialogReader {
  readonly userId: string;
  readonly userName: string | null;
  readonly lastReadMessageId: string | null;
  /** ATOM date, null while the user has not read. */
  readonly readAt: string | null;
}

export interface DialogMessageViews {
  readonly messageId: string | null;
  /** The first (at most two) users who saw the last message; may include the caller. */
  readonly firstViewers: readonly DialogViewer[];
  readonly firstViewerIds: readonly string[];
  /** Users other than the caller who saw it. */
  readonly viewerCount: number;
}

export interface DialogViewer {
  readonly userId: string;
  readonly userName: string | null;
  /** ATOM date; null when the portal does not know it. */
  readonly viewedAt: string | null;
}

export interface DialogPublicLink {
  readonly code: string | null;
  readonly link: string | null;
}

/** A person of the portal as `im.user.list.get` describes them to the caller (docs/bitrix24-api.md). */
export interface PortalUser {
  readonly id: string;
  readonly name: string;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly workPosition: string | null;
  readonly avatar: string | null;
  readonly avatarHr: string | null;
  readonly color: string | null;
  readonly gender: 'M' | 'F' | null;
  /** `DD-MM`. */
  readonly birthday: string | null;
  readonly extranet: boolean;
  readonly network: boolean;
  readonly bot: boolean;
  readonly connector: boolean;
  readonly externalAuthId: string | null;
  readonly status: string | null;
  readonly idleSince: string | null;
  readonly lastActivityAt: string | null;
  readonly desktopLastSeenAt: string | null;
  readonly mobileLastSeenAt: string | null;
  readonly departmentIds: readonly string[];
  readonly absentUntil: string | null;
  readonly phones: {
    readonly work: string | null;
    readonly mobile: string | null;
    readonly personal: string | null;
  };
}
