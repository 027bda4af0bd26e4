import type { BucketLimits, BucketReading, BucketStore } from './bucket-store.js';

type Operation = 'take' | 'fill' | 'peek';

export interface FallbackBucketStoreOptions {
  /**
   * Whether the primary is worth asking now (false while the connection is down or a probe found
   * it hung): then the local bucket answers at once instead of after a command's timeout.
   */
  readonly primaryAvailable?: (() => boolean) | undefined;
}

/**
 * A shared store (Redis) that never makes the server depend on it: while it fails, each replica
 * keeps a local bucket with its share of the portal's budget (`shareOf`), and carries on.
 *
 * Transitions are where a portal gets overrun, so both start conservatively:
 * - **Going local**: nothing tells how full the portal's bucket was when Redis went away, so a
 *   portal's local bucket starts full at the first call of each outage (the share's steady rate
 *   at once, no burst), not empty.
 * - **Coming back**: Redis never counted the calls this replica sent while away, and a Redis that
 *   restarted has forgotten everything; each portal this replica paced locally is marked full in
 *   Redis (for every replica) before its first call there.
 */
export class FallbackBucketStore implements BucketStore {
  /** Whether the last operation went to the local bucket. */
  private away = false;
  /** Portals whose local bucket has been started full in this outage. */
  private readonly startedFull = new Set<string>();
  /** Portals paced locally while away: marked full in the primary before their next call there. */
  private readonly unknownToPrimary = new Set<string>();

  constructor(
    private readonly primary: BucketStore,
    private readonly fallback: BucketStore,
    /** This replica's share of the portal's bucket while the primary is away. */
    private readonly shareOf: (limits: BucketLimits) => BucketLimits,
    private readonly onFallback: (error: unknown) => void = () => undefined,
    private readonly options: FallbackBucketStoreOptions = {},
  ) {}

  private async either(
    operation: Operation,
    key: string,
    limits: BucketLimits,
  ): Promise<BucketReading> {
    if (this.options.primaryAvailable?.() !== false) {
      try {
        if (operation !== 'peek' && this.unknownToPrimary.has(key)) {
          await this.primary.fill(key, limits);
          this.unknownToPrimary.delete(key);
        }
        const reading = await this.primary[operation](key, limits);
        if (this.away) {
          this.away = false;
          this.startedFull.clear();
        }
        return reading;
      } catch (error) {
        this.onFallback(error);
      }
    }
    return this.local(operation, key, limits);
  }

  private async local(
    operation: Operation,
    key: string,
    limits: BucketLimits,
  ): Promise<BucketReading> {
    const share = this.shareOf(limits);
    this.away = true;
    if (!this.startedFull.has(key)) {
      this.startedFull.add(key);
      await this.fallback.fill(key, share);
    }
    const reading = await this.fallback[operation](key, share);
    if (operation !== 'peek') this.unknownToPrimary.add(key);
    return reading;
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

  /**
   * The shared store expires its own keys; the local one is asked. Once the local bucket has
   * drained, what this replica sent while away has drained from the portal too: nothing is left to
   * tell Redis.
   */
  forget(key: string, limits: BucketLimits): boolean {
    if (this.fallback.forget?.(key, this.shareOf(limits)) === false) return false;
    this.unknownToPrimary.delete(key);
    this.startedFull.delete(key);
    return true;
  }
}
