import type { BucketLimits, BucketReading, BucketStore } from './bucket-store.js';

/**
 * A shared store (Redis) that never makes the server depend on it: while it fails, each replica
 * keeps a local bucket with its share of the portal's budget (`shareOf`), and carries on.
 */
export class FallbackBucketStore implements BucketStore {
  constructor(
    private readonly primary: BucketStore,
    private readonly fallback: BucketStore,
    /** This replica's share of the portal's bucket while the primary is away. */
    private readonly shareOf: (limits: BucketLimits) => BucketLimits,
    private readonly onFallback: (error: unknown) => void = () => undefined,
  ) {}

  private async either(
    operation: 'take' | 'fill' | 'peek',
    key: string,
    limits: BucketLimits,
  ): Promise<BucketReading> {
    try {
      return await this.primary[operation](key, limits);
    } catch (error) {
      this.onFallback(error);
      return this.fallback[operation](key, this.shareOf(limits));
    }
  }

  take(key: string, limits: BucketLimits): Promise<BucketReading> {
    return this.either('take', key, limits);
  }

  fill(key: string, limits: BucketLimits): Promise<BucketReading> {
    return this.either('fill', key, limits);
  }

  peek(key: string, limits: BucketLimits): Promise<BucketReading> {
    return this.either('peek', key, limits);
  }

  /** The shared store expires its own keys; the local one is asked. */
  forget(key: string, limits: BucketLimits): boolean {
    return this.fallback.forget?.(key, this.shareOf(limits)) ?? true;
  }
}
