import { LRUCache } from 'lru-cache';
import { Bitrix24Error } from '../errors.js';

/** Refusals that will not change within seconds: the token or webhook is wrong, revoked or expired. */
const LASTING_REFUSALS: ReadonlySet<string> = new Set([
  'invalid_token',
  'expired_token',
  'NO_AUTH_FOUND',
  'INVALID_CREDENTIALS',
]);

interface Refusal {
  readonly error: Bitrix24Error;
  /** Epoch ms. */
  readonly until: number;
}

/**
 * What the portal said of each caller lately, so that callers it refuses cannot spend the budget
 * real users need: a refused token is answered locally for a short while, and a token the portal
 * has not accepted yet gets one call at a time (a flood of random tokens costs one call per token,
 * not one per request). Keyed by the caller's identity (a hash, never the token), bounded.
 */
export class CallerReputation {
  private readonly refusals: LRUCache<string, Refusal>;
  private readonly accepted: LRUCache<string, true>;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: { refusalTtlMs?: number; maxEntries?: number; now?: () => number } = {}) {
    this.refusals = new LRUCache({ max: options.maxEntries ?? 10_000 });
    this.accepted = new LRUCache({ max: options.maxEntries ?? 10_000 });
    this.ttlMs = options.refusalTtlMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** The portal refused a call of this caller; remembered when the refusal is one that lasts. */
  refused(identity: string, error: Bitrix24Error): void {
    if (!LASTING_REFUSALS.has(error.code)) return;
    // Answered here from now on: the same answer, marked as ours, so it is not logged as the portal's.
    const { failure, code, message, status, retryable } = error;
    this.refusals.set(identity, {
      error: new Bitrix24Error({ failure, code, message, status, retryable, local: true }),
      until: this.now() + this.ttlMs,
    });
    this.accepted.delete(identity);
  }

  /** The portal answered a call of this caller (a dialog, or a documented error about one). */
  answered(identity: string): void {
    this.accepted.set(identity, true);
  }

  /** The refusal to answer locally, while it lasts. */
  refusal(identity: string): Bitrix24Error | undefined {
    const refusal = this.refusals.get(identity);
    if (refusal === undefined) return undefined;
    if (refusal.until > this.now()) return refusal.error;
    this.refusals.delete(identity);
    return undefined;
  }

  /** Whether the portal has not yet accepted this caller: then one call at a time. */
  unproven(identity: string): boolean {
    return !this.accepted.has(identity);
  }
}
