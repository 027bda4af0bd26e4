/**
 * Typed errors of the Bitrix24 REST API.
 *
 * Two families, kept apart on purpose:
 * - `DialogLookupError`: the documented errors of `im.dialog.get` about one dialog. They are answers,
 *   not failures: the schema turns them into members of the `DialogResult` union.
 * - `Bitrix24Error`: everything that stops us from getting an answer (auth, rate limit, outage…).
 *   Each carries a `failure` class that decides retries and the GraphQL `extensions.code`.
 *
 * No error here ever holds a URL, a request, a token or a got error object: only the Bitrix24 code,
 * the HTTP status and fixed text, so logging or serialising one cannot leak a secret.
 */

/** A documented per-dialog error of `im.dialog.get`; `code` is the Bitrix24 error code. */
export abstract class DialogLookupError extends Error {
  abstract readonly code: string;
}

export class DialogIdEmptyError extends DialogLookupError {
  readonly code = 'DIALOG_ID_EMPTY';
  constructor(message = "Dialog ID can't be empty") {
    super(message);
    this.name = 'DialogIdEmptyError';
  }
}

export class AccessError extends DialogLookupError {
  readonly code = 'ACCESS_ERROR';
  constructor(
    readonly dialogId: string,
    message = 'You do not have access to the specified dialog',
  ) {
    super(message);
    this.name = 'AccessError';
  }
}

/**
 * The portal cannot encode this dialog's answer (`WRONG_ENCODING`: a stored text that is not valid
 * UTF-8). It fails every answer the chat is part of, so the server finds the chat by splitting the
 * batch, answers it with this, and the other dialogs as usual.
 */
export class UnreadableDialogError extends DialogLookupError {
  readonly code = 'WRONG_ENCODING';
  constructor(
    readonly dialogId: string,
    message = 'The portal cannot encode this dialog (a stored text is not valid UTF-8)',
  ) {
    super(message);
    this.name = 'UnreadableDialogError';
  }
}

/** A user id that is no positive integer: answered here, without asking the portal. */
export class UserIdInvalidError extends DialogLookupError {
  readonly code = 'INVALID_FORMAT';
  constructor(
    readonly userId: string,
    message = 'A user id is a positive integer',
  ) {
    super(message);
    this.name = 'UserIdInvalidError';
  }
}

/** `im.user.list.get` answered null: no such user, or one the caller may not see. */
export class UserNotFoundError extends DialogLookupError {
  readonly code = 'USER_NOT_FOUND';
  constructor(
    readonly userId: string,
    message = 'There is no user with this id that the caller may see',
  ) {
    super(message);
    this.name = 'UserNotFoundError';
  }
}

export type UserLookupFailure = UserIdInvalidError | UserNotFoundError;

export function isUserLookupFailure(error: unknown): error is UserLookupFailure {
  return error instanceof UserIdInvalidError || error instanceof UserNotFoundError;
}

/** The documented per-dialog answers a lookup can give instead of a dialog. */
export type DialogLookupFailure = DialogIdEmptyError | AccessError | UnreadableDialogError;

export function isDialogLookupFailure(error: unknown): error is DialogLookupFailure {
  return (
    error instanceof DialogIdEmptyError ||
    error instanceof AccessError ||
    error instanceof UnreadableDialogError
  );
}

/**
 * Why a call failed, from the caller's point of view:
 * - `unauthenticated`: the token or webhook is missing, wrong, revoked or expired: the caller (or, for a
 *   webhook, whoever configured it) must fix it;
 * - `forbidden`: authenticated, but the app/webhook/user/plan may not use this method;
 * - `rate-limited`: the portal's request or method-time budget is spent: later may work;
 * - `unavailable`: the portal (or a proxy in front of it) is down, overloaded or answered garbage;
 * - `timeout`: no complete answer within our per-attempt time limit;
 * - `protocol`: the portal refused the request itself (unknown method, malformed batch…): a bug or
 *   a misconfiguration on our side, never shown to clients in detail;
 * - `cancelled`: our own client went away before the answer came: nobody is left to tell.
 */
export type FailureClass =
  | 'unauthenticated'
  | 'forbidden'
  | 'rate-limited'
  | 'unavailable'
  | 'timeout'
  | 'protocol'
  | 'cancelled';

export interface Bitrix24ErrorOptions {
  readonly failure: FailureClass;
  /** The Bitrix24 error code (`QUERY_LIMIT_EXCEEDED`, `expired_token`…) or a transport code of ours. */
  readonly code: string;
  readonly message: string;
  /** The HTTP status of the answer, when there was one. */
  readonly status?: number | undefined;
  /** Whether trying the same call again later can succeed; by default, by the failure class. */
  readonly retryable?: boolean | undefined;
  /** Raised here without asking the portal (pacing, deadlines, a paused method): nothing to log. */
  readonly local?: boolean;
  /** Epoch ms from which the same lookup may succeed (the method-time budget has room again). */
  readonly retryAt?: number | undefined;
}

export class Bitrix24Error extends Error {
  readonly failure: FailureClass;
  readonly code: string;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly local: boolean;
  readonly retryAt: number | undefined;

  constructor({
    failure,
    code,
    message,
    status,
    retryable,
    local = false,
    retryAt,
  }: Bitrix24ErrorOptions) {
    super(message);
    this.name = 'Bitrix24Error';
    this.failure = failure;
    this.code = code;
    this.status = status;
    this.retryable =
      retryable ??
      (failure === 'rate-limited' || failure === 'unavailable' || failure === 'timeout');
    this.local = local;
    this.retryAt = retryAt;
  }
}

/**
 * Codes whose meaning does not depend on the HTTP status they came with. The portal answers every
 * auth-layer refusal with 401, whatever the docs print, so the code decides between "fix the
 * credentials", "grant rights" and "try again".
 */
const KNOWN_CODES: Readonly<Record<string, { failure: FailureClass; retryable?: boolean }>> = {
  NO_AUTH_FOUND: { failure: 'unauthenticated' },
  expired_token: { failure: 'unauthenticated' },
  invalid_token: { failure: 'unauthenticated' },
  // A webhook's user/secret that matches no active webhook: wrong, or revoked (measured; not "lacks rights").
  INVALID_CREDENTIALS: { failure: 'unauthenticated' },
  authorization_error: { failure: 'unauthenticated' },
  // The app the token was issued to is gone from the portal.
  APPLICATION_NOT_FOUND: { failure: 'unauthenticated' },
  // The portal could not reach its auth server: nothing is wrong with the credentials.
  CONNECTION_ERROR: { failure: 'unavailable' },
  insufficient_scope: { failure: 'forbidden' },
  ACCESS_DENIED: { failure: 'forbidden' },
  user_access_error: { failure: 'forbidden' },
  QUERY_LIMIT_EXCEEDED: { failure: 'rate-limited' },
  // The method-time budget resets only at `operating_reset_at` (minutes away): retrying soon is useless.
  OPERATION_TIME_LIMIT: { failure: 'rate-limited', retryable: false },
  // REST switched off by hand for overload: the docs say not to retry.
  OVERLOAD_LIMIT: { failure: 'unavailable', retryable: false },
  INTERNAL_SERVER_ERROR: { failure: 'unavailable' },
  ERROR_UNEXPECTED_ANSWER: { failure: 'unavailable' },
  PORTAL_DELETED: { failure: 'unavailable', retryable: false },
  ERROR_METHOD_NOT_FOUND: { failure: 'protocol' },
  ERROR_BATCH_LENGTH_EXCEEDED: { failure: 'protocol' },
  ERROR_BATCH_METHOD_NOT_ALLOWED: { failure: 'protocol' },
  // "Https required." for a webhook called over http:// (401), or a malformed request: the
  // configuration's to fix, told as such (never masked as an internal error).
  INVALID_REQUEST: { failure: 'unauthenticated', retryable: false },
  // The portal failed inside the method ("SQL query error!"): 500 alone, no status inside a batch.
  ERROR_CORE: { failure: 'unavailable' },
  // The whole answer could not be encoded (HTTP 200): one chat of the call is unreadable. The
  // scheduler splits the call to find it; retrying the same call gives the same answer.
  WRONG_ENCODING: { failure: 'unavailable', retryable: false },
};

/** The failure an HTTP status means when the answer carries no Bitrix24 error code. */
export function failureForStatus(status: number | undefined): FailureClass {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 429) return 'rate-limited';
  if (status === 408 || status === 504) return 'timeout';
  if (status !== undefined && status >= 500) return 'unavailable';
  return 'protocol';
}

/**
 * The descriptions the portal is known to send with the documented per-dialog errors
 * (docs/bitrix24-api.md, "Errors of im.dialog.get"). Only these are passed on as a member's
 * `message`; anything else is replaced by our documented text. Portal text is never trusted
 * further: a portal or a proxy may echo the request into it, access token included, and the
 * message reaches the client and may reach logs.
 */
const KNOWN_DESCRIPTIONS: Readonly<Record<string, readonly string[]>> = {
  DIALOG_ID_EMPTY: ["Dialog ID can't be empty"],
  ACCESS_ERROR: [
    'You do not have access to the specified dialog',
    "You don't have access to this chat",
  ],
};

/** A Bitrix24 error code looks like one (`QUERY_LIMIT_EXCEEDED`, `expired_token`); anything else is replaced. */
const CODE_SHAPE = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
export const UNREADABLE_CODE = 'UNREADABLE_ERROR_CODE';

function knownDescription(code: string, description: unknown): string | undefined {
  return typeof description === 'string' && KNOWN_DESCRIPTIONS[code]?.includes(description)
    ? description
    : undefined;
}

/**
 * The typed error for a Bitrix24 error envelope `{error, error_description}`, classified by the
 * code first and the HTTP status second (as the REST docs advise: codes are stable, statuses vary
 * between portal versions). `status` is absent for a command's error inside a batch.
 *
 * The portal's `error_description` goes into no message unless it is one of the known texts above,
 * so what a portal echoes (a token, a URL with `auth=`) can reach neither a log nor a response.
 */
export function errorFromEnvelope(rawCode: string, description: unknown, status?: number): Error {
  const code = CODE_SHAPE.test(rawCode) ? rawCode : UNREADABLE_CODE;
  const known = knownDescription(code, description);
  if (code === 'DIALOG_ID_EMPTY') return new DialogIdEmptyError(known);
  // ACCESS_ERROR needs the dialog id, which only the caller knows: see `withDialogId`.
  if (code === 'ACCESS_ERROR') return new AccessError('', known);
  const classified = KNOWN_CODES[code];
  const failure = classified?.failure ?? failureForStatus(status);
  const answered =
    status === undefined
      ? `Bitrix24 answered ${code}`
      : `Bitrix24 answered ${code} (HTTP ${status})`;
  return new Bitrix24Error({
    failure,
    code,
    message: answered,
    status,
    retryable: classified?.retryable,
  });
}

/** Gives an `AccessError` the dialog id it was about. */
export function withDialogId(error: Error, dialogId: string): Error {
  return error instanceof AccessError ? new AccessError(dialogId, error.message) : error;
}
