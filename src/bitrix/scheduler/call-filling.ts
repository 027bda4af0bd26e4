import { MAX_BATCH_COMMANDS } from '../batch.js';
import { lookupKey, type Lookup } from './lookup.js';

/**
 * The request a lookup belongs to: each GraphQL request hands its lookups its own signal (its
 * deadline and its client going away); a lookup without one is a request of its own.
 */
function requestOf(lookup: Lookup): object {
  return lookup.request.signal ?? lookup;
}

/** One request's distinct ids in arrival order, and how far its turns have got. */
interface RequestLine {
  readonly ids: string[];
  next: number;
}

/**
 * How one caller's waiting lookups fill its calls, in the order the calls will leave: up to 50
 * distinct ids each, every lookup of a chosen id goes with it (asked once).
 *
 * All requests of one caller identity (in webhook mode: every client of the deployment) share
 * its calls fairly: lookups going again after a failure first (they left together and go again
 * together), then the requests take turns, one id each, round robin, in order of arrival. A
 * client's ten 200-id loops fill a call with ten ids each, while another client's single dialog
 * still takes one of the 50 places of the next call.
 *
 * `isReady` leaves lookups out (backoff after a failure); `maxCalls` stops early (the scheduler
 * needs one call, the pacing estimate all of them); `maxIdsPerCall` makes calls smaller (what the
 * method-time budget can still carry, or half a call that met an unreadable chat). `left` is every lookup not planned, in order.
 */
export function planCalls(
  waiting: readonly Lookup[],
  isReady: (lookup: Lookup) => boolean,
  maxCalls = Number.POSITIVE_INFINITY,
  maxIdsPerCall = MAX_BATCH_COMMANDS,
): { calls: Lookup[][]; left: Lookup[] } {
  const callSize = Math.max(1, Math.min(MAX_BATCH_COMMANDS, maxIdsPerCall));
  const lookupsOf = new Map<string, Lookup[]>();
  const retriedIds: string[] = [];
  const lines = new Map<object, RequestLine>();
  for (const lookup of waiting) {
    if (!isReady(lookup)) continue;
    const id = lookupKey(lookup.request);
    const same = lookupsOf.get(id);
    if (same) {
      same.push(lookup);
      continue;
    }
    lookupsOf.set(id, [lookup]);
    if (lookup.retried) {
      retriedIds.push(id);
      continue;
    }
    const key = requestOf(lookup);
    const line = lines.get(key) ?? { ids: [], next: 0 };
    lines.set(key, line);
    line.ids.push(id);
  }
  const planned = new Set<string>();
  const calls: Lookup[][] = [];
  let rotation = [...lines.values()];
  let turn = 0;
  let retriedNext = 0;
  while (calls.length < maxCalls) {
    const ids: string[] = [];
    const add = (id: string) => {
      if (planned.has(id)) return false;
      planned.add(id);
      ids.push(id);
      return true;
    };
    while (ids.length < callSize && retriedNext < retriedIds.length)
      add(retriedIds[retriedNext++]!);
    // One id per request per round; a round in which no request has an id left ends the call.
    let idle = 0;
    while (ids.length < callSize && rotation.length > 0 && idle < rotation.length) {
      const line = rotation[turn % rotation.length]!;
      turn = (turn + 1) % rotation.length;
      let added = false;
      while (line.next < line.ids.length && !added) added = add(line.ids[line.next++]!);
      idle = added ? 0 : idle + 1;
    }
    if (ids.length === 0) break;
    calls.push(ids.flatMap((id) => lookupsOf.get(id)!));
    // The next call goes on from the request whose turn is next; requests with nothing left drop out.
    rotation = [...rotation.slice(turn), ...rotation.slice(0, turn)].filter(
      (line) => line.next < line.ids.length,
    );
    turn = 0;
  }
  const inCalls = new Set(calls.flat());
  return { calls, left: waiting.filter((lookup) => !inCalls.has(lookup)) };
}
