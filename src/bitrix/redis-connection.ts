import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DialogCacheStore } from './dialog-cache.js';
import { DependencyWatch, reasonOf, type AvailabilityListener } from './dependency-watch.js';
import { MemoryBucketStore, type BucketStore } from './scheduler/bucket-store.js';
import { FallbackBucketStore } from './scheduler/fallback-bucket-store.js';
import { RedisBucketStore } from './scheduler/redis-bucket-store.js';
import type { Dialog } from './types.js';
import { watchRedisHealth } from './redis-health.js';

export interface RedisConnectionOptions {
  readonly url: string;
  /** How many replicas share the portal: while Redis is away each keeps its bucket ÷ this. */
  readonly replicasHint: number;
  readonly logger: Logger;
  /** Told when Redis goes away and comes back (the `dependency_up` metric). */
  readonly onAvailabilityChange?: AvailabilityListener;
}

/** What replicas share through Redis: the mirror of each portal's bucket, and the optional dialog cache. */
export interface RedisConnection {
  readonly bucketStore: BucketStore;
  readonly cacheStore: DialogCacheStore;
  /** Why the server runs degraded (Redis away), or undefined when all is well. */
  degradedReason(): string | undefined;
  /**
   * A cache command failed: said once per outage while Redis is away (the connection's own warning),
   * at most once a minute on a live connection, and never with a stack.
   */
  cacheFailed(error: unknown): void;
  close(): Promise<void>;
}

/** Dialogs in Redis as JSON with a TTL; keys already hold the caller's identity (a hash). */
class RedisDialogCacheStore implements DialogCacheStore {
  constructor(
    private readonly redis: Redis,
    /** False while Redis is away or hung: a miss at once, not after a command's timeout. */
    private readonly available: () => boolean = () => true,
  ) {}

  private checkAvailable(): void {
    if (!this.available()) throw new Error('redis is unavailable');
  }

  async getMany(keys: readonly string[]): Promise<ReadonlyArray<Dialog | undefined>> {
    if (keys.length === 0) return [];
    this.checkAvailable();
    const values = await this.redis.mget(...keys.map((key) => `bitrix24:${key}`));
    return values.map((value) => (value === null ? undefined : (JSON.parse(value) as Dialog)));
  }

  async setMany(entries: ReadonlyArray<readonly [string, Dialog]>, ttlMs: number): Promise<void> {
    this.checkAvailable();
    const pipeline = this.redis.pipeline();
    for (const [key, dialog] of entries)
      pipeline.set(`bitrix24:${key}`, JSON.stringify(dialog), 'PX', ttlMs);
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error !== null);
    if (failed) throw failed[0];
  }
}

/**
 * Connects to Redis without ever making the server depend on it: the server starts while Redis is
 * unreachable, every command fails fast while it is away (no offline queue, short timeouts), the
 * bucket mirror then falls back to a local bucket of `1 ÷ replicasHint` of the portal's, the cache to
 * misses, and the client reconnects in the background. Each change of state is logged once.
 */
export async function connectRedis({
  url,
  replicasHint,
  logger,
  onAvailabilityChange,
}: RedisConnectionOptions): Promise<RedisConnection> {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    commandTimeout: 1000,
    retryStrategy: (attempt) => Math.min(attempt * 250, 2000),
  });
  const host = new URL(url).host;
  let available = false;
  let lastCommandWarning = 0;
  const watch = new DependencyWatch({
    dependency: 'redis',
    logger,
    firstMessage: () => 'redis ready: replicas share the portal budget and the cache',
    backMessage: () => 'redis ready again: replicas share the portal budget and the cache',
    lostMessage: () =>
      `redis unavailable: pacing falls back to a local share of each portal's budget (1/${replicasHint}: REPLICAS_HINT) and the cache to misses until it is back`,
    ...(onAvailabilityChange ? { onChange: onAvailabilityChange } : {}),
  });
  redis.on('ready', () => {
    available = true;
    watch.succeeded(host);
  });
  const lost = (error?: Error) => {
    available = false;
    watch.failed(host, error?.message);
  };
  redis.on('error', (error: Error) => lost(error));
  redis.on('close', () => lost());
  // A hung Redis keeps its connection open: only a probe with a timeout tells.
  const stopWatching = watchRedisHealth(redis, {
    onHung: (error) => lost(error),
    onAnswer: () => {
      if (available) return;
      available = true;
      watch.succeeded(host);
    },
  });
  /** A command failed: while the connection is down that is the outage already reported. */
  const commandFailed = (error: unknown, consequence: string) => {
    if (redis.status !== 'ready') {
      lost(error instanceof Error ? error : undefined);
      return;
    }
    // Hung (the health probe said so): the outage already reported.
    if (!available) return;
    // A failing command on a live connection (a timeout, a script error) is worth a line, but not
    // one per call.
    if (Date.now() - lastCommandWarning < 60_000) return;
    lastCommandWarning = Date.now();
    logger.warn({ redis: host, error: reasonOf(error) }, `redis command failed: ${consequence}`);
  };

  const bucketStore = new FallbackBucketStore(
    new RedisBucketStore(redis),
    new MemoryBucketStore(),
    ({ capacity, ratePerSecond }) => ({
      capacity: Math.max(1, Math.floor(capacity / replicasHint)),
      ratePerSecond: ratePerSecond / replicasHint,
    }),
    (error) => commandFailed(error, 'this call was paced by the local share of the budget'),
    // While Redis is away or hung, pace locally at once rather than after each command's timeout.
    { primaryAvailable: () => available },
  );

  // Give a healthy Redis a moment, so that the server starts "ready" rather than degraded; an
  // unreachable one does not hold the start up for longer than that.
  await Promise.race([
    new Promise<void>((resolve) => redis.once('ready', () => resolve())),
    new Promise<void>((resolve) => setTimeout(resolve, 2000).unref()),
  ]);

  return {
    bucketStore,
    cacheStore: new RedisDialogCacheStore(redis, () => available),
    degradedReason: () =>
      available
        ? undefined
        : `redis at ${host} is unavailable: pacing uses a local budget, the cache is off`,
    cacheFailed: (error) => commandFailed(error, 'the cache answered a miss'),
    close: async () => {
      stopWatching();
      redis.disconnect();
    },
  };
}
