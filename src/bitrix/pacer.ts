import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { Bitrix24Error } from './errors.js';

/**
 * A portal refuses requests once its leaky bucket holds `burst` and drains `rps` per second
 * (bitrix24-rest.md: 50 and 2 on standard plans). We count with fixed windows (what
 * rate-limiter-flexible offers, in memory and in Redis alike): at most `points` calls per window of
 * `seconds`. Two back-to-back windows can burst 2 × points, so points ≤ burst / 2 keeps the portal's
 * bucket from ever overflowing, while points / seconds keeps the sustained rate at `rps`.
 * Windows are whole seconds because Redis expiry (`EX`) is.
 */
export function pacingWindow(rps: number, burst: number): { points: number; seconds: number } {
  const seconds = Math.max(1, Math.floor(burst / (2 * rps)));
  const points = Math.max(1, Math.min(Math.floor(rps * seconds), Math.floor(burst / 2)));
  return { points, seconds };
}

export function memoryLimiter(rps: number, burst: number): RateLimiterAbstract {
  const { points, seconds } = pacingWindow(rps, burst);
  return new RateLimiterMemory({ points, duration: seconds, keyPrefix: 'bitrix24-pacing' });
}

export interface PacerOptions {
  readonly rps: number;
  /** Callers that may wait per portal; one more is refused at once. */
  readonly maxQueue: number;
  /** The counter; a shared (Redis) one makes replicas share the portal's budget. */
  readonly limiter: RateLimiterAbstract;
  /** Told of each wait, for metrics. */
  readonly onQueueChange?: (portal: string, depth: number) => void;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

const queueFull = () =>
  new Bitrix24Error('rate-limited', 'PACING_QUEUE_FULL', "Too many calls are already waiting for the portal's rate budget", undefined, false);
const wouldMissDeadline = () =>
  new Bitrix24Error('rate-limited', 'PACING_DEADLINE', "The portal's rate budget would not allow this call before the request's deadline", undefined, false);

/**
 * Paces outbound calls per portal: callers queue first-in first-out instead of tripping
 * QUERY_LIMIT_EXCEEDED. A caller leaves the queue when its signal aborts (its request's deadline
 * passed or its client went away), and is refused at once when the queue is full or its deadline
 * cannot be met — rate-limiter-flexible's own RateLimiterQueue cannot drop a waiter, which is why
 * the queue is ours and the counting is the library's.
 */
export class Pacer {
  private readonly queues = new Map<string, Waiter[]>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Portals whose pump is running or sleeping until the next window. */
  private readonly pumping = new Set<string>();

  constructor(private readonly options: PacerOptions) {}

  /** Waiting callers for a portal. */
  depth(portal: string): number {
    return this.queues.get(portal)?.length ?? 0;
  }

  /**
   * Resolves when a call to `portal` may go out. `deadline` (epoch ms) lets a caller that could not
   * be served in time fail now instead of waiting to fail.
   */
  acquire(portal: string, signal?: AbortSignal, deadline?: number): Promise<void> {
    if (signal?.aborted) return Promise.reject(wouldMissDeadline());
    const queue = this.queues.get(portal) ?? [];
    if (queue.length >= this.options.maxQueue) return Promise.reject(queueFull());
    if (deadline !== undefined && queue.length > 0) {
      // The sustained rate is a floor on the wait of the n-th caller in line.
      const expectedWait = (queue.length / this.options.rps) * 1000;
      if (Date.now() + expectedWait > deadline) return Promise.reject(wouldMissDeadline());
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => this.leave(portal, waiter, wouldMissDeadline()),
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      queue.push(waiter);
      this.queues.set(portal, queue);
      this.options.onQueueChange?.(portal, queue.length);
      if (!this.pumping.has(portal)) {
        this.pumping.add(portal);
        void this.pump(portal);
      }
    });
  }

  private leave(portal: string, waiter: Waiter, error?: Error): void {
    const queue = this.queues.get(portal);
    const index = queue?.indexOf(waiter) ?? -1;
    if (!queue || index === -1) return;
    queue.splice(index, 1);
    waiter.signal?.removeEventListener('abort', waiter.onAbort);
    this.options.onQueueChange?.(portal, queue.length);
    if (error) waiter.reject(error);
    else waiter.resolve();
  }

  /** Lets waiters through while the budget allows; sleeps until the window ends when it does not. */
  private async pump(portal: string): Promise<void> {
    const queue = this.queues.get(portal);
    while (queue && queue.length > 0) {
      try {
        await this.options.limiter.consume(portal, 1);
      } catch (refusal) {
        if (refusal instanceof RateLimiterRes) {
          const timer = setTimeout(() => {
            this.timers.delete(portal);
            void this.pump(portal);
          }, Math.max(refusal.msBeforeNext, 10));
          this.timers.set(portal, timer);
          return;
        }
        // The counter's store failed: fail the waiters rather than send unpaced.
        for (const waiter of [...queue]) {
          this.leave(portal, waiter, new Bitrix24Error('unavailable', 'PACING_STORE_ERROR', 'The rate budget store is unavailable'));
        }
        break;
      }
      const head = queue[0];
      // The head may have left while we counted; its token is then spent on the next in line.
      if (head) this.leave(portal, head);
    }
    this.pumping.delete(portal);
  }

  /**
   * The portal answered QUERY_LIMIT_EXCEEDED: someone else (another app, another replica without
   * shared pacing) spends its budget too. The bucket needs about a second to drain room for `rps`
   * more calls, so we give up a second's worth of our own budget.
   */
  async backOff(portal: string): Promise<void> {
    await this.options.limiter.penalty(portal, Math.max(1, Math.round(this.options.rps))).catch(() => undefined);
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
