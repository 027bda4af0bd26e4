import { describe, expect, it } from '@jest/globals';
import { normaliseDialogId } from '../../src/bitrix/dialog-id.js';
import { DialogIdEmptyError } from '../../src/bitrix/errors.js';

describe('normaliseDialogId: the portal’s DIALOG_ID grammar', () => {
  it.each([
    ['chat1', 'chat1'],
    [' sg103 ', 'sg103'],
    ['256', '256'],
    ['CHAT5', 'chat5'],
    ['Sg7', 'sg7'],
    ['SG103', 'sg103'],
    ['crm12', 'crm12'],
    ['CRM12', 'crm12'],
    ['chat007', 'chat7'],
    ['chat04', 'chat4'],
    [' ChAt0004 ', 'chat4'],
    ['0256', '256'],
    ['chat0', 'chat0'],
    ['sg000', 'sg0'],
    ['9'.repeat(19), '9'.repeat(19)],
    [`chat${'0'.repeat(30)}7`, 'chat7'],
  ])('sends %j to the portal as its canonical id %j', (raw, id) => {
    expect(normaliseDialogId(raw)).toBe(id);
  });

  it.each([[''], ['  '], ['0'], [' 0 '], ['00'], ['000']])(
    'answers %j as empty, like `0`',
    (raw) => {
      expect(normaliseDialogId(raw)).toEqual(new DialogIdEmptyError("Dialog ID can't be empty"));
    },
  );

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
