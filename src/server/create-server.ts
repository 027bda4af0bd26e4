import type { Server } from 'node:http';
import type { LookupFunction } from 'node:net';
import type { Logger } from 'pino';
import type { PortalTarget } from '../bitrix/credentials.js';
import type { RedisConnection } from '../bitrix/redis-connection.js';
import { batchWindow } from '../bitrix/scheduler/batch-window.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../bitrix/scheduler/retry-policy.js';
import { createUpstream, type Upstream } from '../bitrix/upstream.js';
import type { Config } from '../config.js';
import { AdmissionControl } from './admission.js';
import { createMetricsServer } from './metrics-server.js';
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
  readonly admission: AdmissionControl;
  readonly upstream: Upstream;
  readonly metrics: Metrics;
  /** Serves `/metrics` alone, when METRICS_PORT is set: the caller listens on that port. */
  readonly metricsServer: Server | undefined;
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
  const metrics = createMetrics({
    processMetrics: overrides.processMetrics ?? true,
    // With METRICS_PORT, /metrics is served there only, never on the public port.
    endpoint: config.metricsPort === undefined,
    ...(portal.kind === 'webhook' ? { configuredPortal: portal.webhookUrl.host } : {}),
    ...(portal.kind === 'oauth' ? { configuredPortal: portal.portalUrl.host } : {}),
  });
  const metricsServer =
    config.metricsPort === undefined ? undefined : createMetricsServer(metrics.registry);
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
  // Admitted requests not started yet are on their way too (see admission.ts).
  const admission = new AdmissionControl({
    maxInFlight: config.maxOperationsInFlight,
    deadlineMs: config.deadlineMs,
    corsOrigins: config.corsOrigins,
    ...metrics.admissionEvents,
    onRefused: refusalLogger(logger, metrics),
  });
  const upstream = createUpstream({
    logger,
    timeoutMs: config.timeoutMs,
    rps: config.rps,
    burst: config.burst,
    maxWaiting: config.maxQueue,
    retry: { ...DEFAULT_RETRY, ...overrides.retryDelays, retries: config.retries },
    methodTimeBudgetSeconds: config.methodTimeBudgetSeconds,
    maxAnswerBytes: config.maxAnswerBytes,
    maxAnswerBytesInFlight: config.maxAnswerBytesInFlight,
    batchWindow: batchWindow(config.batchWindowMs),
    moreLookupsComing: () => pipeline.busy() || admission.waitingToStart > 0,
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
    cacheMaxBytes: config.cacheMaxBytes,
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
    admission,
    portal,
    scheduler: upstream.scheduler,
    health: upstream.health,
    cache: upstream.cache,
    userCache: upstream.userCache,
    logger,
    metrics,
    graphiql: config.graphiql,
    introspection: config.introspection,
    federationSdl: config.federationSdl,
    corsOrigins: config.corsOrigins,
    hostAllowlist: config.hostAllowlist,
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
    admission,
    upstream,
    metrics,
    metricsServer,
    redis,
    close: async () => {
      if (metricsServer?.listening) {
        await new Promise<void>((resolve) => {
          metricsServer.close(() => resolve());
          metricsServer.closeAllConnections();
        });
      }
      await app.yoga.dispose();
      upstream.scheduler.close();
      await redis?.close();
      await tracing?.shutdown();
    },
  };
}

/**
 * Counts each request refused by admission control, and says so in the log at most every 10 s: a
 * line per refusal would add work to a server that is already refusing work.
 */
function refusalLogger(logger: Logger, metrics: Metrics): () => void {
  let refused = 0;
  let lastLogged = Number.NEGATIVE_INFINITY;
  return () => {
    metrics.admissionEvents.onRefused();
    refused++;
    const now = Date.now();
    if (now - lastLogged < 10_000) return;
    logger.warn(
      { refused },
      'admission control: too many GraphQL requests in progress (MAX_OPERATIONS_IN_FLIGHT), answering 503',
    );
    lastLogged = now;
    refused = 0;
  };
}
