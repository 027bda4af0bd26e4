/**
 * Sample data of the emulated portal: used by demo mode and by the tests.
 *
 * - User 1 (Anna) is the "sample user": the demo webhook runs as her, and she can read most chats.
 * - User 2 (Boris) has fewer rights: he is in few chats, so the same id gives him ACCESS_ERROR.
 * - User 4 (Denis) is an extranet user.
 * - Chat 666 is one Anna may not read; chats 10001–10300 are bulk chats for batching tests.
 * - There is a chat of every `type` a 2026 portal sends, and one of a type no portal had yet.
 * - Chat 60 has 3 000 members (users 100001–103000 and Anna): its answer is big (a `readed_list`
 *   of 3 000 entries) and its run costs ~0.3 s of method time, enough to be recorded.
 * - Chat 52 has no creation date (`date_create` is null), as some chats on real portals do.
 * - Chat 53 holds a text that is not valid UTF-8: every answer it is part of is WRONG_ENCODING.
 * - Chat 54 fails inside the portal when read (ERROR_CORE).
 * - Chat 55 has Boris and Denis: Boris may read it but not see Denis (`im.user.list.get` gives null):
 *   an extranet user is visible only to people who share a workgroup with him (Anna, chat 49).
 * - User 700 (Marta) is a bot; users have names, positions and avatars for `im.user.list.get`.
 */

export interface FixtureUser {
  readonly id: number;
  readonly name: string;
  readonly extranet?: boolean;
  readonly color: string;
  /** Given name and family name; by default the two halves of `name`. */
  readonly firstName?: string;
  readonly lastName?: string;
  readonly workPosition?: string;
  /** The avatar's address; none: the portal sends `""`. */
  readonly avatar?: string;
  /** `M`, `F`, or `""` (not said). */
  readonly gender?: string;
  /** `DD-MM`, or `""` (not said). */
  readonly birthday?: string;
  readonly bot?: boolean;
  readonly network?: boolean;
  readonly connector?: boolean;
  readonly externalAuthId?: string;
  readonly status?: string;
  /** ATOM dates; absent: the portal sends `false`. */
  readonly idle?: string;
  readonly lastActivityDate?: string;
  readonly desktopLastDate?: string;
  readonly mobileLastDate?: string;
  readonly absent?: string;
  readonly departments?: readonly number[];
  readonly workPhone?: string;
  readonly personalMobile?: string;
}

export interface FixtureChat {
  readonly id: number;
  readonly name: string;
  readonly type: string;
  readonly messageType: string;
  readonly owner: number;
  readonly members: readonly number[];
  readonly color: string;
  /** ATOM date with offset; null: the chat has none (the portal's column is nullable). */
  readonly dateCreate: string | null;
  readonly description?: string;
  readonly avatar?: string;
  readonly managers?: readonly number[];
  /** Readable by any intranet user, member or not (open chats and channels). */
  readonly openToAll?: boolean;
  readonly entityType?: string;
  readonly entityId?: string;
  readonly entityData?: readonly [string, string, string];
  readonly entityLink?: { readonly type: string; readonly url: string; readonly id: string };
  readonly parentChatId?: number;
  readonly parentMessageId?: number;
  readonly messageCount?: number;
  /** Users who muted the chat; each caller only ever sees whether they did (`mute_list`). */
  readonly mutedBy?: readonly number[];
  /** Raw permission levels (`member`, `manager`, `owner`, `none`, or a legacy `""`) that differ from the defaults. */
  readonly permissions?: Readonly<Partial<Record<PermissionKey, string>>>;
  readonly publicCode?: string;
  readonly backgroundId?: string;
  readonly diskFolderId?: number;
  /**
   * A stored text of the chat is not valid UTF-8: every answer that holds it fails whole with
   * `WRONG_ENCODING` (HTTP 200), as on a portal.
   */
  readonly badEncoding?: boolean;
  /** Reading the chat fails inside the portal (ERROR_CORE, "SQL query error!"): 500, or per command in a batch. */
  readonly coreError?: boolean;
  /** The chat's own setting: whether it shows a message input (default true; an integration may switch it off). */
  readonly textFieldEnabled?: boolean;
}

export type PermissionKey =
  | 'manage_users_add'
  | 'manage_users_delete'
  | 'manage_ui'
  | 'manage_settings'
  | 'can_post';

export interface FixtureWebhook {
  readonly userId: number;
  readonly secret: string;
  readonly scopes: readonly string[];
  /** Deleted or deactivated on the portal: calls answer INVALID_CREDENTIALS. */
  readonly revoked?: boolean;
  /**
   * The portal serves this webhook over HTTPS only: a call over http:// (as the emulator is
   * reached) answers 401 INVALID_REQUEST "Https required.", as a portal's auth layer does.
   */
  readonly httpsOnly?: boolean;
}

export interface FixtureToken {
  readonly token: string;
  readonly userId: number;
  readonly scopes: readonly string[];
  readonly expired?: boolean;
  /** The app the token was issued to: method time is counted per app (default: one demo app). */
  readonly appId?: string;
}

export interface Fixtures {
  readonly users: readonly FixtureUser[];
  readonly chats: readonly FixtureChat[];
  readonly webhooks: readonly FixtureWebhook[];
  readonly tokens: readonly FixtureToken[];
}

export const SAMPLE_USER_ID = 1;
export const LIMITED_USER_ID = 2;
/** The demo webhook's secret. Only ever valid against this emulator. */
export const DEMO_WEBHOOK_SECRET = 'demo0webhook0secret';
/** A webhook of Anna's that was deleted on the portal. */
export const REVOKED_WEBHOOK_SECRET = 'demo0webhook0revoked';
/** A webhook that refuses calls over http:// ("Https required."). */
export const HTTPS_ONLY_WEBHOOK_SECRET = 'demo0webhook0https';
export const DEMO_TOKENS = {
  anna: 'demo-access-token-anna',
  boris: 'demo-access-token-boris',
  expired: 'demo-access-token-expired',
  noScope: 'demo-access-token-without-im-scope',
  /** Anna again, through a second app: its method time is counted apart from the first app's. */
  annaOtherApp: 'demo-access-token-anna-other-app',
} as const;

/** Where the emulator's avatars live (the portal sends absolute or portal-relative addresses). */
const AVATARS = 'https://cdn.bitrix24.example/upload/resize_cache/main';

export const USERS: readonly FixtureUser[] = [
  {
    id: 1,
    name: 'Anna Petrova',
    color: '#df532d',
    workPosition: 'Head of sales',
    avatar: `${AVATARS}/anna.png`,
    gender: 'F',
    birthday: '14-03',
    status: 'online',
    lastActivityDate: '2026-11-30T17:35:31+03:00',
    desktopLastDate: '2026-11-30T17:30:02+03:00',
    departments: [1, 5],
    workPhone: '+7 495 000-00-01',
  },
  {
    id: 2,
    name: 'Boris Ivanov',
    color: '#4ba984',
    workPosition: 'Sales manager',
    gender: 'M',
    status: 'online',
    lastActivityDate: '2026-11-30T12:01:00+03:00',
    mobileLastDate: '2026-11-30T12:00:40+03:00',
    departments: [5],
    personalMobile: '+7 916 000-00-02',
  },
  {
    id: 3,
    name: 'Carla Costa',
    color: '#1eb4aa',
    workPosition: 'Designer',
    avatar: `${AVATARS}/carla.png`,
    gender: 'F',
    status: 'dnd',
    idle: '2026-11-30T16:00:00+03:00',
    lastActivityDate: '2026-11-30T15:58:10+03:00',
    departments: [7],
  },
  {
    id: 4,
    name: 'Denis Dubois',
    color: '#f76187',
    extranet: true,
    workPosition: 'Partner (Acme Ltd)',
    gender: 'M',
    lastActivityDate: '2026-11-28T10:00:00+01:00',
  },
  {
    id: 5,
    name: 'Elena Smirnova',
    color: '#8474c8',
    workPosition: 'Office manager',
    avatar: `${AVATARS}/elena.png`,
    gender: 'F',
    birthday: '02-11',
    status: 'away',
    lastActivityDate: '2026-11-29T09:12:00+03:00',
    absent: '2026-12-14T00:00:00+03:00',
    departments: [1],
  },
  {
    id: 256,
    name: 'Gleb Orlov',
    color: '#e3b800',
    workPosition: 'Developer',
    avatar: `${AVATARS}/gleb.png`,
    gender: 'M',
    lastActivityDate: '2026-11-30T18:44:00+03:00',
    departments: [7],
  },
  {
    id: 503,
    name: 'Olga Sokolova',
    color: '#2e67b1',
    workPosition: 'Accountant',
    gender: 'F',
    departments: [3],
  },
  {
    id: 700,
    name: 'Marta',
    lastName: '',
    color: '#ab7761',
    workPosition: 'Helpdesk bot',
    bot: true,
    externalAuthId: 'bot',
    status: 'online',
  },
];

/** The members of the big chat besides Anna, each with a name of their own. */
const CROWD: readonly FixtureUser[] = Array.from({ length: 3000 }, (_, index) => ({
  id: 100001 + index,
  name: `Employee ${String(index + 1).padStart(4, '0')}`,
  color: ['#4ba984', '#df532d', '#1eb4aa', '#f76187', '#8474c8'][index % 5]!,
}));

// Bots are users too, but no chat lists this one among its members.
const intranetUsers = USERS.filter((user) => !user.extranet && !user.bot).map((user) => user.id);

/** One chat of every documented `type`, plus the ones the examples in the docs show. */
const NAMED_CHATS: readonly FixtureChat[] = [
  // Only the owner and managers post in the general chat: its `send` restriction depends on the caller.
  {
    id: 1,
    name: 'General chat',
    type: 'general',
    messageType: 'O',
    owner: 1,
    members: intranetUsers,
    managers: [5],
    color: '#4ba984',
    dateCreate: '2016-05-10T09:00:00+03:00',
    description: 'Company-wide announcements and chatter',
    messageCount: 1204,
    entityType: 'GENERAL',
    permissions: { can_post: 'manager' },
  },
  {
    id: 21191,
    name: 'Mint Chat #3',
    type: 'chat',
    messageType: 'C',
    owner: 2,
    members: [1, 2, 3, 5],
    managers: [2],
    color: '#4ba984',
    dateCreate: '2017-10-14T12:15:32+02:00',
    messageCount: 342,
  },
  {
    id: 1439,
    name: 'Чат по сделке',
    type: 'crm',
    messageType: 'C',
    owner: 503,
    members: [1, 503, 3],
    managers: [503],
    color: '#f76187',
    dateCreate: '2026-02-25T16:50:58+03:00',
    description: 'Здесь обсуждаем сделку',
    entityType: 'CRM',
    entityId: 'DEAL|1663',
    entityLink: { type: 'DEAL', url: '/crm/deal/details/1663/', id: 'DEAL|1663' },
    messageCount: 3,
  },
  {
    id: 30,
    name: 'Coffee lovers',
    type: 'open',
    messageType: 'O',
    owner: 3,
    members: [3, 5],
    openToAll: true,
    color: '#8474c8',
    dateCreate: '2019-03-01T10:00:00+03:00',
    description: 'Anyone may drop in',
  },
  {
    id: 31,
    name: 'Call with Carla',
    type: 'call',
    messageType: 'C',
    owner: 1,
    members: [1, 3],
    color: '#1eb4aa',
    dateCreate: '2021-07-07T15:30:00+03:00',
    entityType: 'CALL',
    entityId: '5501',
  },
  {
    id: 32,
    name: 'Weekly sync (video)',
    type: 'videoconf',
    messageType: 'C',
    owner: 1,
    members: [1, 2, 3],
    color: '#2e67b1',
    dateCreate: '2022-01-12T11:00:00+03:00',
    publicCode: 'wkly7sync',
  },
  {
    id: 33,
    name: 'Website visitor #4711',
    type: 'lines',
    messageType: 'L',
    owner: 0,
    members: [1],
    color: '#e3b800',
    dateCreate: '2023-04-04T08:45:00+03:00',
    entityType: 'LINES',
    entityId: 'livechat|1|4711|42',
    entityData: ['N|NONE|0|N|N|0|1681000000|0|0|0', '', ''],
  },
  {
    id: 34,
    name: 'Marketing team',
    type: 'sonetGroup',
    messageType: 'C',
    owner: 5,
    members: [1, 5, 3],
    color: '#df532d',
    dateCreate: '2020-09-15T09:00:00+03:00',
    entityType: 'SONET_GROUP',
    entityId: '103',
  },
  {
    id: 35,
    name: 'Quarterly review (meeting)',
    type: 'calendar',
    messageType: 'C',
    owner: 1,
    members: [1, 2],
    color: '#4ba984',
    dateCreate: '2024-03-31T18:00:00+03:00',
    entityType: 'CALENDAR',
    entityId: '8801',
  },
  {
    id: 36,
    name: 'Release 4.2 tasks',
    type: 'tasks',
    messageType: 'C',
    owner: 1,
    members: [1, 3],
    color: '#1eb4aa',
    dateCreate: '2024-05-02T10:00:00+03:00',
    entityType: 'TASKS',
    entityId: '77',
    messageCount: 12,
  },
  // Current task chats are external chats (`X`) whose type comes from their entity.
  {
    id: 37,
    name: 'Task #1290: fix the invoice export',
    type: 'tasksTask',
    messageType: 'X',
    owner: 3,
    members: [1, 3],
    color: '#f76187',
    dateCreate: '2025-01-20T12:00:00+03:00',
    entityType: 'TASKS_TASK',
    entityId: '1290',
    parentChatId: 36,
    parentMessageId: 9001,
  },
  {
    id: 38,
    name: 'Re: contract draft',
    type: 'mail',
    messageType: 'C',
    owner: 1,
    members: [1],
    color: '#8474c8',
    dateCreate: '2023-11-11T11:11:11+03:00',
    entityType: 'MAIL',
    entityId: '5512',
    textFieldEnabled: false,
  },
  {
    id: 39,
    name: 'Office announcements',
    type: 'announcement',
    messageType: 'C',
    owner: 5,
    members: intranetUsers,
    managers: [5],
    color: '#2e67b1',
    dateCreate: '2018-02-02T09:00:00+03:00',
    messageCount: 57,
    mutedBy: [1, 2, 3],
  },
  {
    id: 40,
    name: 'Support question: mail sync',
    type: 'support24Question',
    // Created with message type C, like any group chat (not L, the open lines').
    messageType: 'C',
    owner: 1,
    members: [1],
    color: '#e3b800',
    dateCreate: '2024-08-08T08:08:08+03:00',
    entityType: 'SUPPORT24_QUESTION',
  },
  {
    id: 41,
    name: 'Bitrix24 Support news',
    type: 'support24Notifier',
    // Created with message type C, like any group chat (not L, the open lines').
    messageType: 'C',
    owner: 0,
    members: [1],
    color: '#df532d',
    dateCreate: '2024-08-09T09:09:09+03:00',
    entityType: 'SUPPORT24_NOTIFIER',
  },
  {
    id: 42,
    name: 'Partner network chat',
    type: 'networkDialog',
    // Created with message type C, like any group chat (not L, the open lines').
    messageType: 'C',
    owner: 0,
    members: [1],
    color: '#4ba984',
    dateCreate: '2019-12-12T12:12:12+03:00',
    entityType: 'NETWORK_DIALOG',
  },
  {
    id: 43,
    name: 'CoPilot',
    type: 'copilot',
    messageType: 'A',
    owner: 1,
    members: [1],
    color: '#1eb4aa',
    dateCreate: '2025-04-01T10:00:00+03:00',
  },
  {
    id: 44,
    name: 'Engineering digest',
    type: 'channel',
    messageType: 'N',
    owner: 3,
    members: [1, 3, 5],
    managers: [3],
    color: '#f76187',
    dateCreate: '2025-02-14T10:00:00+03:00',
  },
  {
    id: 45,
    name: 'Company news',
    type: 'openChannel',
    messageType: 'J',
    owner: 5,
    members: [5],
    openToAll: true,
    color: '#8474c8',
    dateCreate: '2025-02-15T10:00:00+03:00',
    publicCode: 'newsroom',
  },
  // Members of the general channel are everyone, always: nobody adds or removes them (`none`).
  {
    id: 46,
    name: 'General channel',
    type: 'generalChannel',
    messageType: 'J',
    owner: 1,
    members: intranetUsers,
    color: '#2e67b1',
    dateCreate: '2025-02-16T10:00:00+03:00',
    permissions: { manage_users_add: 'none', manage_users_delete: 'none', can_post: 'owner' },
  },
  {
    id: 47,
    name: 'Comments: Engineering digest #12',
    type: 'comment',
    messageType: 'T',
    owner: 3,
    members: [1, 3],
    color: '#e3b800',
    dateCreate: '2025-03-01T10:00:00+03:00',
    parentChatId: 44,
    parentMessageId: 12012,
  },
  {
    id: 48,
    name: 'Thread: release checklist',
    type: 'thread',
    messageType: 'T',
    owner: 1,
    members: [1, 2],
    color: '#df532d',
    dateCreate: '2025-09-09T10:00:00+03:00',
    parentChatId: 21191,
    parentMessageId: 34001,
  },
  // A collab is a workgroup with guests: message type `B`, its group in entity SONET_GROUP (so `sg207` finds it too).
  {
    id: 49,
    name: 'Collab with Acme Ltd',
    type: 'collab',
    messageType: 'B',
    owner: 1,
    members: [1, 4],
    color: '#4ba984',
    dateCreate: '2025-06-06T10:00:00+03:00',
    entityType: 'SONET_GROUP',
    entityId: '207',
    messageCount: 8,
  },
  // A type and a message type no portal has yet: the server must answer UNKNOWN, not fail.
  {
    id: 50,
    name: 'Agents workspace',
    type: 'aiAgentWorkspace',
    messageType: 'Z',
    owner: 1,
    members: [1],
    color: '#1eb4aa',
    dateCreate: '2026-10-01T10:00:00+03:00',
  },
  {
    id: 51,
    name: 'Bitrix24 notifications',
    type: 'system',
    messageType: 'S',
    owner: 0,
    members: [1],
    color: '#2e67b1',
    dateCreate: '2016-05-10T09:00:00+03:00',
  },
  // An old chat whose creation date was never stored.
  {
    id: 52,
    name: 'Imported from the old intranet',
    type: 'chat',
    messageType: 'C',
    owner: 1,
    members: [1, 2, 3],
    color: '#8474c8',
    dateCreate: null,
    messageCount: 4,
  },
  // A chat whose stored text is not valid UTF-8: every answer holding it is WRONG_ENCODING.
  {
    id: 53,
    name: 'Imported with a broken encoding',
    type: 'chat',
    messageType: 'C',
    owner: 1,
    members: [1, 2, 3],
    color: '#8474c8',
    dateCreate: '2019-03-01T10:00:00+03:00',
    badEncoding: true,
  },
  // A chat whose reading fails inside the portal: ERROR_CORE.
  {
    id: 54,
    name: 'Half-migrated archive',
    type: 'chat',
    messageType: 'C',
    owner: 1,
    members: [1, 2, 3],
    color: '#8474c8',
    dateCreate: '2019-03-01T10:00:00+03:00',
    coreError: true,
  },
  // Boris reads it but may not see Denis (an extranet user he shares no workgroup with).
  {
    id: 55,
    name: 'Partner onboarding',
    type: 'chat',
    messageType: 'C',
    owner: 1,
    members: [1, 2, 4],
    managers: [1],
    color: '#2e67b1',
    dateCreate: '2026-10-01T10:00:00+03:00',
    messageCount: 9,
  },
  {
    id: 60,
    name: 'Company all-hands',
    type: 'chat',
    messageType: 'C',
    owner: 1,
    members: [1, ...CROWD.map((user) => user.id)],
    managers: [100001],
    color: '#df532d',
    dateCreate: '2024-01-15T09:00:00+03:00',
    description: 'Everyone, every Monday',
    messageCount: 4321,
  },
  // Anna is not a member of this one, so it answers her ACCESS_ERROR.
  {
    id: 666,
    name: 'Board room',
    type: 'chat',
    messageType: 'C',
    owner: 2,
    members: [2, 3],
    color: '#2e67b1',
    dateCreate: '2020-01-01T10:00:00+03:00',
    description: 'Board members only',
  },
];

/** 300 ordinary chats that only Anna (and Carla) are in, for batching tests. */
const BULK_CHATS: readonly FixtureChat[] = Array.from({ length: 300 }, (_, index) => ({
  id: 10001 + index,
  name: `Project room #${index + 1}`,
  type: 'chat',
  messageType: 'C',
  owner: 1,
  members: [1, 3],
  color: ['#4ba984', '#df532d', '#1eb4aa', '#f76187', '#8474c8'][index % 5]!,
  dateCreate: `2025-${String((index % 12) + 1).padStart(2, '0')}-${String((index % 28) + 1).padStart(2, '0')}T09:30:00+03:00`,
  messageCount: index * 7,
}));

export const SAMPLE_FIXTURES: Fixtures = {
  users: [...USERS, ...CROWD],
  chats: [...NAMED_CHATS, ...BULK_CHATS],
  webhooks: [
    { userId: SAMPLE_USER_ID, secret: DEMO_WEBHOOK_SECRET, scopes: ['im', 'user'] },
    { userId: LIMITED_USER_ID, secret: 'demo0webhook0boris', scopes: ['im'] },
    { userId: SAMPLE_USER_ID, secret: 'demo0webhook0no0im', scopes: ['user'] },
    { userId: SAMPLE_USER_ID, secret: REVOKED_WEBHOOK_SECRET, scopes: ['im'], revoked: true },
    { userId: SAMPLE_USER_ID, secret: HTTPS_ONLY_WEBHOOK_SECRET, scopes: ['im'], httpsOnly: true },
  ],
  tokens: [
    { token: DEMO_TOKENS.anna, userId: SAMPLE_USER_ID, scopes: ['im'] },
    { token: DEMO_TOKENS.boris, userId: LIMITED_USER_ID, scopes: ['im'] },
    { token: DEMO_TOKENS.expired, userId: SAMPLE_USER_ID, scopes: ['im'], expired: true },
    { token: DEMO_TOKENS.noScope, userId: SAMPLE_USER_ID, scopes: ['user'] },
    {
      token: DEMO_TOKENS.annaOtherApp,
      userId: SAMPLE_USER_ID,
      scopes: ['im'],
      appId: 'local.demo0app0000002',
    },
  ],
};
