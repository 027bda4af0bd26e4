/**
 * The two budgets a portal enforces (docs/bitrix24-api.md, "Rate limits" and "Method time"),
 * emulated in memory.
 * These are the thing under test, so they are written out here rather than taken from a library.
 */

export interface LeakyBucketOptions {
  /** Requests the bucket holds before it refuses (50 on standard plans, 250 on Enterprise). */
  readonly capacity: number;
  /** Requests drained per second (2 on standard plans, 5 on Enterprise). */
  readonly drainPerSecond: number;
}

/** Every request adds one unit; the bucket drains continuously; a full bucket refuses. */
export class LeakyBucket {
  private level = 0;
  private updatedAt = performance.now();

  constructor(private readonly options: LeakyBucketOptions) {}

  /** Adds one request; false (and nothing added) when the bucket is full. */
  tryAdd(): boolean {
    const now = performance.now();
    this.level = Math.max(
      0,
      this.level - ((now - this.updatedAt) / 1000) * this.options.drainPerSecond,
    );
    this.updatedAt = now;
    if (this.level + 1 > this.options.capacity + 1e-9) return false;
    this.level += 1;
    return true;
  }

  /** Empties the bucket at once, as a long enough quiet spell would (tests start afresh with it). */
  empty(): void {
    this.level = 0;
    this.updatedAt = performance.now();
  }
}

/** One run of a method, as the cost model sees it. */
export interface MethodRun {
  readonly method: string;
  /** What the method answered (the `result` of its envelope). */
  readonly result: unknown;
}

/** Seconds of method time one run costs. */
export type MethodCost = (run: MethodRun) => number;

export interface MethodTimeOptions {
  /**
   * Seconds of method time one key (an app, a webhook, or every webhook's batched commands) may
   * spend on one method per window: 420 by the portal's default (`LoadLimiter::$limitTime`). A run
   * is refused (OPERATION_TIME_LIMIT) while more than this is recorded.
   */
  readonly budgetSeconds: number;
  /** Length of one bucket in seconds (60 on portals). */
  readonly bucketSeconds?: number;
  /** Buckets in the sliding window (10 on portals, so the window is 10 minutes). */
  readonly bucketCount?: number;
  /**
   * A request's sum of runs of one method is recorded only when over this (0.1 s on portals,
   * `LoadLimiter::$minimalFixTime`); the in-request check skips single runs under it.
   */
  readonly minRecordedSeconds?: number;
  /**
   * What one run costs: the same seconds for every run, or a function of the run. Default
   * `realisticRunSeconds`: a few milliseconds for a small chat (not recorded), more than 0.1 s for
   * a chat of a few thousand members (recorded).
   */
  readonly costSeconds?: number | MethodCost;
}

/**
 * The default cost model of `im.dialog.get`: the portal builds `readed_list` and the relations per
 * member, so a big chat is slow. About 4 ms plus 0.1 ms a member: 4.5 ms for a chat of 5, ~0.3 s
 * for one of 3 000. Old-generation answers carry no member count and cost the 4 ms.
 */
export const realisticRunSeconds: MethodCost = ({ result }) => {
  const members =
    typeof result === 'object' && result !== null
      ? (result as Record<string, unknown>).user_counter
      : undefined;
  return 0.004 + (typeof members === 'number' && members > 0 ? members * 0.0001 : 0);
};

/** The method time a portal reports in a `time` block. */
export interface OperatingTime {
  /** Seconds recorded in the current window. */
  readonly operating: number;
  /** Unix seconds at which the oldest recorded bucket drops out (or a window from now when none is). */
  readonly operating_reset_at: number;
}

interface Bucket {
  /** floor(epoch seconds / bucketSeconds) */
  readonly index: number;
  seconds: number;
  /** Epoch ms: the first run recorded in the bucket plus one window, as the portal stores it. */
  readonly expiresAt: number;
}

/**
 * Method time as a portal's limiter counts it (docs/bitrix24-api.md, "Method time";
 * `rest/lib/engine/access/loadlimiter.php`): per account × method, in a sliding window of
 * `bucketCount` buckets of `bucketSeconds`. Runs are gathered per request (`request()`): at its end
 * the SUM of every run of one method (a batch of 50 `im.dialog.get` is 50 runs) is recorded when it
 * is over `minRecordedSeconds`. While the request runs, the check and the reported `operating` add
 * to what is recorded only this request's single runs over that threshold. A refused run is never
 * recorded (it never ran). `operating_reset_at` is when the oldest live bucket drops out.
 */
export class MethodTimeBudget {
  readonly bucketSeconds: number;
  readonly bucketCount: number;
  readonly minRecordedSeconds: number;
  private readonly cost: MethodCost;
  private readonly ledgers = new Map<string, Bucket[]>();

  constructor(
    readonly options: MethodTimeOptions,
    /** Epoch ms; replaceable so unit tests can move time. */
    private readonly now: () => number = Date.now,
  ) {
    this.bucketSeconds = options.bucketSeconds ?? 60;
    this.bucketCount = options.bucketCount ?? 10;
    this.minRecordedSeconds = options.minRecordedSeconds ?? 0.1;
    const cost = options.costSeconds ?? realisticRunSeconds;
    this.cost = typeof cost === 'number' ? () => cost : cost;
  }

  get windowSeconds(): number {
    return this.bucketSeconds * this.bucketCount;
  }

  /** Seconds one run costs under this budget's cost model. */
  costOf(run: MethodRun): number {
    return Math.max(0, this.cost(run));
  }

  private liveBuckets(account: string, method: string): Bucket[] {
    const key = `${account}\u0000${method}`;
    const current = Math.floor(this.now() / 1000 / this.bucketSeconds);
    const live = (this.ledgers.get(key) ?? []).filter(
      (bucket) => bucket.index > current - this.bucketCount,
    );
    if (live.length === 0) this.ledgers.delete(key);
    else this.ledgers.set(key, live);
    return live;
  }

  /** Seconds recorded for `account` × `method` in the current window. */
  used(account: string, method: string): number {
    return this.liveBuckets(account, method).reduce((sum, bucket) => sum + bucket.seconds, 0);
  }

  /** Whether a run of `method` by `account` is refused now: more than the budget is recorded. */
  exhausted(account: string, method: string): boolean {
    return this.used(account, method) > this.options.budgetSeconds;
  }

  /** The runs of one request: checked and reported as the portal does, recorded by `finish()`. */
  request(): RequestRuns {
    return new RequestRuns(this);
  }

  /**
   * Records what one request spent on `method`: the sum of its runs, kept only when over
   * `minRecordedSeconds` (a request of one run: that run).
   */
  record(account: string, method: string, seconds: number): void {
    if (!(seconds > this.minRecordedSeconds)) return;
    const now = this.now();
    const index = Math.floor(now / 1000 / this.bucketSeconds);
    const buckets = this.liveBuckets(account, method);
    const bucket = buckets.find((candidate) => candidate.index === index);
    if (bucket) bucket.seconds += seconds;
    else
      this.ledgers.set(`${account}\u0000${method}`, [
        ...buckets,
        { index, seconds, expiresAt: now + this.windowSeconds * 1000 },
      ]);
  }

  /** The `operating` and `operating_reset_at` a portal reports for `account` × `method`. */
  report(account: string, method: string, extraSeconds = 0): OperatingTime {
    const buckets = this.liveBuckets(account, method);
    const operating = buckets.reduce((sum, bucket) => sum + bucket.seconds, extraSeconds);
    const resetAt =
      buckets.length > 0
        ? Math.min(...buckets.map((bucket) => bucket.expiresAt))
        : this.now() + this.windowSeconds * 1000;
    return {
      operating: Math.round(operating * 1e6) / 1e6,
      operating_reset_at: Math.ceil(resetAt / 1000),
    };
  }

  /** Forgets everything recorded (a fresh window for every account). */
  clear(): void {
    this.ledgers.clear();
  }
}

/**
 * The runs of one request, as `LoadLimiter` holds them (`$timeRegistered`) until the request ends:
 * each run's seconds per account × method. The check before a run and the `operating` of an answer
 * see what is recorded plus this request's runs over the threshold taken one by one; `finish()`
 * records each account × method's sum (over the threshold) in the current bucket.
 */
export class RequestRuns {
  private readonly runs = new Map<string, { account: string; method: string; seconds: number[] }>();

  constructor(private readonly budget: MethodTimeBudget) {}

  private entry(account: string, method: string) {
    const key = `${account}\u0000${method}`;
    let entry = this.runs.get(key);
    if (!entry) {
      entry = { account, method, seconds: [] };
      this.runs.set(key, entry);
    }
    return entry;
  }

  /** This request's runs so far that the in-request check counts: each one over the threshold. */
  private countedSoFar(account: string, method: string): number {
    return this.entry(account, method)
      .seconds.filter((seconds) => seconds > this.budget.minRecordedSeconds)
      .reduce((sum, seconds) => sum + seconds, 0);
  }

  exhausted(account: string, method: string): boolean {
    return (
      this.budget.used(account, method) + this.countedSoFar(account, method) >
      this.budget.options.budgetSeconds
    );
  }

  run(account: string, method: string, seconds: number): void {
    this.entry(account, method).seconds.push(seconds);
  }

  report(account: string, method: string): OperatingTime {
    return this.budget.report(account, method, this.countedSoFar(account, method));
  }

  /** The request is over: each account × method's sum goes into the window when over 0.1 s. */
  finish(): void {
    for (const { account, method, seconds } of this.runs.values()) {
      this.budget.record(
        account,
        method,
        seconds.reduce((sum, one) => sum + one, 0),
      );
    }
    this.runs.clear();
  }
}
