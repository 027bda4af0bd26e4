import { portalHost, type Credentials } from '../credentials.js';
import { Bitrix24Error } from '../errors.js';
import type { MethodTimeMirror } from '../method-time.js';
import {
  budgetKeyOf,
  DIALOG_METHOD,
  lookupKey,
  methodOf,
  type CallerQueue,
  type Lookup,
} from './lookup.js';

/**
 * Method time is counted per key × method, and the key depends on the call's shape
 * (docs/bitrix24-api.md, "Method time"): a single call spends its webhook's (or app's) budget, but
 * a `batch`'s commands carry only the app's client id, so a webhook's batched commands spend ONE
 * budget shared by every webhook of the portal. An app's key is the same either way.
 */
export function callBudgetKey(
  credentials: Credentials,
  portal: string,
  method: string,
  commands: number,
): string {
  if (credentials.kind === 'webhook' && commands > 1)
    return `webhooks-in-batch:${portalHost(credentials)}|${method}`;
  return budgetKeyOf(credentials, portal, method);
}

/** Distinct lookups (any method) ready now: what the caller's next call carries, at most 50. */
function readyLookupCount(queue: CallerQueue, now: number): number {
  const keys = new Set<string>();
  for (const lookup of queue.waiting)
    if (lookup.readyAt <= now) keys.add(lookupKey(lookup.request));
  return keys.size;
}

/** Distinct ids of `method` waiting in a caller's queue that are ready now, in queue order. */
function readyIds(queue: CallerQueue, now: number, method: string): string[] {
  const ids = new Set<string>();
  for (const lookup of queue.waiting)
    if (lookup.readyAt <= now && methodOf(lookup.request) === method)
      ids.add(lookup.request.dialogId);
  return [...ids];
}

export interface MethodTimeVerdict {
  /** Epoch ms from which the caller's next call may leave (at most now: at once). */
  readonly at: number;
  /** How many distinct ids that call may carry without passing the budget. */
  readonly maxIds: number;
  /** Lookups the budget cannot serve before their deadline: answer them now. */
  readonly hopeless: ReadonlyArray<{ lookup: Lookup; retryAt: number }>;
}

/**
 * What the method-time budget allows a caller's next call: as many ids as fit now (a call never
 * takes the window past the budget), and, when the budget binds, which waiting lookups it cannot
 * serve before their deadlines (the k-th distinct id needs room for k commands): those are answered
 * at once with when to retry, instead of queueing into a block.
 */
export function methodTimeVerdict(
  methodTime: MethodTimeMirror,
  queue: CallerQueue,
  portal: string,
  method: string,
  now: number,
  maxCommands: number,
  /** What a call takes to come back: a lookup served at `retryAt` is answered that much later. */
  answerMs = 0,
): MethodTimeVerdict {
  if (!methodTime.enabled) return { at: 0, maxIds: maxCommands, hopeless: [] };
  const ids = readyIds(queue, now, method);
  // Nothing of this method waits: its budget holds nothing back (the other method's may).
  if (ids.length === 0 && method !== DIALOG_METHOD)
    return { at: 0, maxIds: maxCommands, hopeless: [] };
  const wanted = Math.max(1, Math.min(ids.length, maxCommands));
  // The call's shape (single or batch) decides the key, and a call carries both methods' lookups.
  const callSize = Math.min(readyLookupCount(queue, now), maxCommands);
  const key = callBudgetKey(queue.credentials, portal, method, Math.max(wanted, callSize));
  const cost = (commands: number) => commands * methodTime.commandSeconds(method);
  const maxIds = affordable((commands) => methodTime.notBefore(key, cost(commands)) <= now, wanted);
  // Every id of this method fits: it limits the call no further (the other method's ids share it).
  if (maxIds >= Math.min(ids.length, maxCommands) && maxIds > 0)
    return { at: 0, maxIds: maxCommands, hopeless: [] };
  const at = maxIds > 0 ? 0 : methodTime.notBefore(key, cost(1));
  // The budget binds: when could each waiting id go? The k-th needs room for k commands.
  const positions = new Map(ids.map((id, index) => [id, index + 1]));
  const hopeless: Array<{ lookup: Lookup; retryAt: number }> = [];
  for (const lookup of queue.waiting) {
    if (methodOf(lookup.request) !== method) continue;
    const position = positions.get(lookup.request.dialogId);
    if (position === undefined) continue;
    const retryAt = methodTime.notBefore(key, cost(position));
    if (retryAt + answerMs > lookup.request.deadline) hopeless.push({ lookup, retryAt });
  }
  return { at, maxIds, hopeless };
}

/**
 * Each method has its own method-time budget (the portal keys it by method), and one call may
 * carry lookups of both: the call leaves when both budgets allow it, carries no more than the
 * tighter one affords, and the lookups either budget cannot serve in time are answered at once.
 */
export function combinedVerdict(verdicts: readonly MethodTimeVerdict[]): MethodTimeVerdict {
  return {
    at: Math.max(0, ...verdicts.map((verdict) => verdict.at)),
    maxIds: Math.min(...verdicts.map((verdict) => verdict.maxIds)),
    hopeless: verdicts.flatMap((verdict) => verdict.hopeless),
  };
}

/** The largest count in 0..max that `fits` (fits is monotone: fewer commands cost less). */
function affordable(fits: (commands: number) => boolean, max: number): number {
  let low = 0;
  let high = max;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The portal's own OPERATION_TIME_LIMIT, told when the budget will have room (`at`, epoch ms). */
export function withRetryAt(error: Bitrix24Error, at: number): Bitrix24Error {
  if (!(at > 0)) return error;
  return new Bitrix24Error({
    failure: error.failure,
    code: error.code,
    message: error.message,
    status: error.status,
    retryable: error.retryable,
    local: error.local,
    retryAt: at,
  });
}
