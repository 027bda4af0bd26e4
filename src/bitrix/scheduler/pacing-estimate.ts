import { planCalls } from './call-filling.js';
import type { CallerOrder } from './caller-order.js';
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
 * The waiting lookups the budget cannot send before their deadline: each caller's lookups fill
 * its calls as `planCalls` fills them, the callers' calls take the slots `order` gives them
 * (accepted callers first, round robin), one slot per interval from the next free one, and an
 * answer needs about as long as recent calls took.
 */
export function lookupsOutOfTime(
  queues: readonly CallerQueue[],
  order: CallerOrder,
  outlook: PacingOutlook,
): Lookup[] {
  const plans = new Map<CallerQueue, Lookup[][]>();
  const callsOf = new Map<string, number>();
  for (const queue of queues) {
    // Lookups in backoff are counted as if ready: their own readyAt is added below.
    const { calls } = planCalls(queue.waiting, () => true);
    plans.set(queue, calls);
    callsOf.set(queue.identity, calls.length);
  }
  const slots = order.slots(callsOf);
  const hopeless: Lookup[] = [];
  for (const [queue, calls] of plans) {
    const mine = slots.get(queue.identity) ?? [];
    calls.forEach((call, index) => {
      const position = mine[index] ?? index + 1;
      for (const lookup of call) {
        const leavesAt =
          Math.max(outlook.nextSlotAt, lookup.readyAt) + (position - 1) * outlook.intervalMs;
        if (leavesAt + outlook.answerMs > lookup.request.deadline) hopeless.push(lookup);
      }
    });
  }
  return hopeless;
}
