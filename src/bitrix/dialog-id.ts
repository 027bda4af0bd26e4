import { DialogIdEmptyError } from './errors.js';

/**
 * The DIALOG_ID grammar of the portal's own code (`Bitrix\Im\Common::isDialogId`): a user id, or
 * `chat`, `sg` or `crm` followed by digits, in any case (`CHAT5` and `Sg7` are as good as `chat5`
 * and `sg7`). Digits are bounded at 19, a 64-bit id, so a hostile id stays small.
 *
 * An id outside it never reaches the portal, which would only answer DIALOG_ID_EMPTY: we answer that
 * ourselves and spend no request (and no method time). Because the grammar has no `$`, `&`, `=`, `?`
 * or `%`, no id can change a batch command or be read as a `$result[…]` reference: the portal
 * resolves those after decoding, so encoding alone would not protect against them.
 */
export const DIALOG_ID_GRAMMAR = /^(?:[0-9]{1,19}|(?:chat|sg|crm)[0-9]{1,19})$/i;

/**
 * Checks an id as a client sent it. Returns the id to ask the portal for (trimmed, case kept: it is
 * also `Dialog.id`), or the error to answer locally.
 */
export function normaliseDialogId(rawId: string): string | DialogIdEmptyError {
  const id = rawId.trim();
  // PHP reads "0" as no id at all.
  if (id === '' || id === '0') return new DialogIdEmptyError();
  if (!DIALOG_ID_GRAMMAR.test(id)) {
    return new DialogIdEmptyError(
      'Dialog ID is not in a known format (chatNNN, sgNNN, crmNNN or a user id NNN)',
    );
  }
  return id;
}
