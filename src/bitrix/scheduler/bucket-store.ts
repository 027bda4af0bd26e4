/**
 * Where the mirror of a portal's leaky bucket lives: in this process, or in Redis shared by replicas.
 *
 * The portal's bucket (docs/bitrix24-api.md, "Rate limits") holds `capacity` requests and drains
 * `ratePerSecond` of them continuously; a request that would overflow it is refused. A store keeps
 * the same two numbers per key (level, and when it was last updated) and answers exactly what the
 * portal would: a request may go now, or in so many milliseconds.
 */
export interface BucketLimits {
  /** Requests the bucket holds (50 on standard plans, less our safety margin). */
  readonly capacity: number;
  /** Requests drained per second (2 on standard plans). */
  readonly ratePerSecond: number;
}

export interface BucketReading {
  /** The bucket's level after the operation. */
  readonly level: number;
  /** 0 when the slot was taken; otherwise milliseconds until one frees (nothing was taken). */
  readonly waitMs: number;
}

export interface BucketStore {
  /** Takes one slot when the bucket has room for it. */
  take(key: string, limits: BucketLimits): Promise<BucketReading>;
  /** The portal refused a request: its bucket is full now, whatever we counted. */
  fill(key: string, limits: BucketLimits): Promise<BucketReading>;
  /** The level now, for metrics; takes nothing. */
  peek(key: string, limits: BucketLimits): Promise<BucketReading>;
  /**
   * Drops the key when its bucket has drained (then it is the same as absent); false while it still
   * holds calls. Stores whose keys expire by themselves (Redis) need not implement it.
   */
  forget?(key: string, limits: BucketLimits): boolean;
}

/** The leaky-bucket arithmetic, shared by the in-process store and (as Lua) the Redis one. */
export function drain(level: number, elapsedMs: number, ratePerSecond: number): number {
  return Math.max(0, level - (Math.max(0, elapsedMs) * ratePerSecond) / 1000);
}

/** A tolerance for float rounding: a bucket at 49.9999999 of 50 has room for one more. */
const EPSILON = 1e-9;

export function tryAdd(level: number, limits: BucketLimits): BucketReading {
  if (level + 1 <= limits.capacity + EPSILON) return { level: level + 1, waitMs: 0 };
  return {
    level,
    waitMs: Math.max(1, Math.ceil(((level + 1 - limits.capacity) * 1000) / limits.ratePerSecond)),
  };
}

interface MemoryBucket {
  level: number;
  updatedAt: number;
}

/** The bucket mirror of one process. `now` is injectable so that tests can run on fake time. */
export class MemoryBucketStore implements BucketStore {
  private readonly buckets = new Map<string, MemoryBucket>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  private current(key: string, limits: BucketLimits): MemoryBucket {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { level: 0, updatedAt: now };
    bucket.level = drain(bucket.level, now - bucket.updatedAt, limits.ratePerSecond);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    return bucket;
  }

  async take(key: string, limits: BucketLimits): Promise<BucketReading> {
    const bucket = this.current(key, limits);
    const reading = tryAdd(bucket.level, limits);
    bucket.level = reading.level;
    return reading;
  }

  async fill(key: string, limits: BucketLimits): Promise<BucketReading> {
    const bucket = this.current(key, limits);
    bucket.level = limits.capacity;
    return { level: bucket.level, waitMs: 0 };
  }

  async peek(key: string, limits: BucketLimits): Promise<BucketReading> {
    return { level: this.current(key, limits).level, waitMs: 0 };
  }

  forget(key: string, limits: BucketLimits): boolean {
    const bucket = this.buckets.get(key);
    if (bucket && drain(bucket.level, this.now() - bucket.updatedAt, limits.ratePerSecond) > 0)
      return false;
    this.buckets.delete(key);
    return true;
  }
}
