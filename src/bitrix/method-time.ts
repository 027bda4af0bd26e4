import { isRecord } from './envelope.js';

/**
 * The portal's method-time budget as its limiter counts it (docs/bitrix24-api.md, "Method time";
 * `rest/lib/engine/access/loadlimiter.php`): 420 s per key × method per 10 minutes by the code's
 * default, in ten one-minute buckets. Every run of one method within one request is summed (a batch
 * of 50 `im.dialog.get` is 50 runs) and the sum is recorded, in the bucket of the minute the
 * request ended, when it is over 0.1 s. Answers report it per command (`result_time` in a batch;
 * the batch's own block always says `operating: 0` and is never read).
 *
 * The mirror keeps its own ledger of those buckets per key: what our calls spent (their commands'
 * `processing`, summed as the portal sums them) and what the portal reports beyond it (others
 * spending the same key). A call leaves only when the ledger has room for its estimated cost
 * (`estimate`), so the window's total stays under the budget: the method is never blocked for
 * every user of the app, and the budget is spent at the rate the window gives back.
 */
export interface MethodTimeOptions {
  /** Seconds per window (`BITRIX24_METHOD_TIME_BUDGET_S`, 420); `Infinity` switches the guard off. */
  readonly budgetSeconds: number;
  /** One bucket (60 s on portals); smaller in tests and the bench, to scale the window down. */
  readonly bucketSeconds?: number;
  /** Buckets in the window (10 on portals). */
  readonly bucketCount?: number;
  /** A request's sum of one method is recorded only when over this (0.1 s on portals). */
  readonly minRecordedSeconds?: number;
  /** Seconds of the budget never spent, against estimates a little short (default: 1 %, at most 5 s). */
  readonly headroomSeconds?: number;
  /**
   * How long after our clock says a bucket dropped out it is still counted: the portal numbers
   * buckets by its own clock (default: 2 % of a bucket, at most 1 s).
   */
  readonly clockMarginMs?: number;
  /** Seconds one command is assumed to cost before any answer said (default 0.01). */
  readonly initialCommandSeconds?: number;
  /** The least pause after an OPERATION_TIME_LIMIT refusal (the JS SDK: 10 s). */
  readonly refusalPauseMs?: number;
  readonly now?: () => number;
}

/** A reading of a `time` block, or undefined when it carries no usable method-time figures. */
export interface MethodTimeReading {
  readonly operating: number;
  /** Epoch ms. */
  readonly resetAt: number;
}

/**
 * Reads `operating`/`operating_reset_at` of one `time` block, trusting nothing: a malformed block
 * is ignored (it never disables the guard), `operating` is clamped to [0, 2 × budget], and a reset
 * is believed at most one window ahead (a reset far in the future would otherwise stop every call
 * until a restart).
 */
export function readMethodTime(
  block: unknown,
  now: number,
  options: { budgetSeconds: number; windowSeconds: number },
): MethodTimeReading | undefined {
  if (!isRecord(block)) return undefined;
  const operating = readNumber(block.operating);
  const resetAtSeconds = readNumber(block.operating_reset_at);
  if (operating === undefined || resetAtSeconds === undefined) return undefined;
  const latestReset = now + options.windowSeconds * 1000;
  return {
    operating: Math.min(Math.max(operating, 0), options.budgetSeconds * 2),
    resetAt: Math.min(Math.max(resetAtSeconds * 1000, 0), latestReset),
  };
}

function readNumber(value: unknown): number | undefined {
  const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof parsed === 'number' && Number.isFinite(parsed) ? parsed : undefined;
}

/** The `processing` of a command's time block: how long that run took, as the portal timed it. */
function runSeconds(block: unknown): number | undefined {
  if (!isRecord(block)) return undefined;
  const processing = readNumber(block.processing);
  return processing !== undefined && processing >= 0 && processing < 600 ? processing : undefined;
}

interface BudgetState {
  /** Bucket index (floor(ms / bucketMs)) → seconds recorded in it. */
  readonly buckets: Map<number, number>;
  /** Estimated seconds of calls in flight, not yet in a bucket. */
  reserved: number;
  /** Epoch ms until which no call may leave (after a refusal). */
  blockedUntil: number;
  /** The portal's last `operating_reset_at`, epoch ms (0: none). */
  resetAt: number;
}

/** What a call took from the ledger before it left; given back by `settle` or `cancel`. */
export interface Reservation {
  readonly key: string;
  readonly method: string;
  readonly seconds: number;
  settled: boolean;
}

/**
 * Mirrors each method-time budget we spend (key: portal × budget key × method) and says when a call
 * of a given cost may leave: when the live buckets, what is in flight and the call fit under the
 * budget less its headroom. After a refusal, none for at least 10 s or until the reported reset.
 */
export class MethodTimeMirror {
  private readonly states = new Map<string, BudgetState>();
  /** Per method: seconds one command costs (moving average of `processing`). */
  private readonly commandCost = new Map<string, number>();
  private readonly now: () => number;
  readonly bucketMs: number;
  readonly bucketCount: number;
  readonly minRecordedSeconds: number;
  private readonly headroom: number;
  private readonly marginMs: number;

  constructor(private readonly options: MethodTimeOptions) {
    this.now = options.now ?? Date.now;
    this.bucketMs = (options.bucketSeconds ?? 60) * 1000;
    this.bucketCount = options.bucketCount ?? 10;
    this.minRecordedSeconds = options.minRecordedSeconds ?? 0.1;
    this.headroom = options.headroomSeconds ?? Math.min(5, options.budgetSeconds * 0.01);
    this.marginMs = options.clockMarginMs ?? Math.min(1000, this.bucketMs * 0.02);
  }

  get budgetSeconds(): number {
    return this.options.budgetSeconds;
  }

  get windowMs(): number {
    return this.bucketMs * this.bucketCount;
  }

  /** Whether the guard counts anything (an infinite budget: on-premise without the limiter). */
  get enabled(): boolean {
    return Number.isFinite(this.options.budgetSeconds);
  }

  private state(key: string): BudgetState {
    let state = this.states.get(key);
    if (!state) {
      state = { buckets: new Map(), reserved: 0, blockedUntil: 0, resetAt: 0 };
      this.states.set(key, state);
    }
    return state;
  }

  /** When a bucket stops counting, by our clock plus the margin for the portal's. */
  private dropsAt(index: number): number {
    return (index + this.bucketCount) * this.bucketMs + this.marginMs;
  }

  private live(state: BudgetState, now: number): Array<[number, number]> {
    for (const index of state.buckets.keys())
      if (this.dropsAt(index) <= now) state.buckets.delete(index);
    return [...state.buckets.entries()].sort((a, b) => a[0] - b[0]);
  }

  /** Seconds the ledger holds for `key` now (live buckets), without what is in flight. */
  used(key: string): number {
    const state = this.states.get(key);
    if (!state) return 0;
    return this.live(state, this.now()).reduce((sum, [, seconds]) => sum + seconds, 0);
  }

  /** Seconds one command of `method` is estimated to cost. */
  commandSeconds(method: string): number {
    return this.commandCost.get(method) ?? this.options.initialCommandSeconds ?? 0.01;
  }

  /**
   * What a call of `commands` runs of `method` may add to the window: their sum. The portal keeps
   * no sum of 0.1 s or less, but admission does not bank on that: an estimate a little short
   * would turn "free" into recorded, and the threshold is the portal's to change.
   */
  estimate(method: string, commands: number): number {
    return commands * this.commandSeconds(method);
  }

  /**
   * Epoch ms from which a call costing `seconds` fits in `key`'s budget (at most now when it fits
   * now): the live buckets drop out oldest first; a cost larger than the whole budget never fits
   * and gets a window from now.
   */
  notBefore(key: string, seconds = 0): number {
    if (!this.enabled) return 0;
    const state = this.states.get(key);
    const now = this.now();
    if (!state) return seconds <= this.limit() ? 0 : now + this.windowMs;
    const blocked = state.blockedUntil > now ? state.blockedUntil : 0;
    const buckets = this.live(state, now);
    let total = buckets.reduce((sum, [, spent]) => sum + spent, 0) + state.reserved + seconds;
    if (total <= this.limit()) return blocked;
    for (const [index, spent] of buckets) {
      total -= spent;
      if (total <= this.limit()) return Math.max(blocked, this.dropsAt(index));
    }
    return Math.max(blocked, now + this.windowMs);
  }

  private limit(): number {
    return this.options.budgetSeconds - this.headroom;
  }

  /** Takes a call's estimated cost from the ledger as it leaves. */
  reserve(key: string, method: string, commands: number): Reservation {
    const seconds = this.enabled ? this.estimate(method, commands) : 0;
    this.state(key).reserved += seconds;
    return { key, method, seconds, settled: false };
  }

  /** The call failed without running (or was refused): its estimate goes back. */
  cancel(reservation: Reservation): void {
    if (reservation.settled) return;
    reservation.settled = true;
    const state = this.states.get(reservation.key);
    if (state) state.reserved = Math.max(0, state.reserved - reservation.seconds);
  }

  /**
   * The call was answered: `blocks` are the time blocks of the commands that ran (a single call's
   * own block). Their `processing` summed is what the portal records for this request (when over
   * 0.1 s); each block's `operating` tells what the portal had recorded before, plus this request's
   * runs over 0.1 s: what it holds beyond our ledger was spent by someone else on the same key.
   */
  settle(reservation: Reservation, blocks: readonly unknown[]): void {
    this.cancel(reservation);
    if (!this.enabled) return;
    const { key, method } = reservation;
    const now = this.now();
    const runs = blocks.map(runSeconds).filter((seconds) => seconds !== undefined);
    if (runs.length > 0) {
      const perCommand = runs.reduce((sum, seconds) => sum + seconds, 0) / runs.length;
      const previous = this.commandCost.get(method);
      this.commandCost.set(
        method,
        previous === undefined ? perCommand : 0.7 * previous + 0.3 * perCommand,
      );
    }
    const sum = runs.reduce((total, seconds) => total + seconds, 0);
    const recorded = sum > this.minRecordedSeconds ? sum : 0;
    let reported: number | undefined;
    for (const block of blocks) {
      const reading = readMethodTime(block, now, {
        budgetSeconds: this.options.budgetSeconds,
        windowSeconds: this.windowMs / 1000,
      });
      if (!reading) continue;
      reported = Math.max(reported ?? 0, reading.operating);
      this.state(key).resetAt = reading.resetAt;
    }
    const state = this.state(key);
    const index = Math.floor(now / this.bucketMs);
    const add = (seconds: number) => {
      if (seconds > 0) state.buckets.set(index, (state.buckets.get(index) ?? 0) + seconds);
    };
    add(recorded);
    if (reported !== undefined) {
      // The portal's figure after this request: what it had before (its report less this request's
      // single runs over 0.1 s, which it already counted) plus this request's recorded sum.
      const countedInRequest = runs
        .filter((seconds) => seconds > this.minRecordedSeconds)
        .reduce((total, seconds) => total + seconds, 0);
      const portalAfter = reported - countedInRequest + recorded;
      add(portalAfter - this.used(key));
    }
  }

  /**
   * The call ran but its answer carried no time blocks (a whole-answer `WRONG_ENCODING`): the
   * portal recorded its runs all the same, so the estimate counts as spent.
   */
  settleUnanswered(reservation: Reservation): void {
    this.cancel(reservation);
    if (!this.enabled || !(reservation.seconds > this.minRecordedSeconds)) return;
    const state = this.state(reservation.key);
    const index = Math.floor(this.now() / this.bucketMs);
    state.buckets.set(index, (state.buckets.get(index) ?? 0) + reservation.seconds);
  }

  /** A `time` block of an answer of this method read outside a call of ours (never a batch's own). */
  observe(key: string, block: unknown): void {
    this.settle({ key, method: '', seconds: 0, settled: true }, [
      isRecord(block) ? { ...block, processing: undefined } : block,
    ]);
  }

  /**
   * The portal refused a call of this key with OPERATION_TIME_LIMIT: our ledger was short (someone
   * else spends the key). No call for at least 10 s or until the oldest minute drops out; the next
   * answer then brings the portal's figure.
   */
  refused(key: string): void {
    if (!this.enabled) return;
    const now = this.now();
    const state = this.state(key);
    const untilReset = state.resetAt > now ? state.resetAt + 1000 : 0;
    const pause = Math.max(now + (this.options.refusalPauseMs ?? 10_000), untilReset);
    state.blockedUntil = Math.max(state.blockedUntil, Math.min(pause, now + this.windowMs));
  }

  /** Drops budgets that hold nothing any more, so memory stays bounded as portals come and go. */
  forgetSettled(): void {
    const now = this.now();
    for (const [key, state] of this.states) {
      if (state.blockedUntil <= now && state.reserved === 0 && this.live(state, now).length === 0)
        this.states.delete(key);
    }
  }

  /** The figures for `key`, for metrics and tests. */
  snapshot(key: string): { used: number; reserved: number; blockedUntil: number } | undefined {
    const state = this.states.get(key);
    return (
      state && { used: this.used(key), reserved: state.reserved, blockedUntil: state.blockedUntil }
    );
  }
}
