import type { Logger } from 'pino';
import { MAX_BATCH_COMMANDS, type CommandOutcome } from '../batch.js';
import { callerIdentity, type Credentials } from '../credentials.js';
import { Bitrix24Error } from '../errors.js';
import type { MethodTimeMirror } from '../method-time.js';
import { abortedError, type AttemptOptions } from '../transport.js';
import type { BucketReading } from './bucket-store.js';
import { DEFAULT_BATCH_WINDOW, lingerEnds, type BatchWindow } from './batch-window.js';
import type { CallerReputation } from './caller-reputation.js';
import { callForDialogs, type CallSender } from './dialog-call.js';
import type { LeakyBucketMirror } from './leaky-bucket-mirror.js';
import {
  budgetKeyOf,
  DIALOG_METHOD,
  methodTimeSpent,
  pacingDeadline,
  queueFull,
  storeFailed,
  type CallerQueue,
  type DialogLookupRequest,
  type InFlightCall,
  type Lookup,
} from './lookup.js';
import { lookupsOutOfTime } from './pacing-estimate.js';
import { retryDelay, type RetryPolicy } from './retry-policy.js';

/** What the scheduler tells about its work (metrics); every hook is optional. */
export interface SchedulerEvents {
  onQueueDepth?(portal: string, lookups: number): void;
  onCall?(portal: string, call: { lookups: number; commands: number }): void;
  onMirrorLevel?(portal: string, level: number, capacity: number): void;
  onRefusal?(portal: string, code: string): void;
  onRetry?(event: { portal: string; method: string; code: string; attempt: number }): void;
  onShed?(portal: string, code: string): void;
  /**
   * Wraps each upstream call (tracing): `send` must be called once and its result or error passed
   * on. Told what the call carries and how long each lookup waited for the budget, and why.
   */
  aroundCall?<T>(call: UpstreamCallInfo, send: () => Promise<T>): Promise<T>;
}

/** What limit kept a lookup waiting before its call left. */
export type HeldBy = 'rate' | 'method-time' | 'batch-window';

export interface UpstreamCallInfo {
  readonly portal: string;
  readonly method: string;
  /** Distinct commands (dialog ids) in the call: 1 is a plain call, more a `batch`. */
  readonly commands: number;
  /** 0 for a first attempt, else which retry this is. */
  readonly retry: number;
  /** Each lookup the call carries, with its time in the queue and what held it there. */
  readonly waits: ReadonlyArray<{
    readonly request: DialogLookupRequest;
    readonly queuedMs: number;
    readonly heldBy: HeldBy;
  }>;
}

export interface PortalSchedulerOptions {
  readonly portal: string;
  readonly sender: CallSender;
  readonly mirror: LeakyBucketMirror;
  readonly methodTime: MethodTimeMirror;
  readonly retry: RetryPolicy;
  /** Lookups that may wait for the budget; one more is refused at once. */
  readonly maxWaiting: number;
  readonly reputation?: CallerReputation | undefined;
  readonly batchWindow?: BatchWindow;
  /** With a bucket shared by replicas: how much later a replica with a near-empty batch asks for a slot. */
  readonly replicaYieldMs?: number | undefined;
  /** Whether requests received but not yet executing may still add lookups (the server knows). */
  readonly moreLookupsComing?: (() => boolean) | undefined;
  readonly events?: SchedulerEvents | undefined;
  readonly logger?: Logger | undefined;
  /** Epoch ms; injectable for tests on fake time. */
  readonly now?: () => number;
  readonly random?: () => number;
}

/**
 * Spends one portal's rate budget at its physical limit. Requests hand in *lookups* (one dialog
 * id each), not calls; the scheduler turns them into calls:
 *
 * - A call leaves only when the leaky-bucket mirror has room for it (from idle the whole bucket at
 *   once, then `rps` per second) and the caller's method-time budget allows it.
 * - A call carries up to 50 distinct ids of ONE caller identity (the webhook, or one OAuth token),
 *   from any number of concurrent requests, deduplicated; each answer goes back to its own request.
 *   Two identities never share a call. One id alone is a plain `im.dialog.get`, more a `batch`.
 * - While the budget makes calls wait, lookups pile up and leave together; when it would not, a
 *   caller's lookups wait for company only within the batch window (2 ms of quiet, 50 ms at most).
 * - Callers with lookups waiting are served round robin, so a heavy caller cannot starve the rest.
 * - Every lookup keeps its request's deadline and cancellation: it is answered at its deadline even
 *   while its call is still out, and at once (`PACING_DEADLINE`) when the budget cannot serve it in
 *   time. A call whose every lookup is gone is aborted.
 * - A refusal (`QUERY_LIMIT_EXCEEDED`: someone else shares the portal) fills the mirror and puts the
 *   call's lookups back at the head of their queue, until their deadline; failures that may pass
 *   (5xx, resets, timeouts) go again with backoff, a bounded number of times.
 */
export class PortalScheduler {
  private readonly queues = new Map<string, CallerQueue>();
  /** Calls in flight per caller identity. */
  private readonly inFlight = new Map<string, number>();
  /** Arrival order of lookups, to tell those left over by a call from those that came after it. */
  private arrivals = 0;
  /** For each caller with calls in flight: the last arrival its most recent call could have taken. */
  private readonly lastTakenArrival = new Map<string, number>();
  /** Calls counted by the mirror that have not been written to their socket yet: when each was taken. */
  private readonly unsent = new Map<InFlightCall, number>();
  /** Round-robin order of the identities with lookups waiting. */
  private order: string[] = [];
  private waitingCount = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private pumping = false;
  private pumpAgain = false;
  /** Epoch ms when the mirror next has room, while it has none. */
  private nextSlotAt = 0;
  private shedCheckQueued = false;
  private callMsAverage = 0;
  private closed = false;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly window: BatchWindow;

  /** The last time a limit held calls back, for tracing ("which limit held it"). */
  private lastHold: { readonly reason: HeldBy; readonly at: number } = {
    reason: 'rate',
    at: Number.NEGATIVE_INFINITY,
  };

  constructor(private readonly options: PortalSchedulerOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.window = options.batchWindow ?? DEFAULT_BATCH_WINDOW;
  }

  get portal(): string {
    return this.options.portal;
  }

  /** Lookups waiting for the budget (not those in flight). */
  get waiting(): number {
    return this.waitingCount;
  }

  /** Nothing waiting, in flight or due: dropping this scheduler loses nothing but its call-time average. */
  get idle(): boolean {
    return (
      this.waitingCount === 0 &&
      this.inFlight.size === 0 &&
      this.timer === undefined &&
      !this.pumping
    );
  }

  /** Resolves to the raw `im.dialog.get` result, or rejects with its typed error. */
  lookup(request: DialogLookupRequest): Promise<unknown> {
    const { signal } = request;
    if (this.closed)
      return Promise.reject(
        new Bitrix24Error({
          failure: 'unavailable',
          code: 'SHUTTING_DOWN',
          message: 'The server is shutting down',
          local: true,
        }),
      );
    if (signal?.aborted) return Promise.reject(abortedError(signal));
    const identity = callerIdentity(request.credentials);
    const refusal = this.options.reputation?.refusal(identity);
    if (refusal) return Promise.reject(refusal);
    if (this.waitingCount >= this.options.maxWaiting) {
      this.options.events?.onShed?.(this.portal, 'PACING_QUEUE_FULL');
      return Promise.reject(queueFull());
    }
    if (
      this.options.methodTime.notBefore(
        budgetKeyOf(request.credentials, this.portal, DIALOG_METHOD),
      ) > request.deadline
    ) {
      return Promise.reject(methodTimeSpent());
    }
    const queue = this.queueFor(identity, request.credentials);
    const now = this.now();
    return new Promise<unknown>((resolve, reject) => {
      const lookup: Lookup = {
        request,
        identity,
        enqueuedAt: now,
        arrival: ++this.arrivals,
        attempts: 0,
        readyAt: now,
        retried: false,
        lastError: undefined,
        settled: false,
        call: undefined,
        resolve,
        reject,
        onAbort: () => {
          this.unqueue(lookup);
          this.finish(lookup, abortedError(signal!));
          const call = lookup.call;
          if (call?.lookups.every((other) => other.settled)) call.controller.abort(signal!.reason);
        },
      };
      signal?.addEventListener('abort', lookup.onAbort, { once: true });
      queue.waiting.push(lookup);
      queue.lastArrivalAt = now;
      this.changeDepth(+1);
      this.queueShedCheck();
      // A full batch may leave now; otherwise not before the caller has been quiet for a moment.
      this.schedule(queue.waiting.length >= MAX_BATCH_COMMANDS ? now : now + this.window.quietMs);
    });
  }

  /** Stops every timer and answers what still waits; for shutdown. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const queue of [...this.queues.values()]) {
      for (const lookup of [...queue.waiting]) {
        this.unqueue(lookup);
        this.finish(
          lookup,
          new Bitrix24Error({
            failure: 'unavailable',
            code: 'SHUTTING_DOWN',
            message: 'The server is shutting down',
            local: true,
          }),
        );
      }
    }
  }

  private queueFor(identity: string, credentials: Credentials): CallerQueue {
    let queue = this.queues.get(identity);
    if (!queue) {
      queue = {
        identity,
        credentials,
        budgetKey: budgetKeyOf(credentials, this.portal, DIALOG_METHOD),
        waiting: [],
        lastArrivalAt: Number.NEGATIVE_INFINITY,
      };
      this.queues.set(identity, queue);
      this.order.push(identity);
    }
    return queue;
  }

  private dropIfEmpty(queue: CallerQueue): void {
    if (queue.waiting.length > 0 || this.queues.get(queue.identity) !== queue) return;
    this.queues.delete(queue.identity);
    this.order = this.order.filter((identity) => identity !== queue.identity);
  }

  private unqueue(lookup: Lookup): void {
    const queue = this.queues.get(lookup.identity);
    const index = queue?.waiting.indexOf(lookup) ?? -1;
    if (!queue || index === -1) return;
    queue.waiting.splice(index, 1);
    this.changeDepth(-1);
    this.dropIfEmpty(queue);
  }

  private changeDepth(delta: number): void {
    this.waitingCount += delta;
    this.options.events?.onQueueDepth?.(this.portal, this.waitingCount);
  }

  private finish(lookup: Lookup, outcome: Error | { value: unknown }): void {
    if (lookup.settled) return;
    lookup.settled = true;
    lookup.request.signal?.removeEventListener('abort', lookup.onAbort);
    if (!(outcome instanceof Error)) {
      lookup.resolve(outcome.value);
      return;
    }
    // Out of time after the portal refused or failed it: that failure is the better answer.
    const outOfTime =
      outcome instanceof Bitrix24Error &&
      (outcome.code === 'DEADLINE_EXCEEDED' || outcome.code === 'PACING_DEADLINE');
    lookup.reject(outOfTime && lookup.lastError ? lookup.lastError : outcome);
  }

  /** Runs the pump at `at` (epoch ms), or sooner if it is already due sooner. */
  private schedule(at: number): void {
    if (this.closed) return;
    const now = this.now();
    if (at <= now) {
      if (this.timerAt <= now) return;
      clearTimeout(this.timer);
      this.timerAt = now;
      this.timer = setTimeout(() => this.wake(), 0);
      return;
    }
    if (at >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.wake(), at - now);
  }

  private wake(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        await this.sendWhatIsDue();
      } while (this.pumpAgain && !this.closed);
    } catch (error) {
      this.options.logger?.error(
        { err: error, portal: this.portal },
        'the upstream scheduler failed',
      );
    } finally {
      this.pumping = false;
    }
  }

  /** Sends calls while a caller is due and the mirror has room; then sleeps until the next change. */
  private async sendWhatIsDue(): Promise<void> {
    while (!this.closed) {
      const now = this.now();
      const { due, nextAt } = this.survey(now);
      if (!due) {
        if (Number.isFinite(nextAt)) this.schedule(nextAt);
        return;
      }
      this.reportUnsentLag(now);
      let reading: BucketReading;
      try {
        reading = await this.options.mirror.take(this.portal);
      } catch {
        for (const lookup of [...due.waiting]) {
          this.unqueue(lookup);
          this.finish(lookup, storeFailed());
        }
        continue;
      }
      this.options.events?.onMirrorLevel?.(
        this.portal,
        reading.level,
        this.options.mirror.limits(this.portal).capacity,
      );
      if (reading.waitMs > 0) {
        this.lastHold = { reason: 'rate', at: now };
        this.nextSlotAt = this.now() + reading.waitMs;
        this.shedHopeless();
        this.schedule(this.nextSlotAt + this.yieldToFullerReplicas(due));
        return;
      }
      this.nextSlotAt = 0;
      const taken = this.takeCall(due, this.now());
      if (taken.length === 0) continue;
      // Round robin: the caller just served goes to the back of the line.
      this.order = [
        ...this.order.filter((identity) => identity !== due.identity),
        ...(this.queues.has(due.identity) ? [due.identity] : []),
      ];
      void this.send(due, taken);
    }
  }

  /**
   * Calls taken earlier that have still not left (the event loop was busy writing a burst) will
   * reach the portal late: the mirror hears of that lag before it counts the next call, not only
   * once they leave, or the next call could arrive together with them.
   */
  private reportUnsentLag(now: number): void {
    let oldest = Number.POSITIVE_INFINITY;
    for (const takenAt of this.unsent.values()) oldest = Math.min(oldest, takenAt);
    if (Number.isFinite(oldest)) this.options.mirror.dispatchLag(this.portal, now - oldest);
  }

  /**
   * The first caller (in round-robin order) whose lookups should leave now, or when the next one
   * will be due. Lookups that the method-time budget cannot serve before their deadline are
   * answered here.
   */
  private survey(now: number): { due?: CallerQueue; nextAt: number } {
    let nextAt = Number.POSITIVE_INFINITY;
    for (const identity of [...this.order]) {
      const queue = this.queues.get(identity);
      if (!queue) continue;
      // A token the portal has not accepted yet: one call at a time (the call's end wakes the pump).
      if (this.onProbation(queue)) continue;
      const gate = this.options.methodTime.notBefore(queue.budgetKey);
      if (gate > now) {
        this.lastHold = { reason: 'method-time', at: now };
        this.shedBefore(queue, gate, methodTimeSpent);
      }
      if (!this.queues.has(identity)) continue;
      const dueAt = Math.max(
        lingerEnds(queue, now, {
          window: this.window,
          lastTakenArrival: this.lastTakenArrival.get(queue.identity),
          moreLookupsComing: this.options.moreLookupsComing,
        }),
        gate,
      );
      if (dueAt <= now) return { due: queue, nextAt: now };
      nextAt = Math.min(nextAt, dueAt);
    }
    return { nextAt };
  }

  private onProbation(queue: CallerQueue): boolean {
    return (
      queue.credentials.kind === 'oauth' &&
      (this.inFlight.get(queue.identity) ?? 0) > 0 &&
      (this.options.reputation?.unproven(queue.identity) ?? false)
    );
  }

  /** The portal refused the caller itself: what still waits of it is answered the same way. */
  private refuseCaller(queue: CallerQueue, error: Bitrix24Error): void {
    const reputation = this.options.reputation;
    if (!reputation) return;
    reputation.refused(queue.identity, error);
    if (!reputation.refusal(queue.identity)) return;
    for (const lookup of [...(this.queues.get(queue.identity)?.waiting ?? [])]) {
      this.unqueue(lookup);
      this.finish(lookup, error);
    }
  }

  /**
   * Replicas sharing a bucket all wake when its next slot frees, and the first to ask takes it. A
   * replica with a small batch waits a little longer (up to `replicaYieldMs`, less the fuller its
   * batch), so the slot tends to go to the replica whose call carries most: under sustained load
   * they take turns with full batches instead of spending slots on half-empty calls.
   */
  private yieldToFullerReplicas(queue: CallerQueue): number {
    const yieldMs = this.options.replicaYieldMs ?? 0;
    if (yieldMs === 0) return 0;
    const distinct = new Set(queue.waiting.map((lookup) => lookup.request.dialogId)).size;
    return Math.round(yieldMs * (1 - Math.min(1, distinct / MAX_BATCH_COMMANDS)));
  }

  /** Answers `makeError()` for every lookup of `queue` whose deadline comes before `at`. */
  private shedBefore(queue: CallerQueue, at: number, makeError: () => Bitrix24Error): void {
    for (const lookup of [...queue.waiting]) {
      if (lookup.request.deadline >= at) continue;
      this.unqueue(lookup);
      this.options.events?.onShed?.(this.portal, makeError().code);
      this.finish(lookup, makeError());
    }
  }

  /** Takes up to 50 distinct ready ids of one caller (with every lookup of those ids) off its queue. */
  private takeCall(queue: CallerQueue, now: number): Lookup[] {
    const ids = new Set<string>();
    const taken: Lookup[] = [];
    const left: Lookup[] = [];
    for (const lookup of queue.waiting) {
      const id = lookup.request.dialogId;
      if (lookup.readyAt > now || (ids.size >= MAX_BATCH_COMMANDS && !ids.has(id))) {
        left.push(lookup);
        continue;
      }
      ids.add(id);
      taken.push(lookup);
    }
    queue.waiting = left;
    this.changeDepth(-taken.length);
    this.dropIfEmpty(queue);
    return taken;
  }

  private queueShedCheck(): void {
    if (this.shedCheckQueued) return;
    this.shedCheckQueued = true;
    queueMicrotask(() => {
      this.shedCheckQueued = false;
      if (this.nextSlotAt > this.now()) this.shedHopeless();
    });
  }

  /**
   * While the mirror has no room, answers `PACING_DEADLINE` at once to every waiting lookup that
   * the budget cannot send before its deadline.
   */
  private shedHopeless(): void {
    const hopeless = lookupsOutOfTime([...this.queues.values()], this.order, {
      nextSlotAt: this.nextSlotAt,
      intervalMs: 1000 / this.options.mirror.limits(this.portal).ratePerSecond,
      answerMs: Math.min(this.callMsAverage, 1000),
    });
    for (const lookup of hopeless) {
      this.unqueue(lookup);
      this.options.events?.onShed?.(this.portal, 'PACING_DEADLINE');
      this.finish(lookup, pacingDeadline());
    }
  }

  private async send(queue: CallerQueue, lookups: Lookup[]): Promise<void> {
    const { sender, methodTime, mirror, events } = this.options;
    const ids = [...new Set(lookups.map((lookup) => lookup.request.dialogId))];
    const call: InFlightCall = { lookups, controller: new AbortController() };
    for (const lookup of lookups) lookup.call = call;
    const started = this.now();
    const latestDeadline = Math.max(...lookups.map((lookup) => lookup.request.deadline));
    const attempt: AttemptOptions = {
      signal: call.controller.signal,
      timeoutMs: Math.max(1, latestDeadline - started),
      onSent: () => {
        if (this.unsent.delete(call)) mirror.dispatchLag(this.portal, this.now() - started);
      },
    };
    this.unsent.set(call, started);
    methodTime.sent(queue.budgetKey);
    this.inFlight.set(queue.identity, (this.inFlight.get(queue.identity) ?? 0) + 1);
    this.lastTakenArrival.set(queue.identity, this.arrivals);
    events?.onCall?.(this.portal, { lookups: lookups.length, commands: ids.length });
    for (const onCall of new Set(lookups.map((lookup) => lookup.request.onCall))) onCall?.();
    try {
      const sendCall = () => callForDialogs(sender, queue.credentials, ids, attempt);
      const { outcomes, times } = events?.aroundCall
        ? await events.aroundCall(this.callInfo(lookups, ids.length, started), sendCall)
        : await sendCall();
      for (const block of times) methodTime.observe(queue.budgetKey, block);
      mirror.accepted(this.portal);
      this.options.reputation?.answered(queue.identity);
      this.callMsAverage =
        this.callMsAverage === 0
          ? this.now() - started
          : 0.8 * this.callMsAverage + 0.2 * (this.now() - started);
      this.deliver(queue, lookups, outcomes);
    } catch (error) {
      await this.callFailed(queue, lookups, error, started);
    } finally {
      // A call that failed before it was written (no connection) never says it left.
      this.unsent.delete(call);
      for (const lookup of lookups) lookup.call = undefined;
      const left = (this.inFlight.get(queue.identity) ?? 1) - 1;
      if (left > 0) {
        this.inFlight.set(queue.identity, left);
      } else {
        this.inFlight.delete(queue.identity);
        this.lastTakenArrival.delete(queue.identity);
      }
      this.schedule(this.now());
    }
  }

  private callInfo(lookups: readonly Lookup[], commands: number, sentAt: number): UpstreamCallInfo {
    const retried = lookups.some((lookup) => lookup.retried);
    return {
      portal: this.portal,
      method: commands > 1 ? 'batch' : DIALOG_METHOD,
      commands,
      retry: retried ? Math.max(1, ...lookups.map((lookup) => lookup.attempts)) : 0,
      waits: lookups.map((lookup) => ({
        request: lookup.request,
        queuedMs: sentAt - lookup.enqueuedAt,
        heldBy: this.lastHold.at >= lookup.enqueuedAt ? this.lastHold.reason : 'batch-window',
      })),
    };
  }

  /** Gives each lookup its command's outcome. */
  private deliver(
    queue: CallerQueue,
    lookups: readonly Lookup[],
    outcomes: ReadonlyMap<string, CommandOutcome>,
  ): void {
    for (const lookup of lookups) {
      if (lookup.settled) continue;
      const outcome = outcomes.get(lookup.request.dialogId)!;
      if (outcome.ok) {
        this.finish(lookup, { value: outcome.result });
      } else if (outcome.error instanceof Bitrix24Error) {
        // A command refused for method time: the batch answered 200, the method is paused.
        if (outcome.error.code === 'OPERATION_TIME_LIMIT') {
          this.options.methodTime.refused(queue.budgetKey);
          this.options.events?.onRefusal?.(this.portal, 'OPERATION_TIME_LIMIT');
        }
        if (outcome.error.retryable) this.goAgain([lookup], outcome.error);
        else this.finish(lookup, outcome.error);
      } else {
        this.finish(lookup, outcome.error);
      }
    }
  }

  private async callFailed(
    queue: CallerQueue,
    lookups: readonly Lookup[],
    error: unknown,
    sentAt: number,
  ): Promise<void> {
    const live = lookups.filter((lookup) => !lookup.settled);
    // Every caller of this call went away: it was aborted on purpose.
    if (live.length === 0) return;
    if (!(error instanceof Bitrix24Error)) {
      for (const lookup of live)
        this.finish(lookup, error instanceof Error ? error : new Error(String(error)));
      return;
    }
    switch (error.code) {
      case 'QUERY_LIMIT_EXCEEDED':
        // The real bucket is full now: so is the mirror, for every replica. The refusal cost the
        // portal nothing, so the lookups go again (first in line) until their deadline.
        this.options.events?.onRefusal?.(this.portal, error.code);
        await this.options.mirror.refused(this.portal, sentAt).catch(() => undefined);
        for (const lookup of live) lookup.lastError = error;
        this.options.events?.onRetry?.({
          portal: this.portal,
          method: DIALOG_METHOD,
          code: error.code,
          attempt: 1,
        });
        this.options.logger?.debug(
          { portal: this.portal, code: error.code, lookups: live.length },
          'retrying a bitrix24 call',
        );
        this.requeue(live);
        return;
      case 'OPERATION_TIME_LIMIT':
        this.options.events?.onRefusal?.(this.portal, error.code);
        this.options.methodTime.refused(queue.budgetKey);
        break;
      default:
        if (error.failure === 'unauthenticated') this.refuseCaller(queue, error);
        if (error.retryable) {
          this.goAgain(live, error);
          return;
        }
    }
    for (const lookup of live) this.finish(lookup, error);
  }

  /**
   * Lookups that failed in a way that may pass: again after a backoff, a bounded number of times.
   * The lookups of one call go again together, so they still share a call.
   */
  private goAgain(lookups: readonly Lookup[], error: Bitrix24Error): void {
    const { retries } = this.options.retry;
    const now = this.now();
    for (const lookup of lookups) {
      lookup.attempts++;
      lookup.lastError = error;
    }
    const attempt = Math.max(...lookups.map((lookup) => lookup.attempts));
    const readyAt = now + retryDelay(attempt, this.options.retry, this.random);
    const again = lookups.filter((lookup) => {
      if (lookup.attempts <= retries && readyAt < lookup.request.deadline) return true;
      this.finish(lookup, error);
      return false;
    });
    if (again.length === 0) return;
    for (const lookup of again) lookup.readyAt = readyAt;
    this.options.events?.onRetry?.({
      portal: this.portal,
      method: DIALOG_METHOD,
      code: error.code,
      attempt,
    });
    this.options.logger?.debug(
      { portal: this.portal, code: error.code, attempt, lookups: again.length },
      'retrying a bitrix24 call',
    );
    this.requeue(again);
  }

  /** Puts lookups back at the head of their caller's queue. */
  private requeue(lookups: readonly Lookup[]): void {
    const live = lookups.filter((lookup) => !lookup.settled);
    if (live.length === 0) return;
    const first = live[0]!;
    const queue = this.queueFor(first.identity, first.request.credentials);
    for (const lookup of live) lookup.retried = true;
    queue.waiting.unshift(...live);
    this.changeDepth(+live.length);
    this.schedule(Math.min(...live.map((lookup) => lookup.readyAt)));
  }
}
