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

type EnumValues<N extends string> = Record<N, { value: N; description: string }>;

function enumValues<const N extends string>(entries: ReadonlyArray<readonly [name: N, description: string]>): EnumValues<N> {
  return Object.fromEntries(entries.map(([name, description]) => [name, { value: name, description }])) as EnumValues<N>;
}

/** Maps a raw value to its enum name when the enum knows it, else UNKNOWN. */
function mapper<N extends string>(values: EnumValues<N | 'UNKNOWN'>, toName: (raw: string) => string): (raw: string) => N | 'UNKNOWN' {
  return (raw) => {
    const name = toName(raw);
    return Object.hasOwn(values, name) ? (name as N) : 'UNKNOWN';
  };
}

const UNKNOWN = ['UNKNOWN', 'A value this server does not know yet (the raw value is in the matching `…Raw` field where there is one).'] as const;

const DIALOG_TYPES = enumValues([
  ['PRIVATE', '`private`: a one-to-one dialog.'],
  ['CHAT', '`chat`: a group chat.'],
  ['OPEN', '`open`: an open chat any employee may join.'],
  ['GENERAL', '`general`: the company-wide general chat.'],
  ['CALL', '`call`: the chat of a call.'],
  ['VIDEOCONF', '`videoconf`: the chat of a video conference.'],
  ['CRM', '`crm`: a chat linked to a CRM item.'],
  ['LINES', '`lines`: an open line (a conversation with a customer).'],
  ['SONET_GROUP', '`sonetGroup`: the chat of a workgroup or project.'],
  ['CALENDAR', '`calendar`: the chat of a calendar event.'],
  ['TASKS', '`tasks`: a tasks chat.'],
  ['TASKS_TASK', '`tasksTask`: the chat of one task.'],
  ['MAIL', '`mail`: the chat of a mail thread.'],
  ['ANNOUNCEMENT', '`announcement`: an announcement chat.'],
  ['SUPPORT24_QUESTION', '`support24Question`: a question to Bitrix24 support.'],
  ['SUPPORT24_NOTIFIER', '`support24Notifier`: Bitrix24 support notifications.'],
  ['NETWORK', '`network`: a Bitrix24.Network chat.'],
  ['COPILOT', '`copilot`: a chat with the CoPilot AI assistant.'],
  ['CHANNEL', '`channel`: a channel.'],
  ['OPEN_CHANNEL', '`openChannel`: an open channel.'],
  ['GENERAL_CHANNEL', '`generalChannel`: the company-wide general channel.'],
  ['COMMENT', '`comment`: comments under a channel post.'],
  ['THREAD', '`thread`: a thread under a message.'],
  ['COLLAB', '`collab`: a collab with external participants.'],
  UNKNOWN,
]);

const MESSAGE_TYPE_LETTERS: Readonly<Record<string, string>> = {
  P: 'PRIVATE', C: 'CHAT', O: 'OPEN', L: 'OPEN_LINE', S: 'SYSTEM', N: 'CHANNEL', J: 'OPEN_CHANNEL', T: 'COMMENT', A: 'COPILOT',
};

const MESSAGE_TYPES = enumValues([
  ['PRIVATE', '`P`: private.'],
  ['CHAT', '`C`: group chat.'],
  ['OPEN', '`O`: open chat.'],
  ['OPEN_LINE', '`L`: open line.'],
  ['SYSTEM', '`S`: system.'],
  ['CHANNEL', '`N`: channel.'],
  ['OPEN_CHANNEL', '`J`: open channel.'],
  ['COMMENT', '`T`: comments or thread.'],
  ['COPILOT', '`A`: AI assistant (CoPilot).'],
  UNKNOWN,
]);

const ROLES = enumValues([
  ['OWNER', '`owner`: the chat owner.'],
  ['MANAGER', '`manager`: a chat administrator.'],
  ['MEMBER', '`member`: an ordinary member.'],
  ['GUEST', '`guest`: reads the chat without being a member (open chats, channels).'],
  ['NONE', '`none`: no role in the chat.'],
  ['UNKNOWN', 'A role this server does not know yet.'],
]);

const PERMISSION_LEVELS = enumValues([
  ['MEMBER', '`member`: every member may.'],
  ['MANAGER', '`manager`: the owner and the chat administrators may.'],
  ['OWNER', '`owner`: only the owner may.'],
  ['UNKNOWN', 'A level this server does not know yet.'],
]);

export const DialogTypeEnum = builder.enumType('DialogType', {
  description: 'The Bitrix24 chat `type`.',
  values: DIALOG_TYPES,
});

export const DialogMessageTypeEnum = builder.enumType('DialogMessageType', {
  description: 'The Bitrix24 `message_type` letter of the chat.',
  values: MESSAGE_TYPES,
});

export const DialogRoleEnum = builder.enumType('DialogRole', {
  description: "The caller's role in the chat.",
  values: ROLES,
});

export const DialogPermissionLevelEnum = builder.enumType('DialogPermissionLevel', {
  description: 'The least role that may do an action.',
  values: PERMISSION_LEVELS,
});

export const dialogTypeOf = mapper(DIALOG_TYPES, upperSnake);
export const messageTypeOf = mapper(MESSAGE_TYPES, (raw) => MESSAGE_TYPE_LETTERS[raw.toUpperCase()] ?? 'UNKNOWN');
export const roleOf = mapper(ROLES, upperSnake);
export const permissionLevelOf = mapper(PERMISSION_LEVELS, upperSnake);
