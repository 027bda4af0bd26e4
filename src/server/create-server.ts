import type { LookupFunction } from 'node:net';
import type { Logger } from 'pino';
import type { PortalTarget } from '../bitrix/credentials.js';
import type { RedisConnection } from '../bitrix/redis-connection.js';
import { batchWindow } from '../bitrix/scheduler/batch-window.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../bitrix/scheduler/retry-policy.js';
import { createUpstream, type Upstream } from '../bitrix/upstream.js';
import type { Config } from '../config.js';
import { createMetrics, type Metrics } from './plugins/metrics.js';
import type { OperationLimits } from './plugins/operation-limits.js';
import { RequestPipeline } from './plugins/request-pipeline.js';
import { createYogaApp, type YogaApp } from './yoga-app.js';

/**
 * What tests and the benchmark change beyond the configuration: scaled time, tighter limits, an
 * optimisation switched off to measure it. Production sets none of them; each has its default in
 * the module that uses it.
 */
export interface ServerOverrides {
  /** Backoff between retries (the count is `BITRIX24_RETRIES`); tests use milliseconds. */
  readonly retryDelays?: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>;
  /** How long an answer keeps the portal "ready". */
  readonly healthFreshForMs?: number;
  readonly operationLimits?: OperationLimits;
  /** Reuse connections to the portal (bench: off to measure what it saves). */
  readonly keepAlive?: boolean;
  /** yoga's parse and validation cache (bench: off to measure what it saves). */
  readonly parseCache?: boolean;
  /** prom-client's process and Node.js metrics (tests running many servers in one process: off). */
  readonly processMetrics?: boolean;
  /**
   * Multi-portal mode: resolves portal names instead of the system resolver (tests map made-up
   * portal names to loopback without /etc/hosts; the addresses are still checked at connect time).
   */
  readonly portalLookup?: LookupFunction;
}

export interface DialogServerOptions {
  readonly config: Config;
  /** The portal to serve (demo mode passes the emulator's webhook). */
  readonly portal: PortalTarget;
  readonly logger: Logger;
  /** True once the process is shutting down. */
  readonly draining?: () => boolean;
  readonly overrides?: ServerOverrides;
}

export interface DialogServer extends YogaApp {
  readonly upstream: Upstream;
  readonly metrics: Metrics;
  /** The Redis connection replicas share the bucket mirror and the cache through, when REDIS_URL is set. */
  readonly redis: RedisConnection | undefined;
  /** Releases what the server holds besides its sockets (yoga, timers, Redis). */
  close(): Promise<void>;
}

/**
 * The whole server from its configuration: metrics, Redis, the upstream side and the yoga app.
 * Production (main.ts), the tests and the benchmark all build it here.
 */
export async function createDialogServer({
  config,
  portal,
  logger,
  draining,
  overrides = {},
}: DialogServerOptions): Promise<DialogServer> {
  const metrics = createMetrics({ processMetrics: overrides.processMetrics ?? true });
  // Redis is loaded only when asked for: `npm start` needs nothing but Node.
  const redis = config.redisUrl
    ? await (await import('../bitrix/redis-connection.js')).connectRedis({
        url: config.redisUrl,
        replicasHint: config.replicasHint,
        logger,
        onAvailabilityChange: metrics.availability,
      })
    : undefined;
  // Traces only when an OTLP endpoint is configured: the SDK is not even loaded otherwise.
  const tracing = config.tracing
    ? (await import('./tracing.js')).startTracing(config.tracing, {
        logger,
        onAvailabilityChange: metrics.availability,
      })
    : undefined;
  // One counter for both sides: the app counts requests on their way, the scheduler asks it.
  const pipeline = new RequestPipeline();
  const upstream = createUpstream({
    logger,
    timeoutMs: config.timeoutMs,
    rps: config.rps,
    burst: config.burst,
    maxWaiting: config.maxQueue,
    retry: { ...DEFAULT_RETRY, ...overrides.retryDelays, retries: config.retries },
    methodTimeBudgetSeconds: config.methodTimeBudgetSeconds,
    maxAnswerBytes: config.maxAnswerBytes,
    batchWindow: batchWindow(config.batchWindowMs),
    moreLookupsComing: () => pipeline.busy(),
    events: tracing
      ? {
          ...metrics.upstreamEvents,
          aroundCall: tracing.events.aroundCall,
          onAttempt: (attempt) => {
            metrics.upstreamEvents.onAttempt?.(attempt);
            tracing.events.onAttempt(attempt);
          },
        }
      : metrics.upstreamEvents,
    cacheTtlMs: config.cacheTtlMs,
    cacheMaxEntries: config.cacheMaxEntries,
    onAvailabilityChange: metrics.availability,
    ...(redis
      ? {
          bucketStore: redis.bucketStore,
          cacheStore: redis.cacheStore,
          onCacheStoreError: redis.cacheFailed,
        }
      : {}),
    ...(overrides.healthFreshForMs !== undefined
      ? { healthFreshForMs: overrides.healthFreshForMs }
      : {}),
    ...(overrides.keepAlive !== undefined ? { keepAlive: overrides.keepAlive } : {}),
    // Portals named by requests: every address is checked when connecting.
    ...(portal.kind === 'portals'
      ? {
          egress: {
            allowedPrivateAddresses: config.allowedPrivateAddresses,
            lookup: overrides.portalLookup,
          },
        }
      : {}),
  });
  const app = createYogaApp({
    pipeline,
    portal,
    scheduler: upstream.scheduler,
    health: upstream.health,
    cache: upstream.cache,
    logger,
    metrics,
    graphiql: config.graphiql,
    introspection: config.introspection,
    federationSdl: config.federationSdl,
    corsOrigins: config.corsOrigins,
    maxRequestBodyBytes: config.maxRequestBodyBytes,
    deadlineMs: config.deadlineMs,
    ...(draining ? { draining } : {}),
    ...(redis ? { degraded: () => redis.degradedReason() } : {}),
    ...(config.persistedOperations ? { persistedOperations: config.persistedOperations } : {}),
    ...(overrides.operationLimits ? { limits: overrides.operationLimits } : {}),
    ...(overrides.parseCache !== undefined ? { parseCache: overrides.parseCache } : {}),
    ...(tracing ? { tracing } : {}),
  });
  return {
    ...app,
    upstream,
    metrics,
    redis,
    close: async () => {
      await app.yoga.dispose();
      upstream.scheduler.close();
      await redis?.close();
      await tracing?.shutdown();
    },
  };
}
