import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import type { DialogLoader } from '../bitrix/dialog-loader.js';
import {
  AccessError,
  DialogIdEmptyError,
  isDialogLookupFailure,
  type DialogLookupFailure,
  UnreadableDialogError,
} from '../bitrix/errors.js';
import type { Dialog } from '../bitrix/types.js';
import { builder } from './builder.js';
import type { RequestContext } from './context.js';
import { DialogRef } from './dialog.js';
import { peopleWanted, type PeopleWanted } from './people-selection.js';

/** `dialogs(ids:)` takes at most this many ids: 4 batch calls, a large frontend page. */
export const MAX_DIALOG_IDS = 200;

export const DialogResult = builder.errorUnion('DialogResult', {
  description:
    'A dialog, or why it could not be given: select `... on Dialog { … }` and `... on Error { code message }`.',
  types: [DialogRef, DialogIdEmptyError, AccessError, UnreadableDialogError],
  // Error instances are matched by class first; anything else is a dialog.
  resolveType: () => 'Dialog',
});

/**
 * One dialog or its documented error as a value; other failures (auth, outage…) stay thrown, so
 * they become GraphQL errors at this field's path.
 */
export function loadDialogResult(
  loader: DialogLoader,
  id: string,
  people?: PeopleWanted,
): Promise<Dialog | DialogLookupFailure> {
  return loader.load(id, people).catch((error: unknown) => {
    if (isDialogLookupFailure(error)) return error;
    throw error;
  });
}

/**
 * Loads a dialog with the people the operation will ask of it planned into its call. A private
 * dialog asked by user id has its other person known up front: that user is asked now, so the
 * lookup rides in the same call as the dialog.
 */
function loadWithPeople(
  context: RequestContext,
  id: string,
  info: GraphQLResolveInfo,
): Promise<Dialog | DialogLookupFailure> {
  const people = peopleWanted(info);
  if (people.counterpart && /^\s*\d+\s*$/.test(id)) {
    // Read later by `counterpart` or `title` from the loader's cache; failures are told there.
    context
      .users()
      .load(id)
      .catch(() => undefined);
  }
  return loadDialogResult(context.dialogs(), id, people);
}

builder.queryType({
  description:
    'Read Bitrix24 dialogs as the caller (the webhook’s user, or the user whose token the request carries).',
  fields: (t) => ({
    dialog: t.field({
      type: DialogResult,
      // Nullable so that an upstream failure nulls only this field: sibling fields still resolve.
      nullable: true,
      description:
        'One dialog by its id: `chatNNN` (a chat), `sgNNN` (a workgroup’s chat) or `NNN` (the private dialog with user NNN). Reading is not always free of side effects on the portal: `sgNNN` may create the workgroup’s chat on first use, and `NNN` the private chat between the caller and that user. Null, with an error, only when the portal could not be asked (auth, rate limit, outage).',
      args: {
        id: t.arg.id({
          required: true,
          description:
            'The dialog id: `chat21191`, `sg103` or `256`, in any letter case; leading zeros and surrounding spaces are ignored. `Dialog.id` answers its one canonical spelling.',
        }),
      },
      resolve: (_root, { id }, context, info) => loadWithPeople(context, id, info),
    }),
    dialogs: t.field({
      type: [DialogResult],
      nullable: { list: true, items: true },
      description: `Many dialogs at once: one result per id, in the order asked (duplicates allowed). At most ${MAX_DIALOG_IDS} ids; costs ⌈distinct ids ÷ 50⌉ Bitrix24 calls. An item is null, with an error at its index, only when the portal could not be asked for it.`,
      args: {
        ids: t.arg.idList({
          required: true,
          description: `The dialog ids, as for \`dialog(id:)\`; at most ${MAX_DIALOG_IDS}.`,
        }),
      },
      resolve: (_root, { ids }, context, info) => {
        if (ids.length > MAX_DIALOG_IDS) {
          // The client's own mistake, told as it is (yoga never masks a GraphQLError).
          throw new GraphQLError(
            `dialogs(ids:) takes at most ${MAX_DIALOG_IDS} ids; got ${ids.length}.`,
            { extensions: { code: 'BAD_USER_INPUT' } },
          );
        }
        return ids.map((id) => loadWithPeople(context, id, info));
      },
    }),
  }),
});
