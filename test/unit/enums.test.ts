import { describe, expect, it } from '@jest/globals';
import {
  dialogTypeOf,
  messageTypeOf,
  permissionLevelOf,
  roleOf,
  upperSnake,
} from '../../src/schema/enums.js';

describe('enum mapping', () => {
  it.each([
    ['private', 'PRIVATE'],
    ['chat', 'CHAT'],
    ['open', 'OPEN'],
    ['general', 'GENERAL'],
    ['call', 'CALL'],
    ['videoconf', 'VIDEOCONF'],
    ['crm', 'CRM'],
    ['lines', 'LINES'],
    ['sonetGroup', 'SONET_GROUP'],
    ['calendar', 'CALENDAR'],
    ['tasks', 'TASKS'],
    ['tasksTask', 'TASKS_TASK'],
    ['mail', 'MAIL'],
    ['announcement', 'ANNOUNCEMENT'],
    ['support24Question', 'SUPPORT24_QUESTION'],
    ['support24Notifier', 'SUPPORT24_NOTIFIER'],
    ['networkDialog', 'NETWORK_DIALOG'],
    ['system', 'SYSTEM'],
    ['copilot', 'COPILOT'],
    ['channel', 'CHANNEL'],
    // Deprecated, still mapped: no portal sends it, but a client may have stored it.
    ['network', 'NETWORK'],
    ['openChannel', 'OPEN_CHANNEL'],
    ['generalChannel', 'GENERAL_CHANNEL'],
    ['comment', 'COMMENT'],
    ['thread', 'THREAD'],
    ['collab', 'COLLAB'],
    ['somethingNew', 'UNKNOWN'],
    ['', 'UNKNOWN'],
    ['__proto__', 'UNKNOWN'],
    ['constructor', 'UNKNOWN'],
  ])('maps the chat type %j to %s', (raw, expected) => expect(dialogTypeOf(raw)).toBe(expected));

  it.each([
    ['P', 'PRIVATE'],
    ['C', 'CHAT'],
    ['O', 'OPEN'],
    ['L', 'OPEN_LINE'],
    ['S', 'SYSTEM'],
    ['N', 'CHANNEL'],
    ['J', 'OPEN_CHANNEL'],
    ['T', 'COMMENT'],
    ['A', 'COPILOT'],
    ['B', 'COLLAB'],
    ['X', 'EXTERNAL'],
    ['b', 'COLLAB'],
    ['Z', 'UNKNOWN'],
    ['', 'UNKNOWN'],
    ['__proto__', 'UNKNOWN'],
  ])('maps the message type %j to %s', (raw, expected) =>
    expect(messageTypeOf(raw)).toBe(expected),
  );

  it('maps roles and permission levels by upper-casing, unknown ones to UNKNOWN', () => {
    expect(['owner', 'manager', 'member', 'guest', 'none', 'superuser'].map(roleOf)).toEqual([
      'OWNER',
      'MANAGER',
      'MEMBER',
      'GUEST',
      'NONE',
      'UNKNOWN',
    ]);
    expect(['member', 'manager', 'owner', 'none', 'admin'].map(permissionLevelOf)).toEqual([
      'MEMBER',
      'MANAGER',
      'OWNER',
      'NONE',
      'UNKNOWN',
    ]);
  });

  it('upper-snakes camelCase', () => {
    expect(upperSnake('support24Question')).toBe('SUPPORT24_QUESTION');
  });
});
