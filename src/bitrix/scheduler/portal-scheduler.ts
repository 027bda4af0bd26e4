import type { Logger } from 'pino';
import { MAX_BATCH_COMMANDS, type CommandOutcome } from '../batch.js';
import { callerIdentity, type Credentials } from '../credentials.js';
import { Bitrix24Error, UnreadableDialogError } from '../errors.js';
import type { MethodTimeMirror } from '../method-time.js';
import {
  callBudgetKey,
  combinedVerdict,
  methodTimeVerdict,
  withRetryAt,
} from './method-time-gate.js';
import { isolateUnreadable, isWrongEncoding, UnreadableChats } from './unreadable-chats.js';
import { abortedError, type AttemptOptions } from '../transport.js';
import type { BucketReading } from './bucket-store.js';
import { DEFAULT_BATCH_WINDOW, lingerEnds, type BatchWindow } from './batch-window.js';
import {
  DEFAULT_MAX_UNPROVEN_WAITING,
  DEFAULT_UNPROVEN_SHARE,
  newcomersFull,
} from './admission.js';
import { planCalls } from './call-filling.js';
import { CallerOrder } from './caller-order.js';
import type { CallerReputation } from './caller-reputation.js';
import { callForCommands, type CallSender } from './command-call.js';
import type { LeakyBucketMirror } from './leaky-bucket-mirror.js';
import {
  budgetKeyOf,
  DIALOG_METHOD,
  lookupKey,
  methodOf,
  methodTimeSpent,
  pacingDeadline,
  queueFull,
  storeFailed,
  USER_METHOD,
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
  /** Unproven callers (tokens the portal has not answered yet) that may wait; one more is refused. */
  readonly maxUnprovenWaiting?: number | undefined;
  /** One call in this many goes to an unproven caller while accepted callers wait. */
  readonly unprovenShare?: number | undefined;
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
 * - Callers with lookups waiting are served round robin, so a heavy caller cannot starve the rest;
 *   callers the portal has accepted before those it has not (caller-order.ts), and the requests
 *   of one caller share its calls round robin too (call-filling.ts).
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
  /** Round-robin order of the identities with lookups waiting, accepted callers first. */
  private readonly order: CallerOrder;
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
  /** Chats found unreadable (WRONG_ENCODING): answered without a call for a while. */
  private readonly unreadable: UnreadableChats;
  /** Per caller: how many ids its next call may carry under the method-time budget. */
  private readonly maxIds = new Map<string, number>();

  /** The last time a limit held calls back, for tracing ("which limit held it"). */
  private lastHold: { readonly reason: HeldBy; readonly at: number } = {
    reason: 'rate',
    at: Number.NEGATIVE_INFINITY,
  };

  constructor(private readonly options: PortalSchedulerOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.window = options.batchWindow ?? DEFAULT_BATCH_WINDOW;
    this.order = new CallerOrder(options.unprovenShare ?? DEFAULT_UNPROVEN_SHARE, (identity) => {
      const queue = this.queues.get(identity);
      return queue !== undefined && this.unproven(queue);
    });
    this.unreadable = new UnreadableChats(undefined, undefined, this.now);
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
    if (methodOf(request) === DIALOG_METHOD && this.unreadable.has(identity, request.dialogId))
      return Promise.reject(new UnreadableDialogError(request.dialogId));
    const refusal = this.options.reputation?.refusal(identity);
    if (refusal) return Promise.reject(refusal);
    if (this.waitingCount >= this.options.maxWaiting) {
      this.options.events?.onShed?.(this.portal, 'PACING_QUEUE_FULL');
      return Promise.reject(queueFull());
    }
    if (!this.queues.has(identity) && this.newcomersFull(request.credentials, identity)) {
      this.options.events?.onShed?.(this.portal, 'PACING_NEWCOMERS_FULL');
      return Promise.reject(newcomersFull());
    }
    const { methodTime } = this.options;
    const method = methodOf(request);
    const openAt = methodTime.notBefore(
      budgetKeyOf(request.credentials, this.portal, method),
      methodTime.estimate(method, 1),
    );
    if (openAt > request.deadline) return Promise.reject(methodTimeSpent(openAt));
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
        waiting: [],
        lastArrivalAt: Number.NEGATIVE_INFINITY,
      };
      this.queues.set(identity, queue);
      this.order.add(identity);
    }
    return queue;
  }

  /** A caller the portal has not accepted yet: an OAuth token it never answered (anyone can make one up). */
  private unproven(queue: { identity: string; credentials: Credentials }): boolean {
    return (
      queue.credentials.kind === 'oauth' &&
      (this.options.reputation?.unproven(queue.identity) ?? false)
    );
  }

  /** Whether a new unproven caller would be one too many of them waiting. */
  private newcomersFull(credentials: Credentials, identity: string): boolean {
    if (!this.unproven({ identity, credentials })) return false;
    const limit = this.options.maxUnprovenWaiting ?? DEFAULT_MAX_UNPROVEN_WAITING;
    let waiting = 0;
    for (const queue of this.queues.values())
      if (this.unproven(queue) && ++waiting >= limit) return true;
    return false;
  }

  private dropIfEmpty(queue: CallerQueue): void {
    if (queue.waiting.length > 0 || this.queues.get(queue.identity) !== queue) return;
    this.queues.delete(queue.identity);
    this.maxIds.delete(queue.identity);
    this.order.remove(queue.identity);
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
      const unproven = this.unproven(due);
      const taken = this.takeCall(
        due,
        this.now(),
        this.maxIds.get(due.identity) ?? MAX_BATCH_COMMANDS,
      );
      if (taken.length === 0) continue;
      // Round robin: the caller just served goes to the back of the line.
      this.order.served(due.identity, { unproven, stillWaiting: this.queues.has(due.identity) });
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
   * The first caller (accepted callers first, each class round robin) whose lookups should leave now, or when the next one
   * will be due. Lookups that the method-time budget cannot serve before their deadline are
   * answered here.
   */
  private survey(now: number): { due?: CallerQueue; nextAt: number } {
    let nextAt = Number.POSITIVE_INFINITY;
    for (const identity of this.order.candidates()) {
      const queue = this.queues.get(identity);
      if (!queue) continue;
      // A token the portal has not accepted yet: one call at a time (the call's end wakes the pump).
      if (this.onProbation(queue)) continue;
      const verdict = combinedVerdict(
        [DIALOG_METHOD, USER_METHOD].map((method) =>
          methodTimeVerdict(
            this.options.methodTime,
            queue,
            this.portal,
            method,
            now,
            MAX_BATCH_COMMANDS,
            Math.min(this.callMsAverage, 1000),
          ),
        ),
      );
      for (const { lookup, retryAt } of verdict.hopeless) {
        this.unqueue(lookup);
        this.options.events?.onShed?.(this.portal, 'OPERATION_TIME_LIMIT');
        this.finish(lookup, methodTimeSpent(retryAt));
      }
      const gate = verdict.at;
      this.maxIds.set(identity, verdict.maxIds);
      if (gate > now) this.lastHold = { reason: 'method-time', at: now };
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
    return (this.inFlight.get(queue.identity) ?? 0) > 0 && this.unproven(queue);
  }

  /** The portal refused the caller itself: what still waits of it is answered the same way. */
  private refuseCaller(queue: CallerQueue, error: Bitrix24Error): void {
    const reputation = this.options.reputation;
    // Only tokens are remembered: anyone can send one, and a refused one stays refused. The
    // webhook is the deployment's own, every request uses it, and one refusal (a portal hiccup,
    // an injected answer) must not lock every request out: the next call asks the portal again.
    if (!reputation || queue.credentials.kind === 'webhook') return;
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
    const distinct = new Set(queue.waiting.map((lookup) => lookupKey(lookup.request))).size;
    return Math.round(yieldMs * (1 - Math.min(1, distinct / MAX_BATCH_COMMANDS)));
  }

  /**
   * Takes up to 50 distinct ready ids of one caller (with every lookup of those ids) off its queue,
   * its requests taking turns (call-filling.ts); fewer when `maxIds` says so.
   */
  private takeCall(queue: CallerQueue, now: number, maxIds = MAX_BATCH_COMMANDS): Lookup[] {
    const { calls, left } = planCalls(queue.waiting, (lookup) => lookup.readyAt <= now, 1, maxIds);
    const taken = calls[0] ?? [];
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
    const { mirror, events } = this.options;
    const ids = [...new Set(lookups.map((lookup) => lookupKey(lookup.request)))];
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
    const budgetKey = callBudgetKey(queue.credentials, this.portal, DIALOG_METHOD, ids.length);
    this.inFlight.set(queue.identity, (this.inFlight.get(queue.identity) ?? 0) + 1);
    this.lastTakenArrival.set(queue.identity, this.arrivals);
    events?.onCall?.(this.portal, { lookups: lookups.length, commands: ids.length });
    for (const onCall of new Set(lookups.map((lookup) => lookup.request.onCall))) onCall?.();
    try {
      const outcomes = await this.callAndSettle(
        queue.credentials,
        lookups,
        ids,
        attempt,
        this.callInfo(lookups, ids.length, started),
      );
      this.options.reputation?.answered(queue.identity);
      this.callMsAverage =
        this.callMsAverage === 0
          ? this.now() - started
          : 0.8 * this.callMsAverage + 0.2 * (this.now() - started);
      this.deliver(budgetKey, lookups, outcomes);
    } catch (error) {
      if (isWrongEncoding(error)) {
        mirror.accepted(this.portal);
        await this.isolateUnreadable(queue, lookups, ids, attempt);
      } else {
        await this.callFailed(queue, budgetKey, lookups, error, started);
      }
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

  /**
   * A call answered WRONG_ENCODING (one of its chats cannot be encoded): its lookups are split by
   * key and asked again half by half, each call paced like any other, until the bad one is alone;
   * a dialog alone is answered `UnreadableDialogError` and remembered, the others get their answers.
   */
  private async isolateUnreadable(
    queue: CallerQueue,
    lookups: readonly Lookup[],
    keys: readonly string[],
    attempt: AttemptOptions,
  ): Promise<void> {
    const requestOf = new Map(lookups.map((lookup) => [lookupKey(lookup.request), lookup.request]));
    const outcomes = await isolateUnreadable(
      keys,
      (part) => this.pacedCall(queue, lookups, part, attempt),
      (key) => new UnreadableDialogError(requestOf.get(key)?.dialogId ?? key),
    );
    for (const [key, outcome] of outcomes) {
      const request = requestOf.get(key);
      if (
        request &&
        methodOf(request) === DIALOG_METHOD &&
        !outcome.ok &&
        outcome.error instanceof UnreadableDialogError
      )
        this.unreadable.remember(queue.identity, request.dialogId);
    }
    this.deliver(
      callBudgetKey(queue.credentials, this.portal, DIALOG_METHOD, keys.length),
      lookups,
      outcomes,
    );
  }

  /** One call outside the queues (isolating a bad chat), once the bucket mirror has room for it. */
  private async pacedCall(
    queue: CallerQueue,
    lookups: readonly Lookup[],
    keys: readonly string[],
    attempt: AttemptOptions,
  ): Promise<ReadonlyMap<string, CommandOutcome>> {
    const { mirror, events } = this.options;
    for (;;) {
      if (attempt.signal?.aborted) throw abortedError(attempt.signal);
      const reading = await mirror.take(this.portal);
      if (reading.waitMs <= 0) break;
      await new Promise((resolve) => setTimeout(resolve, reading.waitMs));
    }
    events?.onCall?.(this.portal, { lookups: keys.length, commands: keys.length });
    const wanted = new Set(keys);
    const part = lookups.filter((lookup) => wanted.has(lookupKey(lookup.request)));
    for (const onCall of new Set(part.map((lookup) => lookup.request.onCall))) onCall?.();
    return this.callAndSettle(queue.credentials, part, keys, attempt);
  }

  /**
   * One upstream call for `lookups` (`keys`: their distinct lookup keys) and its method time: the
   * dialogs' estimated cost is reserved as it leaves and settled from the answer's time blocks
   * (the users' blocks on their own budget); a call that ran but could not be answered
   * (`WRONG_ENCODING`) spends its estimate, any other failure gives it back. Throws what the call
   * threw. `info` (tracing) is told what the call carries.
   */
  private async callAndSettle(
    credentials: Credentials,
    lookups: readonly Lookup[],
    keys: readonly string[],
    attempt: AttemptOptions,
    info?: UpstreamCallInfo,
  ): Promise<ReadonlyMap<string, CommandOutcome>> {
    const { sender, methodTime, mirror, events } = this.options;
    const dialogBudget = callBudgetKey(credentials, this.portal, DIALOG_METHOD, keys.length);
    const dialogs = lookups.filter((lookup) => methodOf(lookup.request) === DIALOG_METHOD);
    const reservation = methodTime.reserve(
      dialogBudget,
      DIALOG_METHOD,
      new Set(dialogs.map((lookup) => lookup.request.dialogId)).size,
    );
    try {
      const sendCall = () =>
        callForCommands(
          sender,
          credentials,
          lookups.map((lookup) => lookup.request),
          attempt,
        );
      const { outcomes, times, userTimes } =
        info && events?.aroundCall ? await events.aroundCall(info, sendCall) : await sendCall();
      methodTime.settle(reservation, times);
      const userBudget = callBudgetKey(credentials, this.portal, USER_METHOD, keys.length);
      for (const block of userTimes) methodTime.observe(userBudget, block);
      mirror.accepted(this.portal);
      return outcomes;
    } catch (error) {
      if (isWrongEncoding(error)) methodTime.settleUnanswered(reservation);
      else methodTime.cancel(reservation);
      throw error;
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
    budgetKey: string,
    lookups: readonly Lookup[],
    outcomes: ReadonlyMap<string, CommandOutcome>,
  ): void {
    for (const lookup of lookups) {
      if (lookup.settled) continue;
      const outcome = outcomes.get(lookupKey(lookup.request))!;
      if (outcome.ok) {
        this.finish(lookup, { value: outcome.result });
      } else if (outcome.error instanceof Bitrix24Error) {
        // A command refused for method time: the batch answered 200, the method is paused.
        let error = outcome.error;
        if (error.code === 'OPERATION_TIME_LIMIT') {
          this.options.methodTime.refused(budgetKey);
          this.options.events?.onRefusal?.(this.portal, 'OPERATION_TIME_LIMIT');
          error = withRetryAt(error, this.options.methodTime.notBefore(budgetKey));
        }
        if (error.retryable) this.goAgain([lookup], error);
        else this.finish(lookup, error);
      } else {
        this.finish(lookup, outcome.error);
      }
    }
  }

  private async callFailed(
    queue: CallerQueue,
    budgetKey: string,
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
      case 'OPERATION_TIME_LIMIT': {
        this.options.events?.onRefusal?.(this.portal, error.code);
        this.options.methodTime.refused(budgetKey);
        const refusal = withRetryAt(error, this.options.methodTime.notBefore(budgetKey));
        for (const lookup of live) this.finish(lookup, refusal);
        return;
      }
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
