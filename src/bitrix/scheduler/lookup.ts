import { callerIdentity, type Credentials } from '../credentials.js';
import { Bitrix24Error } from '../errors.js';

export const DIALOG_METHOD = 'im.dialog.get';
export const USER_METHOD = 'im.user.list.get';

export type LookupMethod = typeof DIALOG_METHOD | typeof USER_METHOD;

/**
 * The people of a dialog to read in the dialog's own call, through `$result[…]` references to its
 * command (docs/bitrix24-api.md, "batch"): planned by looking ahead in the GraphQL operation.
 */
export interface PeoplePlan {
  readonly owner: boolean;
  readonly managers: boolean;
}

/**
 * One thing asked for by one GraphQL request, under its caller's credentials: a dialog
 * (`im.dialog.get`), or a user (`im.user.list.get`). Lookups of one caller share calls whatever
 * their method; they are deduplicated by method + key (`lookupKey`).
 */
export interface DialogLookupRequest {
  readonly credentials: Credentials;
  /** Which method answers it; `im.dialog.get` when absent. */
  readonly method?: LookupMethod | undefined;
  /**
   * The lookup's key: the DIALOG_ID to send (already checked against the portal's grammar), or for
   * `im.user.list.get` the user id (a positive integer).
   */
  readonly dialogId: string;
  /** For a dialog: its people to read in the same call, by reference. */
  readonly people?: PeoplePlan | undefined;
  /** Epoch ms by which the request must have its answer. */
  readonly deadline: number;
  /** The request's deadline and its client going away. */
  readonly signal?: AbortSignal | undefined;
  /** Told of each HTTP call that carried this lookup (the request log counts them). */
  readonly onCall?: (() => void) | undefined;
  /** The request's trace context (tracing): opaque here, read by SchedulerEvents.aroundCall. */
  readonly traceContext?: unknown;
}

/** What the request's loaders hand their lookups to: the upstream scheduler, or a stand-in. */
export interface DialogLookups {
  lookupDialog(request: DialogLookupRequest): Promise<unknown>;
}

/** The method that answers a lookup (`im.dialog.get` unless it says otherwise). */
export function methodOf(request: DialogLookupRequest): LookupMethod {
  return request.method ?? DIALOG_METHOD;
}

/** What deduplicates lookups: the method and its key (`im.dialog.get 5` is not `im.user.list.get 5`). */
export function lookupKey(request: DialogLookupRequest): string {
  return `${methodOf(request)} ${request.dialogId}`;
}

/**
 * A dialog's answer with the people its call also read (by reference): raw `im.user.list.get`
 * entries by user id, `null` for one the caller may not see. A lookup without a plan may get one too
 * (it shared the command of one that had a plan).
 */
export class DialogAnswer {
  constructor(
    readonly raw: unknown,
    readonly people: ReadonlyMap<string, unknown>,
  ) {}
}

export interface Lookup {
  readonly request: DialogLookupRequest;
  readonly identity: string;
  readonly enqueuedAt: number;
  /** Arrival order among all lookups of this portal. */
  readonly arrival: number;
  /** Failed attempts that count against the retry policy. */
  attempts: number;
  /** Not before this epoch ms (backoff after a failure). */
  readyAt: number;
  /** Went out once already: no lingering for company when it goes again. */
  retried: boolean;
  /** The last failure of a call that carried it: what it answers if its deadline comes first. */
  lastError: Bitrix24Error | undefined;
  settled: boolean;
  call: InFlightCall | undefined;
  resolve(result: unknown): void;
  reject(error: Error): void;
  onAbort(): void;
}

export interface InFlightCall {
  readonly lookups: readonly Lookup[];
  readonly controller: AbortController;
}

/** Lookups of one caller identity, in arrival order (those that go again come first). */
export interface CallerQueue {
  readonly identity: string;
  readonly credentials: Credentials;
  waiting: Lookup[];
  lastArrivalAt: number;
}

export const pacingDeadline = () =>
  new Bitrix24Error({
    failure: 'rate-limited',
    code: 'PACING_DEADLINE',
    message: "The portal's rate budget would not allow this lookup before the request's deadline",
    retryable: false,
    local: true,
  });
export const queueFull = () =>
  new Bitrix24Error({
    failure: 'rate-limited',
    code: 'PACING_QUEUE_FULL',
    message: "Too many dialog lookups are already waiting for the portal's rate budget",
    retryable: false,
    local: true,
  });
/** The method-time budget cannot serve the lookup before its deadline; `retryAt`: when it can. */
export const methodTimeSpent = (retryAt?: number) =>
  new Bitrix24Error({
    failure: 'rate-limited',
    code: 'OPERATION_TIME_LIMIT',
    message: "The portal's method-time budget for im.dialog.get is spent until its window moves on",
    retryable: false,
    local: true,
    retryAt,
  });
export const storeFailed = () =>
  new Bitrix24Error({
    failure: 'unavailable',
    code: 'PACING_STORE_ERROR',
    message: 'The rate budget store is unavailable',
    local: true,
  });

/** Method time is counted per app or webhook × method: every OAuth caller of ours is the same app. */
export function budgetKeyOf(credentials: Credentials, portal: string, method: string): string {
  return credentials.kind === 'webhook'
    ? `${callerIdentity(credentials)}|${method}`
    : `oauth:${portal}|${method}`;
}
