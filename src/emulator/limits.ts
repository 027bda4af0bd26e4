/**
 * The two budgets a portal enforces (bitrix24-rest.md, "Rate limits"), emulated in memory.
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
    this.level = Math.max(0, this.level - ((now - this.updatedAt) / 1000) * this.options.drainPerSecond);
    this.updatedAt = now;
    if (this.level + 1 > this.options.capacity + 1e-9) return false;
    this.level += 1;
    return true;
  }
}

export interface MethodTimeOptions {
  /** Seconds of method time allowed per window (480 on real portals). */
  readonly budgetSeconds: number;
  /** Window length in seconds (600 on real portals). */
  readonly windowSeconds: number;
  /** Seconds one run of a method costs here. */
  readonly costSeconds: number;
}

/** Per-method execution-time budget: `time.operating` reports use, over budget answers 429. */
export class MethodTimeBudget {
  private readonly used = new Map<string, number>();
  private windowStart = Date.now();

  constructor(readonly options: MethodTimeOptions) {}

  private roll(): void {
    if (Date.now() - this.windowStart >= this.options.windowSeconds * 1000) {
      this.used.clear();
      this.windowStart = Date.now();
    }
  }

  exhausted(method: string): boolean {
    this.roll();
    return (this.used.get(method) ?? 0) >= this.options.budgetSeconds;
  }

  charge(method: string): void {
    this.roll();
    this.used.set(method, (this.used.get(method) ?? 0) + this.options.costSeconds);
  }

  operating(method: string): number {
    this.roll();
    return Math.round((this.used.get(method) ?? 0) * 1000) / 1000;
  }

  /** Unix seconds at which the current window ends. */
  get resetAt(): number {
    return Math.ceil((this.windowStart + this.options.windowSeconds * 1000) / 1000);
  }
}
