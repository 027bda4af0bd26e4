import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { portalHost, type Credentials } from '../credentials.js';
import type { SuccessEnvelope } from '../envelope.js';
import { Bitrix24Error } from '../errors.js';
import type { MethodTimeMirror } from '../method-time.js';
import { abortedError } from '../transport.js';
import type { LeakyBucketMirror } from './leaky-bucket-mirror.js';
import type { BatchWindow } from './batch-window.js';
import type { CallSender } from './command-call.js';
import type { DialogLookupRequest } from './lookup.js';
import { PortalScheduler, type SchedulerEvents } from './portal-scheduler.js';
import type { RetryPolicy } from './retry-policy.js';
import type { CallerReputation } from './caller-reputation.js';

export interface UpstreamSchedulerOptions {
  readonly sender: CallSender;
  readonly mirror: LeakyBucketMirror;
  readonly methodTime: MethodTimeMirror;
  readonly retry: RetryPolicy;
  /** Lookups that may wait for the budget, per portal. */
  readonly maxWaiting: number;
  readonly reputation?: CallerReputation;
  readonly batchWindow?: BatchWindow;
  readonly moreLookupsComing?: () => boolean;
  readonly replicaYieldMs?: number;
  readonly events?: SchedulerEvents;
  readonly logger?: Logger;
  readonly now?: () => number;
  /** Portals kept before idle ones are forgotten (default 1000). */
  readonly portalsBeforeSweep?: number;
}

/**
 * One scheduler per portal: budgets, queues and fairness never mix two portals.
 *
 * In multi-portal mode requests name the portal, so any number of names may come by (a wildcard
 * of the allow-list matches endlessly many). State per portal is kept while it matters and
 * forgotten when it is idle: each time the number of portals reaches the sweep mark, portals with
 * nothing waiting or in flight, a drained bucket and no adaptation in force are dropped, with the
 * method-time budgets that hold nothing; the mark then doubles past what is left.
 */
export class UpstreamScheduler {
  private readonly portals = new Map<string, PortalScheduler>();
  private sweepAt: number;

  constructor(private readonly options: UpstreamSchedulerOptions) {
    this.sweepAt = options.portalsBeforeSweep ?? 1000;
  }

  /** Portals with a scheduler now (for tests and metrics). */
  get portalCount(): number {
    return this.portals.size;
  }

  /** Whether `portal` has a scheduler now. */
  knows(portal: string): boolean {
    return this.portals.has(portal);
  }

  private forgetIdlePortals(): void {
    if (this.portals.size < this.sweepAt) return;
    for (const [portal, scheduler] of this.portals) {
      if (scheduler.idle && this.options.mirror.forget(portal)) this.portals.delete(portal);
    }
    this.options.methodTime.forgetSettled();
    this.sweepAt = Math.max(this.options.portalsBeforeSweep ?? 1000, 2 * this.portals.size);
  }

  private schedulerFor(credentials: Credentials): PortalScheduler {
    const portal = portalHost(credentials);
    let scheduler = this.portals.get(portal);
    if (!scheduler) {
      this.forgetIdlePortals();
      scheduler = new PortalScheduler({ ...this.options, portal });
      this.portals.set(portal, scheduler);
    }
    return scheduler;
  }

  /** One dialog for one request: resolves to the raw `im.dialog.get` result, or rejects typed. */
  lookupDialog(request: DialogLookupRequest): Promise<unknown> {
    return this.schedulerFor(request.credentials).lookup(request);
  }

  /** Lookups waiting for `portal`'s budget. */
  waiting(portal: string): number {
    return this.portals.get(portal)?.waiting ?? 0;
  }

  /**
   * One call outside the lookup queues (the readiness probe): it still takes a slot of the
   * portal's bucket, waiting for one within its deadline, and is never retried.
   */
  async callOnce(
    credentials: Credentials,
    method: string,
    params: Readonly<Record<string, unknown>>,
    bounds: { signal: AbortSignal; deadline: number },
  ): Promise<SuccessEnvelope> {
    const portal = portalHost(credentials);
    const now = this.options.now ?? Date.now;
    for (;;) {
      if (bounds.signal.aborted) throw abortedError(bounds.signal);
      const { waitMs } = await this.options.mirror.take(portal);
      if (waitMs === 0) break;
      if (now() + waitMs > bounds.deadline) {
        throw new Bitrix24Error({
          failure: 'rate-limited',
          code: 'PACING_DEADLINE',
          message: "The portal's rate budget would not allow this call before its deadline",
          retryable: false,
          local: true,
        });
      }
      await sleep(waitMs, undefined, { signal: bounds.signal }).catch(() => undefined);
    }
    return this.options.sender.send(credentials, method, params, {
      signal: bounds.signal,
      timeoutMs: Math.max(1, bounds.deadline - now()),
    });
  }

  close(): void {
    for (const scheduler of this.portals.values()) scheduler.close();
  }
}
