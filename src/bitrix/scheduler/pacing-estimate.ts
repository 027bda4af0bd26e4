import { MAX_BATCH_COMMANDS } from '../batch.js';
import type { CallerQueue, Lookup } from './lookup.js';

export interface PacingOutlook {
  /** Epoch ms when the bucket mirror next has room. */
  readonly nextSlotAt: number;
  /** Milliseconds between slots after that (1 / rps). */
  readonly intervalMs: number;
  /** About how long a call takes to be answered (recent calls'). */
  readonly answerMs: number;
}

/**
 * The waiting lookups the budget cannot send before their deadline: the calls ahead of a lookup
 * (callers round robin, 50 distinct ids per call) leave one per interval from the next free slot,
 * and its answer needs about as long as recent calls took. `order` is the round-robin order of
 * the callers' identities.
 */
export function lookupsOutOfTime(
  queues: readonly CallerQueue[],
  order: readonly string[],
  outlook: PacingOutlook,
): Lookup[] {
  const callsOf = new Map<CallerQueue, number>();
  for (const queue of queues) {
    callsOf.set(
      queue,
      Math.ceil(
        new Set(queue.waiting.map((lookup) => lookup.request.dialogId)).size / MAX_BATCH_COMMANDS,
      ),
    );
  }
  const orderIndex = new Map(order.map((identity, index) => [identity, index]));
  const hopeless: Lookup[] = [];
  for (const queue of queues) {
    const myIndex = orderIndex.get(queue.identity) ?? 0;
    const callOfId = new Map<string, number>();
    for (const lookup of queue.waiting) {
      const id = lookup.request.dialogId;
      let call = callOfId.get(id);
      if (call === undefined) {
        call = Math.floor(callOfId.size / MAX_BATCH_COMMANDS) + 1;
        callOfId.set(id, call);
      }
      let position = call;
      for (const [other, calls] of callsOf) {
        if (other === queue) continue;
        // Callers ahead in the round get `call` turns before ours, those behind one fewer.
        const ahead = (orderIndex.get(other.identity) ?? 0) < myIndex;
        position += Math.min(calls, ahead ? call : call - 1);
      }
      const leavesAt =
        Math.max(outlook.nextSlotAt, lookup.readyAt) + (position - 1) * outlook.intervalMs;
      if (leavesAt + outlook.answerMs > lookup.request.deadline) hopeless.push(lookup);
    }
  }
  return hopeless;
}
