import { MAX_BATCH_COMMANDS } from '../batch.js';
import { lookupKey, type CallerQueue } from './lookup.js';

/**
 * How long lookups of one caller may wait for company before leaving, when the budget would let
 * them go at once: until the caller has been quiet for `quietMs`, at most `maxLingerMs` after the
 * oldest arrived, or at once when 50 distinct ids are waiting (a full batch).
 */
export interface BatchWindow {
  readonly quietMs: number;
  readonly maxLingerMs: number;
}

/** The window for `BITRIX24_BATCH_WINDOW_MS` of quiet: at most 50 ms, or 10 windows when longer. */
export function batchWindow(quietMs: number): BatchWindow {
  return { quietMs, maxLingerMs: Math.max(50, 10 * quietMs) };
}

/** 2 ms of quiet: one page's component queries arrive together; a lone request waits 2 ms. */
export const DEFAULT_BATCH_WINDOW: BatchWindow = batchWindow(2);

export interface LingerState {
  readonly window: BatchWindow;
  /** The last arrival the caller's most recent call could have taken, while that call is out. */
  readonly lastTakenArrival: number | undefined;
  /** Whether requests received but not yet executing may still add lookups. */
  readonly moreLookupsComing?: (() => boolean) | undefined;
}

/**
 * When a caller's ready lookups stop waiting for company: at once for a full batch or lookups
 * going again; otherwise when the caller has been quiet for the window and the server has no
 * request left on its way to a resolver, and lookups that arrived after this caller's last call
 * left wait for that call to come back (as Nagle's algorithm does); never later than the
 * window's cap after the oldest arrived.
 */
export function lingerEnds(queue: CallerQueue, now: number, state: LingerState): number {
  const ids = new Set<string>();
  let oldest = Number.POSITIVE_INFINITY;
  let firstArrival = Number.POSITIVE_INFINITY;
  let notReadyUntil = Number.POSITIVE_INFINITY;
  for (const lookup of queue.waiting) {
    if (lookup.readyAt > now) {
      notReadyUntil = Math.min(notReadyUntil, lookup.readyAt);
      continue;
    }
    if (lookup.retried) return now;
    ids.add(lookupKey(lookup.request));
    if (ids.size >= MAX_BATCH_COMMANDS) return now;
    oldest = Math.min(oldest, lookup.enqueuedAt);
    firstArrival = Math.min(firstArrival, lookup.arrival);
  }
  if (ids.size === 0) return notReadyUntil;
  const cap = oldest + state.window.maxLingerMs;
  // Lookups left over when the last call took its 50 go at once; those that came after it wait.
  const lastTaken = state.lastTakenArrival;
  if (lastTaken !== undefined) return firstArrival > lastTaken ? cap : now;
  const quietEnds = queue.lastArrivalAt + state.window.quietMs;
  if (quietEnds > now) return Math.min(quietEnds, cap);
  // Quiet, but requests are still on their way to their resolvers: their lookups may join.
  if (state.moreLookupsComing?.()) return Math.min(now + state.window.quietMs, cap);
  return now;
}
