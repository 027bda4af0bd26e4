import { GraphQLError } from 'graphql';
import { AccessError, DialogIdEmptyError, DialogLookupError, type Bitrix24Error, type FailureClass } from '../bitrix/errors.js';
import { builder } from './builder.js';

export const ErrorInterface = builder.interfaceRef<DialogLookupError>('Error').implement({
  description: 'A documented Bitrix24 error about one dialog, answered in place of the dialog.',
  fields: (t) => ({
    message: t.exposeString('message', { description: 'What went wrong, as the portal (or this server) put it.' }),
    code: t.exposeString('code', { description: 'The Bitrix24 error code, e.g. `ACCESS_ERROR`.' }),
  }),
});

builder.objectType(DialogIdEmptyError, {
  name: 'DialogIdEmptyError',
  description: 'Bitrix24 `DIALOG_ID_EMPTY`: the id is empty, blank, or in no known format (`chatNNN`, `sgNNN`, `NNN`). Answered without asking the portal when the id is visibly malformed.',
  interfaces: [ErrorInterface],
});

builder.objectType(AccessError, {
  name: 'AccessError',
  description: 'Bitrix24 `ACCESS_ERROR`: the caller may not read this dialog, or it does not exist (the portal does not tell the two apart).',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    dialogId: t.exposeID('dialogId', { description: 'The dialog id that was asked for.' }),
  }),
});

/** The GraphQL `extensions.code` for each failure class a client may act on. */
const PUBLIC_CODES: Partial<Record<FailureClass, { code: string; advice: string }>> = {
  unauthenticated: { code: 'UNAUTHENTICATED', advice: 'Bitrix24 did not accept the credentials; send a valid (refreshed) access token' },
  forbidden: { code: 'FORBIDDEN', advice: 'Bitrix24 refused the call: the app, webhook or user lacks the rights or the `im` scope' },
  'rate-limited': { code: 'UPSTREAM_RATE_LIMITED', advice: "The portal's rate budget is spent; try again later" },
  unavailable: { code: 'UPSTREAM_UNAVAILABLE', advice: 'The Bitrix24 portal is unavailable or answered something unreadable; try again later' },
  timeout: { code: 'UPSTREAM_TIMEOUT', advice: 'The Bitrix24 portal did not answer in time; try again later' },
  // Nobody reads this answer (its client left); the code keeps it apart from a slow portal in logs.
  cancelled: { code: 'CLIENT_CLOSED_REQUEST', advice: 'The request was cancelled by its client' },
};

/**
 * The error a client sees for a failed upstream call, or undefined when the failure is ours to fix
 * (then the caller masks it). Keeps the path and locations of the field that failed.
 */
export function publicUpstreamError(error: Bitrix24Error, located?: GraphQLError): GraphQLError | undefined {
  const mapped = PUBLIC_CODES[error.failure];
  if (!mapped) return undefined;
  return new GraphQLError(`${mapped.advice} (${error.code}).`, {
    ...(located ? { nodes: located.nodes, source: located.source, positions: located.positions, path: located.path } : {}),
    extensions: { code: mapped.code, upstreamCode: error.code },
  });
}

/**
 * A documented per-dialog error where no union can carry it (federation `_entities`): a GraphQL error
 * with the Bitrix24 code, at the failed item's path.
 */
export function publicLookupError(error: DialogLookupError, located?: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    ...(located ? { nodes: located.nodes, source: located.source, positions: located.positions, path: located.path } : {}),
    extensions: { code: error.code, ...(error instanceof AccessError && error.dialogId !== '' ? { dialogId: error.dialogId } : {}) },
  });
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED' } });
}

export function badUserInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}
