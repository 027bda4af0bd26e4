import { GraphQLError } from 'graphql';
import {
  AccessError,
  type Bitrix24Error,
  type DialogLookupError,
  type FailureClass,
  UnreadableDialogError,
} from '../../bitrix/errors.js';

/*
 * The error policy: which failures a client is told about, with which `extensions.code`, and the
 * GraphQL errors this server raises itself. Everything else is masked (error-masking.ts).
 */

/** The GraphQL `extensions.code` for each failure class a client may act on. */
const PUBLIC_CODES: Partial<Record<FailureClass, { code: string; advice: string }>> = {
  unauthenticated: {
    code: 'UNAUTHENTICATED',
    advice: 'Bitrix24 did not accept the credentials; send a valid (refreshed) access token',
  },
  forbidden: {
    code: 'FORBIDDEN',
    advice:
      'Bitrix24 refused the call: the app, webhook or user lacks the rights or the `im` scope',
  },
  'rate-limited': {
    code: 'UPSTREAM_RATE_LIMITED',
    advice: "The portal's rate budget is spent; try again later",
  },
  unavailable: {
    code: 'UPSTREAM_UNAVAILABLE',
    advice: 'The Bitrix24 portal is unavailable or answered something unreadable; try again later',
  },
  timeout: {
    code: 'UPSTREAM_TIMEOUT',
    advice: 'The Bitrix24 portal did not answer in time; try again later',
  },
  // Nobody reads this answer (its client left); the code keeps it apart from a slow portal in logs.
  cancelled: { code: 'CLIENT_CLOSED_REQUEST', advice: 'The request was cancelled by its client' },
};

/** Advice more precise than its class's, for codes whose fix is known. */
const CODE_ADVICE: Readonly<Record<string, string>> = {
  INVALID_CREDENTIALS:
    'Bitrix24 knows no active webhook with this user and secret (wrong, or the webhook was deleted); check the webhook URL this server is configured with',
  expired_token: 'The Bitrix24 access token has expired; refresh it and send the new one',
  // A redirect or a 404 without a Bitrix24 code: nothing REST-like at the portal URL.
  ...Object.fromEntries(
    ['HTTP_301', 'HTTP_302', 'HTTP_303', 'HTTP_307', 'HTTP_308', 'HTTP_404'].map((code) => [
      code,
      'The Bitrix24 portal URL does not lead to the REST API (a redirect, or nothing found there); check the portal address this server is configured with or the portal named',
    ]),
  ),
  INVALID_REQUEST:
    'Bitrix24 refused the request at its auth layer ("Https required." for a webhook called over http://); configure the portal or webhook URL with https://',
  ERROR_CORE: 'The Bitrix24 portal failed inside the method; try again later',
  WRONG_ENCODING:
    'The Bitrix24 portal could not encode its answer (a stored text that is not valid UTF-8)',
  PORTAL_ADDRESS_REFUSED:
    "The portal's name resolves to an address this server does not call (private, loopback, link-local or another non-public range); nothing was sent to it",
};

/**
 * The error a client sees for a failed upstream call, or undefined when the failure is ours to fix
 * (then the caller masks it). Keeps the path and locations of the field that failed.
 */
export function publicUpstreamError(
  error: Bitrix24Error,
  located?: GraphQLError,
): GraphQLError | undefined {
  const mapped = PUBLIC_CODES[error.failure];
  if (!mapped) return undefined;
  const advice =
    (Object.hasOwn(CODE_ADVICE, error.code) ? CODE_ADVICE[error.code] : undefined) ?? mapped.advice;
  return new GraphQLError(`${advice} (${error.code}).`, {
    ...(located
      ? {
          nodes: located.nodes ?? null,
          source: located.source,
          positions: located.positions,
          path: located.path,
        }
      : {}),
    extensions: {
      code: mapped.code,
      upstreamCode: error.code,
      // When the budget has room again: seconds from now, so a client need not trust our clock.
      ...(error.retryAt !== undefined
        ? { retryAfter: Math.max(1, Math.ceil((error.retryAt - Date.now()) / 1000)) }
        : {}),
    },
  });
}

/**
 * A documented per-dialog error where no union can carry it (federation `_entities`): a GraphQL error
 * with the Bitrix24 code, at the failed item's path.
 */
export function publicLookupError(error: DialogLookupError, located?: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    ...(located
      ? {
          nodes: located.nodes ?? null,
          source: located.source,
          positions: located.positions,
          path: located.path,
        }
      : {}),
    extensions: {
      code: error.code,
      ...((error instanceof AccessError || error instanceof UnreadableDialogError) &&
      error.dialogId !== ''
        ? { dialogId: error.dialogId }
        : {}),
    },
  });
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED' } });
}

/** The request itself is incomplete (a header the mode needs is missing): no upstream call is made. */
export function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_REQUEST' } });
}

/** The request asks for something this server will not do (a portal outside BITRIX24_PORTALS), with why. */
export function forbidden(message: string, reason: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', reason } });
}
