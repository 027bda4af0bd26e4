import { isRecord } from './envelope.js';

/**
 * The portal's method-time budget (docs/bitrix24-api.md, "Method time"): about 480 s of execution
 * time per method per 10 minutes (420 on-premise), kept per app or webhook × method, counted in
 * ten sliding one-minute buckets. Answers report it in their `time` block — for `batch`, per
 * command in `result_time`; the batch's own block always says `operating: 0` and must never be
 * read as news.
 */
export interface MethodTimeOptions {
  /** Seconds per window (`BITRIX24_METHOD_TIME_BUDGET_S`: 480 on the cloud, 420 on-premise). */
  readonly budgetSeconds: number;
  /** The portal's window; a reported reset further ahead than this is not believed. */
  readonly windowSeconds?: number;
  /** Share of the budget from which calls slow down (the JS SDK: 80 %). */
  readonly slowDownFrom?: number;
  /** Seconds left at which calls stop until the oldest bucket drops out (the JS SDK: 5 of 480; at most 1 % of the budget). */
  readonly stopSecondsBefore?: number;
  /** The longest pause between two calls while slowing down (the JS SDK: 7 s). */
  readonly maxSlowDownMs?: number;
  /** The least pause after an OPERATION_TIME_LIMIT refusal (the JS SDK: 10 s). */
  readonly refusalPauseMs?: number;
  readonly now?: () => number;
}

interface BudgetState {
  /** Seconds used in the current window, as the portal last reported. */
  operating: number;
  /** Epoch ms when the window's oldest bucket drops out; 0 when unknown. */
  resetAt: number;
  /** Epoch ms until which no call may leave (a refusal, or the budget nearly spent). */
  blockedUntil: number;
  lastSentAt: number;
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
  const number = (value: unknown): number | undefined => {
    const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    return typeof parsed === 'number' && Number.isFinite(parsed) ? parsed : undefined;
  };
  const operating = number(block.operating);
  const resetAtSeconds = number(block.operating_reset_at);
  if (operating === undefined || resetAtSeconds === undefined) return undefined;
  const latestReset = now + options.windowSeconds * 1000;
  return {
    operating: Math.min(Math.max(operating, 0), options.budgetSeconds * 2),
    resetAt: Math.min(Math.max(resetAtSeconds * 1000, 0), latestReset),
  };
}

/**
 * Mirrors each method-time budget we spend (key: portal × app-or-webhook × method) from the
 * answers, and says when the next call may leave: at once below 80 %, with a growing pause above,
 * not at all from 5 s before the end until the oldest bucket drops out, and not for at least 10 s
 * (or until that drop) after a refusal. Spending the budget to the end would block the method for
 * every user of the app on the portal.
 */
export class MethodTimeMirror {
  private readonly states = new Map<string, BudgetState>();
  private readonly now: () => number;
  private readonly windowSeconds: number;

  constructor(private readonly options: MethodTimeOptions) {
    this.now = options.now ?? Date.now;
    this.windowSeconds = options.windowSeconds ?? 600;
  }

  private state(key: string): BudgetState {
    let state = this.states.get(key);
    if (!state) {
      state = { operating: 0, resetAt: 0, blockedUntil: 0, lastSentAt: 0 };
      this.states.set(key, state);
    }
    return state;
  }

  /** A `time` block of an answer of this method (never a batch's own block). */
  observe(key: string, block: unknown): void {
    const reading = readMethodTime(block, this.now(), {
      budgetSeconds: this.options.budgetSeconds,
      windowSeconds: this.windowSeconds,
    });
    if (!reading) return;
    const state = this.state(key);
    state.operating = reading.operating;
    state.resetAt = reading.resetAt;
  }

  /** The portal refused a call of this method with OPERATION_TIME_LIMIT. */
  refused(key: string): void {
    const now = this.now();
    const state = this.state(key);
    const untilReset = state.resetAt > now ? state.resetAt + 1000 : 0;
    const pause = Math.max(now + (this.options.refusalPauseMs ?? 10_000), untilReset);
    state.blockedUntil = Math.max(
      state.blockedUntil,
      Math.min(pause, now + this.windowSeconds * 1000),
    );
    state.operating = Math.max(state.operating, this.options.budgetSeconds);
  }

  sent(key: string): void {
    this.state(key).lastSentAt = this.now();
  }

  /** Epoch ms before which no call of this key should leave; at most `now` when one may go now. */
  notBefore(key: string): number {
    const state = this.states.get(key);
    if (!state) return 0;
    const now = this.now();
    if (state.blockedUntil > now) return state.blockedUntil;
    // Past the reported reset the oldest minute has dropped out: the figure is stale until the
    // next answer brings a new one.
    if (state.resetAt <= now) return 0;
    const budget = this.options.budgetSeconds;
    const stopAt = budget - (this.options.stopSecondsBefore ?? Math.min(5, budget * 0.01));
    if (state.operating >= stopAt) return state.resetAt + 1000;
    const slowFrom = budget * (this.options.slowDownFrom ?? 0.8);
    if (state.operating < slowFrom) return 0;
    const share = (state.operating - slowFrom) / Math.max(stopAt - slowFrom, 1e-9);
    return state.lastSentAt + share * (this.options.maxSlowDownMs ?? 7000);
  }

  /**
   * Drops the budgets that no longer hold anything: no pause in force and the reported window
   * over, so `notBefore` would say 0 either way. Keeps memory bounded when many portals come and go.
   */
  forgetSettled(): void {
    const now = this.now();
    for (const [key, state] of this.states) {
      if (state.blockedUntil <= now && state.resetAt <= now) this.states.delete(key);
    }
  }

  /** The figures for `key`, for metrics and tests. */
  snapshot(key: string): Readonly<BudgetState> | undefined {
    return this.states.get(key);
  }
}
