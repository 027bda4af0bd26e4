import { builder } from './builder.js';

/*
 * Closed sets of Bitrix24 values as GraphQL enums. Each has UNKNOWN: portals gain new values with
 * updates, and an unknown one must reach the client as UNKNOWN (with the raw value beside it where
 * the schema offers one), never as a failed response.
 */

/** `sonetGroup` → `SONET_GROUP`, `support24Question` → `SUPPORT24_QUESTION`. */
export function upperSnake(raw: string): string {
  return raw.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

type EnumValue<N extends string> = { value: N; description: string; deprecationReason?: string };
type EnumValues<N extends string> = Record<N, EnumValue<N>>;

function enumValues<const N extends string>(
  entries: ReadonlyArray<readonly [name: N, description: string, deprecationReason?: string]>,
): EnumValues<N> {
  return Object.fromEntries(
    entries.map(([name, description, deprecationReason]) => [
      name,
      { value: name, description, ...(deprecationReason ? { deprecationReason } : {}) },
    ]),
  ) as EnumValues<N>;
}

/** Maps a raw value to its enum name when the enum knows it, else UNKNOWN. */
function mapper<N extends string>(
  values: EnumValues<N | 'UNKNOWN'>,
  toName: (raw: string) => string,
): (raw: string) => N | 'UNKNOWN' {
  return (raw) => {
    const name = toName(raw);
    return Object.hasOwn(values, name) ? (name as N) : 'UNKNOWN';
  };
}

const UNKNOWN = [
  'UNKNOWN',
  'A value this server does not know yet: portals gain new ones with updates. The raw value is in the matching `…Raw` field where there is one.',
] as const;

/** The `type` values of a 2026 portal (`ExtendedType`), and the dynamic ones seen in the wild. */
const DIALOG_TYPES = enumValues([
  ['PRIVATE', 'A one-to-one dialog between two users (`private`).'],
  ['CHAT', 'An ordinary group chat (`chat`).'],
  ['OPEN', 'An open chat that any employee may find and join (`open`).'],
  ['GENERAL', 'The company-wide general chat every employee is in (`general`).'],
  ['CALL', 'The chat of a telephony call (`call`).'],
  ['VIDEOCONF', 'The chat of a video conference (`videoconf`).'],
  ['CRM', 'A chat about a CRM item such as a deal or a lead (`crm`).'],
  ['LINES', 'An open line: a conversation with a customer from an outside channel (`lines`).'],
  ['SONET_GROUP', 'The chat of a workgroup or project (`sonetGroup`).'],
  ['CALENDAR', 'The chat of a calendar event (`calendar`).'],
  ['TASKS', 'A chat about tasks (`tasks`).'],
  ['TASKS_TASK', 'The chat of one task (`tasksTask`, a type taken from the chat’s entity).'],
  ['MAIL', 'The chat of an email thread (`mail`).'],
  ['ANNOUNCEMENT', 'An announcement chat where only some members may post (`announcement`).'],
  ['SUPPORT24_QUESTION', 'A question to Bitrix24 support (`support24Question`).'],
  ['SUPPORT24_NOTIFIER', 'News and notifications from Bitrix24 support (`support24Notifier`).'],
  [
    'NETWORK',
    'Never sent by a portal: Bitrix24.Network dialogs are `NETWORK_DIALOG`.',
    'Portals send `networkDialog` (NETWORK_DIALOG); no portal sends `network`.',
  ],
  ['NETWORK_DIALOG', 'A dialog with a partner through Bitrix24.Network (`networkDialog`).'],
  ['COPILOT', 'A chat with the CoPilot AI assistant (`copilot`).'],
  ['CHANNEL', 'A channel: a few post, everyone else reads (`channel`).'],
  ['OPEN_CHANNEL', 'A channel any employee may find and follow (`openChannel`).'],
  ['GENERAL_CHANNEL', 'The company-wide general channel (`generalChannel`).'],
  ['COMMENT', 'The comments under one channel post (`comment`).'],
  ['THREAD', 'A thread of replies under one message (`thread`).'],
  ['COLLAB', 'A collab: a workspace shared with people outside the company (`collab`).'],
  ['SYSTEM', 'A chat the portal itself writes to, such as notifications (`system`).'],
  UNKNOWN,
]);

const MESSAGE_TYPE_LETTERS: Readonly<Record<string, string>> = {
  P: 'PRIVATE',
  C: 'CHAT',
  O: 'OPEN',
  L: 'OPEN_LINE',
  S: 'SYSTEM',
  N: 'CHANNEL',
  J: 'OPEN_CHANNEL',
  T: 'COMMENT',
  A: 'COPILOT',
  B: 'COLLAB',
  X: 'EXTERNAL',
};

const MESSAGE_TYPES = enumValues([
  ['PRIVATE', 'A one-to-one dialog (letter `P`).'],
  ['CHAT', 'A closed group chat that members are added to (letter `C`).'],
  ['OPEN', 'An open chat anyone in the company may join (letter `O`).'],
  ['OPEN_LINE', 'An open line or support conversation (letter `L`).'],
  ['SYSTEM', 'A chat written by the portal itself (letter `S`).'],
  ['CHANNEL', 'A channel (letter `N`).'],
  ['OPEN_CHANNEL', 'An open channel (letter `J`).'],
  ['COMMENT', 'Comments or a thread under a message (letter `T`).'],
  ['COPILOT', 'A chat with an AI assistant (letter `A`).'],
  ['COLLAB', 'A collab shared with external participants (letter `B`).'],
  ['EXTERNAL', 'A chat owned by another module, such as a task’s chat (letter `X`).'],
  UNKNOWN,
]);

const ROLES = enumValues([
  ['OWNER', 'The caller owns the chat (`owner`).'],
  ['MANAGER', 'The caller is one of the chat’s administrators (`manager`).'],
  ['MEMBER', 'The caller is an ordinary member (`member`).'],
  [
    'GUEST',
    'The caller reads the chat without being a member, as in open chats and channels (`guest`).',
  ],
  ['NONE', 'The caller has no role in the chat (`none`).'],
  ['UNKNOWN', 'A role this server does not know yet: portals gain new ones with updates.'],
]);

const PERMISSION_LEVELS = enumValues([
  ['MEMBER', 'Every member may do it (`member`).'],
  ['MANAGER', 'Only the owner and the chat’s administrators may do it (`manager`).'],
  ['OWNER', 'Only the owner may do it (`owner`).'],
  ['NONE', 'Nobody may do it in this chat, not even its owner (`none`).'],
  ['UNKNOWN', 'A level this server does not know yet: portals gain new ones with updates.'],
]);

export const DialogTypeEnum = builder.enumType('DialogType', {
  description:
    'What kind of chat a dialog is (the Bitrix24 `type`). Switch on it to pick an icon or a layout; new kinds arrive as UNKNOWN.',
  values: DIALOG_TYPES,
});

export const DialogMessageTypeEnum = builder.enumType('DialogMessageType', {
  description:
    'The family of chat a dialog belongs to, from the Bitrix24 one-letter `message_type`: coarser than `DialogType`, and what decides how its messages behave.',
  values: MESSAGE_TYPES,
});

export const DialogRoleEnum = builder.enumType('DialogRole', {
  description: 'How the caller stands in the chat: owner, administrator, member or guest.',
  values: ROLES,
});

export const DialogPermissionLevelEnum = builder.enumType('DialogPermissionLevel', {
  description: 'Who may do an action in a chat: the least role needed, or nobody.',
  values: PERMISSION_LEVELS,
});

export const dialogTypeOf = mapper(DIALOG_TYPES, upperSnake);
export const messageTypeOf = mapper(
  MESSAGE_TYPES,
  (raw) => MESSAGE_TYPE_LETTERS[raw.toUpperCase()] ?? 'UNKNOWN',
);
export const roleOf = mapper(ROLES, upperSnake);
export const permissionLevelOf = mapper(PERMISSION_LEVELS, upperSnake);
