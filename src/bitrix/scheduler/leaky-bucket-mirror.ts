import type { BucketLimits, BucketReading, BucketStore } from './bucket-store.js';

export interface LeakyBucketMirrorOptions {
  /** The portal's bucket size (`BITRIX24_BURST`: 50 on standard plans, 250 on Enterprise). */
  readonly burst: number;
  /** The portal's drain rate (`BITRIX24_RPS`: 2 on standard plans, 5 on Enterprise). */
  readonly rps: number;
  readonly store: BucketStore;
  /**
   * Milliseconds of jitter between a call leaving here and arriving at the portal that the mirror
   * absorbs (default 250: a burst of 50 calls leaves one process over up to ~200 ms, and the portal
   * counts them as they arrive). It keeps `rps × margin` of the bucket free (half a call at 2/s),
   * which costs the same time once: the last call of a full burst leaves that late; the steady
   * rate is unchanged.
   */
  readonly safetyMarginMs?: number;
  /** Epoch ms; injectable for tests on fake time. */
  readonly now?: () => number;
}

/** How the mirror follows a portal that someone else also spends (the official JS SDK's rule). */
const REFUSALS_TO_CUT = 5;
const REFUSAL_WINDOW_MS = 60_000;
const CUT = 0.8;
const SUCCESSES_TO_RESTORE = 20;
const RESTORE = 1.1;
const LOWEST_FACTOR = 0.2;

interface Adaptation {
  factor: number;
  refusals: number[];
  cleanSuccesses: number;
  /** When the mirror last learned that the real bucket was full. */
  filledAt: number;
  /** The largest recent lag between the mirror counting a call and the call leaving this process. */
  dispatchLag: { ms: number; at: number };
}

/** One stalled call (a pause of the whole process) cannot take more than 5 s of the bucket. */
const LARGEST_LAG_MS = 5000;

/**
 * The mirror of each portal's leaky bucket: a call leaves when the mirror has room for it, so from
 * idle `burst` calls go at once (the last of them 250 ms late: the safety margin) and then exactly
 * `rps` per second, and the portal's bucket never overflows when we are its only
 * client.
 *
 * Adaptive to a shared portal: a `QUERY_LIMIT_EXCEEDED` means the real bucket is full now, so the
 * mirror is filled (in Redis, for every replica); 5 refusals within a minute (of calls sent after
 * the mirror had learned of the previous one) cut the mirror's rate and size by 20 %, and every 20 clean answers after that give back 10 %, up to the configured figures.
 */
export class LeakyBucketMirror {
  private readonly adaptations = new Map<string, Adaptation>();
  private readonly now: () => number;

  constructor(private readonly options: LeakyBucketMirrorOptions) {
    this.now = options.now ?? Date.now;
  }

  private adaptation(portal: string): Adaptation {
    let adaptation = this.adaptations.get(portal);
    if (!adaptation) {
      adaptation = {
        factor: 1,
        refusals: [],
        cleanSuccesses: 0,
        filledAt: Number.NEGATIVE_INFINITY,
        dispatchLag: { ms: 0, at: 0 },
      };
      this.adaptations.set(portal, adaptation);
    }
    return adaptation;
  }

  /** The bucket the mirror assumes for `portal` now. */
  limits(portal: string): BucketLimits {
    const adaptation = this.adaptation(portal);
    const ratePerSecond = this.options.rps * adaptation.factor;
    // Calls counted here but sent late (a busy event loop) reach the portal late: the margin grows
    // to the lag (see dispatchLag).
    const marginMs = Math.max(this.options.safetyMarginMs ?? 250, adaptation.dispatchLag.ms);
    const margin = (ratePerSecond * marginMs) / 1000;
    return {
      capacity: Math.max(1, Math.floor(this.options.burst * adaptation.factor) - margin),
      ratePerSecond,
    };
  }

  /** Share of the configured budget the mirror uses now (1 until a shared portal is detected). */
  factor(portal: string): number {
    return this.adaptation(portal).factor;
  }

  /** Takes a slot for one call now, or tells how long until one frees. */
  async take(portal: string): Promise<BucketReading> {
    const reading = await this.options.store.take(portal, this.limits(portal));
    const adaptation = this.adaptations.get(portal);
    // The bucket was empty (this call is all it holds) long enough for the portal's to be empty too:
    // a lag seen before no longer shifts the portal's level from ours.
    if (
      adaptation &&
      reading.waitMs === 0 &&
      reading.level <= 1 &&
      this.now() - adaptation.dispatchLag.at >= adaptation.dispatchLag.ms
    ) {
      adaptation.dispatchLag = { ms: 0, at: 0 };
    }
    return reading;
  }

  peek(portal: string): Promise<BucketReading> {
    return this.options.store.peek(portal, this.limits(portal));
  }

  /**
   * The portal answered QUERY_LIMIT_EXCEEDED to a call that left at `sentAt` (epoch ms): its bucket
   * is full now. Refusals of calls that were already out when the mirror last learned this are the
   * same news, not more of it: they neither fill again nor count toward a cut.
   */
  async refused(portal: string, sentAt: number): Promise<void> {
    const adaptation = this.adaptation(portal);
    if (sentAt < adaptation.filledAt) return;
    const now = this.now();
    adaptation.filledAt = now;
    adaptation.cleanSuccesses = 0;
    adaptation.refusals = adaptation.refusals.filter((at) => now - at < REFUSAL_WINDOW_MS);
    adaptation.refusals.push(now);
    if (adaptation.refusals.length >= REFUSALS_TO_CUT) {
      adaptation.factor = Math.max(LOWEST_FACTOR, adaptation.factor * CUT);
      adaptation.refusals = [];
    }
    await this.options.store.fill(portal, this.limits(portal));
  }

  /**
   * A call left this process (or has still not left) `lagMs` after the mirror counted it. The
   * portal counts a call when it arrives and drains only what has arrived, so calls that leave late
   * put the portal's level above ours by the lag's worth of drain, for as long as its bucket stays
   * non-empty. The largest lag is kept (at most 5 s) until our bucket has been empty for that long.
   */
  dispatchLag(portal: string, lagMs: number): void {
    const adaptation = this.adaptation(portal);
    const lag = Math.min(LARGEST_LAG_MS, lagMs);
    if (lag >= adaptation.dispatchLag.ms) adaptation.dispatchLag = { ms: lag, at: this.now() };
  }

  /**
   * Forgets a portal whose mirror holds nothing worth keeping: its bucket drained, no adaptation to
   * another app in force or in the making. False (and nothing forgotten) otherwise.
   */
  forget(portal: string): boolean {
    const adaptation = this.adaptations.get(portal);
    if (
      adaptation &&
      (adaptation.factor < 1 ||
        adaptation.refusals.length > 0 ||
        this.now() - adaptation.filledAt < REFUSAL_WINDOW_MS)
    )
      return false;
    if (this.options.store.forget?.(portal, this.limits(portal)) === false) return false;
    this.adaptations.delete(portal);
    return true;
  }

  /** The portal accepted a call. */
  accepted(portal: string): void {
    const adaptation = this.adaptation(portal);
    if (adaptation.factor >= 1) return;
    adaptation.cleanSuccesses++;
    if (adaptation.cleanSuccesses >= SUCCESSES_TO_RESTORE) {
      adaptation.factor = Math.min(1, adaptation.factor * RESTORE);
      adaptation.cleanSuccesses = 0;
    }
  }
}
