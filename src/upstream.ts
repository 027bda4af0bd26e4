import type { Logger } from 'pino';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { Bitrix24Client, DEFAULT_RETRY, type ClientEvents, type RetryPolicy } from './bitrix/client.js';
import { DialogCache, MemoryDialogCacheStore, type DialogCacheStore } from './bitrix/dialog-cache.js';
import { OperatingTime } from './bitrix/operating-time.js';
import { memoryLimiter, Pacer } from './bitrix/pacer.js';
import { PortalHealth } from './bitrix/portal-health.js';

export interface UpstreamOptions {
  readonly logger: Logger;
  readonly timeoutMs: number;
  readonly rps: number;
  readonly burst: number;
  readonly maxQueue: number;
  readonly retry?: RetryPolicy;
  /** A shared counter (Redis) instead of the in-process one. */
  readonly limiter?: RateLimiterAbstract;
  readonly events?: ClientEvents;
  readonly onQueueChange?: (portal: string, depth: number) => void;
  /** How long an answer keeps the portal "ready". */
  readonly healthFreshForMs?: number;
  /** The portal's method-time budget per window (480 s on real portals). */
  readonly operatingBudgetSeconds?: number;
  /** Cache dialogs across requests for this long (0: no cache), in a store of at most `cacheMaxEntries`. */
  readonly cacheTtlMs?: number;
  readonly cacheMaxEntries?: number;
  /** A shared cache store (Redis) instead of the in-process one. */
  readonly cacheStore?: DialogCacheStore;
  /** Reuse connections to the portal (default true). */
  readonly keepAlive?: boolean;
}

export interface Upstream {
  readonly client: Bitrix24Client;
  readonly pacer: Pacer;
  readonly health: PortalHealth;
  readonly operatingTime: OperatingTime;
  readonly cache: DialogCache | undefined;
}

/** Everything between a resolver and the portal, wired the same way in production and in tests. */
export function createUpstream(options: UpstreamOptions): Upstream {
  const health = new PortalHealth(options.healthFreshForMs);
  const operatingTime = new OperatingTime({ budgetSeconds: options.operatingBudgetSeconds ?? 480, pauseAt: 0.9, fallbackPauseMs: 60_000 });
  const pacer = new Pacer({
    rps: options.rps,
    maxQueue: options.maxQueue,
    limiter: options.limiter ?? memoryLimiter(options.rps, options.burst),
    ...(options.onQueueChange ? { onQueueChange: options.onQueueChange } : {}),
  });
  const client = new Bitrix24Client({
    timeoutMs: options.timeoutMs,
    logger: options.logger,
    retry: options.retry ?? DEFAULT_RETRY,
    pacer,
    operatingTime,
    health,
    ...(options.events ? { events: options.events } : {}),
    ...(options.keepAlive !== undefined ? { keepAlive: options.keepAlive } : {}),
  });
  const cacheTtlMs = options.cacheTtlMs ?? 0;
  const cache = cacheTtlMs > 0
    ? new DialogCache(
      options.cacheStore ?? new MemoryDialogCacheStore(options.cacheMaxEntries ?? 10_000),
      cacheTtlMs,
      (error) => options.logger.warn({ err: error }, 'dialog cache unavailable; asking the portal'),
    )
    : undefined;
  return { client, pacer, health, operatingTime, cache };
}
