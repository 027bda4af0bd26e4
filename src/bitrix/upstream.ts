import type { Logger } from 'pino';
import { DialogCache, MemoryDialogCacheStore, type DialogCacheStore } from './dialog-cache.js';
import { UserCache } from './user-cache.js';
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
  /** The portal's method-time budget per 10 minutes (480 s on the cloud, 420 on-premise). */
  readonly methodTimeBudgetSeconds: number;
  /** The largest upstream answer accepted. */
  readonly maxAnswerBytes: number;
  /** A shared bucket store (Redis) instead of the in-process one. */
  readonly bucketStore?: BucketStore;
  readonly events?: TransportEvents & SchedulerEvents;
  /** How long an answer keeps the portal "ready". */
  readonly healthFreshForMs?: number;
  /** Cache dialogs across requests for this long (0: no cache), in a store of at most `cacheMaxEntries`. */
  readonly cacheTtlMs: number;
  readonly cacheMaxEntries: number;
  /** A shared cache store (Redis) instead of the in-process one. */
  readonly cacheStore?: DialogCacheStore;
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

/** Everything between a resolver and the portal, wired the same way in production and in tests. */
export function createUpstream(options: UpstreamOptions): Upstream {
  const health = new PortalHealth(options.healthFreshForMs);
  const transport = new Bitrix24Transport({
    timeoutMs: options.timeoutMs,
    maxAnswerBytes: options.maxAnswerBytes,
    logger: options.logger,
    health,
    ...(options.events ? { events: options.events } : {}),
    ...(options.keepAlive !== undefined ? { keepAlive: options.keepAlive } : {}),
    ...(options.egress ? { egress: options.egress } : {}),
  });
  const mirror = new LeakyBucketMirror({
    rps: options.rps,
    burst: options.burst,
    store: options.bucketStore ?? new MemoryBucketStore(),
  });
  const methodTime = new MethodTimeMirror({ budgetSeconds: options.methodTimeBudgetSeconds });
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
      ? (options.cacheStore ?? new MemoryDialogCacheStore(options.cacheMaxEntries))
      : undefined;
  const warnCache = (error: unknown) =>
    options.logger.warn({ err: error }, 'dialog cache unavailable; asking the portal');
  const cache = cacheStore && new DialogCache(cacheStore, options.cacheTtlMs, warnCache);
  // Users share the dialogs' store and lifetime, under keys of their own.
  const userCache = cacheStore && new UserCache(cacheStore, options.cacheTtlMs, warnCache);
  return { transport, scheduler, mirror, methodTime, health, cache, userCache };
}
