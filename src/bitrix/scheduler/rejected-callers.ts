import { LRUCache } from 'lru-cache';
import type { Bitrix24Error } from '../errors.js';

/** Refusals that will not change within seconds: the token or webhook is wrong, revoked or expired. */
const LASTING_REFUSALS: ReadonlySet<string> = new Set(['invalid_token', 'expired_token', 'NO_AUTH_FOUND', 'INVALID_CREDENTIALS']);

interface Refusal {
  readonly error: Bitrix24Error;
  /** Epoch ms. */
  readonly until: number;
}

/**
 * Callers the portal just refused, answered locally for a short while: requests with random or
 * revoked tokens would otherwise each spend a call of the portal's budget that real users need.
 * Keyed by the caller's identity (a hash, never the token), bounded in size and time.
 */
export class RejectedCallers {
  private readonly refusals: LRUCache<string, Refusal>;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}) {
    this.refusals = new LRUCache({ max: options.maxEntries ?? 10_000 });
    this.ttlMs = options.ttlMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** Remembers the refusal when it is one that lasts. */
  remember(identity: string, error: Bitrix24Error): void {
    if (LASTING_REFUSALS.has(error.code)) this.refusals.set(identity, { error, until: this.now() + this.ttlMs });
  }

  recall(identity: string): Bitrix24Error | undefined {
    const refusal = this.refusals.get(identity);
    if (refusal === undefined) return undefined;
    if (refusal.until > this.now()) return refusal.error;
    this.refusals.delete(identity);
    return undefined;
  }
}
