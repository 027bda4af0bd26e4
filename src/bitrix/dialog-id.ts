import { DialogIdEmptyError } from './errors.js';

/**
 * The DIALOG_ID grammar of the portal's own code (`Bitrix\Im\Common::isDialogId`): a user id, or
 * `chat`, `sg` or `crm` followed by digits, in any case (`CHAT5` and `Sg7` are as good as `chat5`
 * and `sg7`). The portal reads the digits as a number (`Bitrix\Im\Dialog::getChatId`), so `chat04`
 * is `chat4`.
 *
 * An id outside it never reaches the portal, which would only answer DIALOG_ID_EMPTY: we answer that
 * ourselves and spend no request (and no method time). Because the grammar has no `$`, `&`, `=`, `?`
 * or `%`, no id can change a batch command or be read as a `$result[…]` reference: the portal
 * resolves those after decoding, so encoding alone would not protect against them.
 */
export const DIALOG_ID_GRAMMAR = /^(chat|sg|crm)?([0-9]+)$/i;

/** Significant digits are bounded at 19, a 64-bit id, so a hostile id stays small. */
const MAX_DIGITS = 19;

/**
 * Checks an id as a client sent it. Returns its one canonical spelling (trimmed, prefix in lower
 * case, digits without leading zeros: `chat4`, `sg103`, `256`), or the error to answer locally.
 *
 * The canonical id is what the portal is asked for, what the loader, the scheduler and the cache
 * key on, and what `Dialog.id` (the federation key, the id clients cache by) says: every spelling
 * of one chat is one lookup and one cached dialog.
 */
export function normaliseDialogId(rawId: string): string | DialogIdEmptyError {
  const id = rawId.trim();
  // PHP reads "0" as no id at all.
  if (id === '' || id === '0') return new DialogIdEmptyError();
  const match = DIALOG_ID_GRAMMAR.exec(id);
  const digits = match?.[2]?.replace(/^0+(?=\d)/, '');
  if (!match || digits === undefined || digits.length > MAX_DIGITS) {
    return new DialogIdEmptyError(
      'Dialog ID is not in a known format (chatNNN, sgNNN, crmNNN or a user id NNN)',
    );
  }
  const prefix = match[1]?.toLowerCase() ?? '';
  // `00` is the user id 0 once read as a number: no id, like `0`.
  if (prefix === '' && digits === '0') return new DialogIdEmptyError();
  return `${prefix}${digits}`;
}
