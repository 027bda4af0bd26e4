/*
 * The documented per-dialog errors as GraphQL types: members of the DialogResult union, answered in
 * place of a dialog. What a client sees for other failures is the server's error policy
 * (src/server/plugins/error-policy.ts).
 */
import {
  AccessError,
  DialogIdEmptyError,
  type DialogLookupError,
  UnreadableDialogError,
} from '../bitrix/errors.js';
import { builder } from './builder.js';

export const ErrorInterface = builder.interfaceRef<DialogLookupError>('Error').implement({
  description:
    'Why one dialog or user could not be given, answered in its place: the other items of the same request are unaffected.',
  fields: (t) => ({
    message: t.exposeString('message', {
      description:
        'What went wrong, in words for a developer (the portal’s own text when it gave a short one).',
    }),
    code: t.exposeString('code', {
      description:
        'The error code, stable to switch on: `DIALOG_ID_EMPTY`, `ACCESS_ERROR` or `WRONG_ENCODING` for a dialog, `INVALID_FORMAT` or `USER_NOT_FOUND` for a user.',
    }),
  }),
});

builder.objectType(DialogIdEmptyError, {
  name: 'DialogIdEmptyError',
  description:
    'The id is not a dialog id (Bitrix24 `DIALOG_ID_EMPTY`): empty, `0`, or outside the portal’s grammar (`chatNNN`, `sgNNN`, `crmNNN` or a user id `NNN`, in any letter case). This server answers it without asking the portal.',
  interfaces: [ErrorInterface],
});

builder.objectType(AccessError, {
  name: 'AccessError',
  description:
    'The caller may not read this dialog, or it does not exist: the portal does not tell the two apart (Bitrix24 `ACCESS_ERROR`). `crmNNN` ids always end here.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    dialogId: t.exposeID('dialogId', {
      description:
        'The dialog id that was asked for, in its canonical spelling (as `Dialog.id` gives it), so a list can mark the right item.',
    }),
  }),
});

builder.objectType(UnreadableDialogError, {
  name: 'UnreadableDialogError',
  description:
    'The portal cannot give this dialog: it fails to encode the answer (Bitrix24 `WRONG_ENCODING`, a stored text that is not valid UTF-8), and would fail every answer the chat is part of. The other dialogs of the request are answered as usual. Show it as "this chat cannot be shown"; asking again will not help until the chat is repaired on the portal.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    dialogId: t.exposeID('dialogId', {
      description: 'The dialog id that was asked for, so a list can mark the right item.',
    }),
  }),
});
