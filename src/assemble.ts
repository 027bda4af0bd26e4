import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { PortalTarget } from './bitrix/credentials.js';
import { batchWindow, DEFAULT_RETRY } from './bitrix/scheduler/portal-scheduler.js';
import { createMetrics } from './metrics.js';
import type { SharedState } from './redis.js';
import { createApp, type App } from './server.js';
import { createUpstream } from './upstream.js';

export interface AssembleOptions {
  readonly config: Config;
  /** The portal to serve (demo mode passes the emulator's webhook). */
  readonly portal: PortalTarget;
  readonly logger: Logger;
  /** True once the process is shutting down. */
  readonly draining?: () => boolean;
  /** What the benchmark switches off to measure it; production keeps the defaults. */
  readonly tuning?: { readonly keepAlive?: boolean; readonly parseCache?: boolean };
}

export interface Assembly extends App {
  /** The state replicas share through Redis, when REDIS_URL is set. */
  readonly shared: SharedState | undefined;
  /** Releases what the server holds besides its sockets (yoga, timers, Redis). */
  dispose(): Promise<void>;
}

/** The whole server from its configuration: metrics, Redis, upstream, and the yoga app. */
export async function assemble({ config, portal, logger, draining, tuning = {} }: AssembleOptions): Promise<Assembly> {
  const metrics = createMetrics({ processMetrics: true });
  // Redis is loaded only when asked for: `npm start` needs nothing but Node.
  const shared = config.redisUrl
    ? await (await import('./redis.js')).connectSharedState({ url: config.redisUrl, replicasHint: config.replicasHint, logger })
    : undefined;
  const upstream = createUpstream({
    logger,
    timeoutMs: config.timeoutMs,
    rps: config.rps,
    burst: config.burst,
    maxWaiting: config.maxQueue,
    retry: { ...DEFAULT_RETRY, retries: config.retries },
    methodTimeBudgetSeconds: config.methodTimeBudgetSeconds,
    maxAnswerBytes: config.maxAnswerBytes,
    batchWindow: batchWindow(config.batchWindowMs),
    events: metrics.upstreamEvents,
    cacheTtlMs: config.cacheTtlMs,
    cacheMaxEntries: config.cacheMaxEntries,
    ...(shared ? { bucketStore: shared.bucketStore, cacheStore: shared.cacheStore } : {}),
    ...(tuning.keepAlive !== undefined ? { keepAlive: tuning.keepAlive } : {}),
    // Portals named by requests: every address is checked when connecting (no test DNS here).
    ...(portal.kind === 'portals' ? { egress: { allowedPrivateAddresses: config.allowedPrivateAddresses } } : {}),
  });
  const app = createApp({
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
    ...(shared ? { degraded: () => shared.degradedReason() } : {}),
    ...(config.persistedOperations ? { persistedOperations: config.persistedOperations } : {}),
    ...(tuning.parseCache !== undefined ? { parseCache: tuning.parseCache } : {}),
  });
  return {
    ...app,
    shared,
    dispose: async () => {
      await app.yoga.dispose();
      upstream.scheduler.close();
      await shared?.close();
    },
  };
}
