import { describe, expect, it } from '@jest/globals';
import { normaliseDialogId } from '../../src/bitrix/dialog-id.js';
import { DialogIdEmptyError } from '../../src/bitrix/errors.js';

describe('normaliseDialogId: the portal’s DIALOG_ID grammar', () => {
  it.each([
    ['chat1', 'chat1'],
    [' sg103 ', 'sg103'],
    ['256', '256'],
    ['CHAT5', 'CHAT5'],
    ['Sg7', 'Sg7'],
    ['crm12', 'crm12'],
    ['CRM12', 'CRM12'],
    ['chat007', 'chat007'],
    ['00', '00'],
    ['9'.repeat(19), '9'.repeat(19)],
  ])('sends %j to the portal as %j (trimmed, case kept)', (raw, id) => {
    expect(normaliseDialogId(raw)).toBe(id);
  });

  it.each([[''], ['  '], ['0'], [' 0 ']])('answers %j as empty, like the portal', (raw) => {
    expect(normaliseDialogId(raw)).toEqual(new DialogIdEmptyError("Dialog ID can't be empty"));
  });

  it.each([
    ['chat'],
    ['abc'],
    ['chatX'],
    ['abc12'],
    ['user5'],
    ['lines12'],
    ['chat-1'],
    ['chat 1'],
    ['c5'],
    ['chat1&x=1'],
    ['$result[a][id]'],
    ['chat$result[a][id]'],
    ['%63hat1'],
    ['１２'],
    ['1'.repeat(20)],
    [`chat${'1'.repeat(20)}`],
  ])('answers %j locally: outside the grammar the portal would only say DIALOG_ID_EMPTY', (raw) => {
    const answer = normaliseDialogId(raw);
    expect(answer).toBeInstanceOf(DialogIdEmptyError);
    expect((answer as DialogIdEmptyError).message).toBe(
      'Dialog ID is not in a known format (chatNNN, sgNNN, crmNNN or a user id NNN)',
    );
  });
});
