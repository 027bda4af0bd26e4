import type { Logger } from 'pino';
import { DialogCache, MemoryDialogCacheStore, type DialogCacheStore } from './dialog-cache.js';
import { UserCache } from './user-cache.js';
import { reasonOf, type AvailabilityListener } from './dependency-watch.js';
import { MethodTimeMirror } from './method-time.js';
import type { EgressPolicy } from './portal-egress.js';
import { PortalHealth } from './portal-health.js';
import { MemoryBucketStore, type BucketStore } from './scheduler/bucket-store.js';
import { LeakyBucketMirror } from './scheduler/leaky-bucket-mirror.js';
import type { BatchWindow } from './scheduler/batch-window.js';
import type { SchedulerEvents } from './scheduler/portal-scheduler.js';
import type { RetryPolicy } from './scheduler/retry-policy.js';
import { CallerReputation } from './scheduler/caller-reputation.js';
import { UpstreamScheduler } from './scheduler/upstream-scheduler.js';
import { Bitrix24Transport, type TransportEvents } from './transport.js';

export interface UpstreamOptions {
  readonly logger: Logger;
  readonly timeoutMs: number;
  readonly rps: number;
  readonly burst: number;
  /** Lookups that may wait for a portal's budget; more are refused at once. */
  readonly maxWaiting: number;
  readonly retry: RetryPolicy;
  /** The portal's method-time budget per 10 minutes (420 s by the portal's default; Infinity: off). */
  readonly methodTimeBudgetSeconds: number;
  /** The method-time window's buckets (ten of 60 s); scaled down only by tests and the bench. */
  readonly methodTimeWindow?: { readonly bucketSeconds: number; readonly bucketCount: number };
  /** The largest upstream answer accepted. */
  readonly maxAnswerBytes: number;
  /** Bytes of answers read and parsed at once, all calls together (default 64 MiB). */
  readonly maxAnswerBytesInFlight?: number;
  /** A shared bucket store (Redis) instead of the in-process one. */
  readonly bucketStore?: BucketStore;
  readonly events?: TransportEvents & SchedulerEvents;
  /** How long an answer keeps the portal "ready". */
  readonly healthFreshForMs?: number;
  /** Cache dialogs across requests for this long (0: no cache), in a store of at most `cacheMaxEntries`. */
  readonly cacheTtlMs: number;
  readonly cacheMaxEntries: number;
  /** Size bound of the in-process cache (JSON bytes of its dialogs; default 128 MiB). */
  readonly cacheMaxBytes?: number;
  /** A shared cache store (Redis) instead of the in-process one. */
  readonly cacheStore?: DialogCacheStore;
  /** Told when the cache store fails (the Redis connection reports it once per outage). */
  readonly onCacheStoreError?: (error: unknown) => void;
  /** Told when a portal stops answering and answers again (the `dependency_up` metric). */
  readonly onAvailabilityChange?: AvailabilityListener;
  /** Reuse connections to the portal (default true). */
  readonly keepAlive?: boolean;
  readonly batchWindow: BatchWindow;
  /** Whether requests received but not yet executing may still add lookups (RequestPipeline). */
  readonly moreLookupsComing?: () => boolean;
  /** Multi-portal mode: check every address a portal's name resolves to (SSRF); unset: one configured portal. */
  readonly egress?: EgressPolicy;
}

export interface Upstream {
  readonly transport: Bitrix24Transport;
  readonly scheduler: UpstreamScheduler;
  readonly mirror: LeakyBucketMirror;
  readonly methodTime: MethodTimeMirror;
  readonly health: PortalHealth;
  readonly cache: DialogCache | undefined;
  readonly userCache: UserCache | undefined;
}

/** The rate and burst of the mirror when pacing is off: far beyond what one process can send. */
const UNPACED_RATE = 1_000_000;
/** A failing in-process cache store (not expected): a line a minute at most, without a stack. */
function onceAMinute(logger: Logger): (error: unknown) => void {
  let last = Number.NEGATIVE_INFINITY;
  return (error) => {
    if (Date.now() - last < 60_000) return;
    last = Date.now();
    logger.warn({ error: reasonOf(error) }, 'dialog cache unavailable; asking the portal');
  };
}

/** Everything between a resolver and the portal, wired the same way in production and in tests. */
export function createUpstream(options: UpstreamOptions): Upstream {
  const health = new PortalHealth(options.healthFreshForMs, {
    logger: options.logger,
    ...(options.onAvailabilityChange ? { onChange: options.onAvailabilityChange } : {}),
  });
  const transport = new Bitrix24Transport({
    timeoutMs: options.timeoutMs,
    maxAnswerBytes: options.maxAnswerBytes,
    ...(options.maxAnswerBytesInFlight !== undefined
      ? { maxAnswerBytesInFlight: options.maxAnswerBytesInFlight }
      : {}),
    logger: options.logger,
    health,
    ...(options.events ? { events: options.events } : {}),
    ...(options.keepAlive !== undefined ? { keepAlive: options.keepAlive } : {}),
    ...(options.egress ? { egress: options.egress } : {}),
  });
  // BITRIX24_RPS=0 (on-premise: the portal has no request-rate limit): a bucket nothing fills.
  const unpaced = options.rps === 0;
  const mirror = new LeakyBucketMirror({
    rps: unpaced ? UNPACED_RATE : options.rps,
    burst: unpaced ? UNPACED_RATE : options.burst,
    store: options.bucketStore ?? new MemoryBucketStore(),
  });
  const methodTime = new MethodTimeMirror({
    budgetSeconds: options.methodTimeBudgetSeconds,
    ...options.methodTimeWindow,
  });
  const scheduler = new UpstreamScheduler({
    sender: transport,
    mirror,
    methodTime,
    retry: options.retry,
    maxWaiting: options.maxWaiting,
    reputation: new CallerReputation(),
    logger: options.logger,
    ...(options.events ? { events: options.events } : {}),
    batchWindow: options.batchWindow,
    ...(options.moreLookupsComing ? { moreLookupsComing: options.moreLookupsComing } : {}),
    // A bucket in Redis is shared by replicas: let the fuller batch take a freed slot.
    ...(options.bucketStore ? { replicaYieldMs: 250 } : {}),
  });
  const cacheStore =
    options.cacheTtlMs > 0
      ? (options.cacheStore ??
        new MemoryDialogCacheStore(options.cacheMaxEntries, options.cacheMaxBytes))
      : undefined;
  const warnCache = options.onCacheStoreError ?? onceAMinute(options.logger);
  const cache = cacheStore && new DialogCache(cacheStore, options.cacheTtlMs, warnCache);
  // Users share the dialogs' store and lifetime, under keys of their own.
  const userCache = cacheStore && new UserCache(cacheStore, options.cacheTtlMs, warnCache);
  return { transport, scheduler, mirror, methodTime, health, cache, userCache };
}
