import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { MemoryBucketStore, type BucketStore } from '../../src/bitrix/scheduler/bucket-store.js';
import { FallbackBucketStore } from '../../src/bitrix/scheduler/fallback-bucket-store.js';
import { RedisBucketStore } from '../../src/bitrix/scheduler/redis-bucket-store.js';
import { freePort } from '../helpers/process.js';
import { redisAvailable, startRedis, type RedisServer } from '../helpers/redis.js';

/*
 * The two stores of the leaky-bucket mirror answer the same, one in this process and one in a real
 * Redis (the Lua script on Redis's clock): the same table of behaviours runs against both.
 */

const runnable = redisAvailable || process.env.CI === 'true';
if (!runnable)
  console.warn(
    'Redis bucket-store tests skipped: /usr/bin/redis-server is missing (apt-get install redis-server)',
  );

// An interval (250 ms) no pause of a loaded test machine between two calls comes near.
const limits = { capacity: 3, ratePerSecond: 4 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function behaves(name: string, store: () => BucketStore) {
  describe(name, () => {
    it('lets the whole bucket go at once, then says how long until the next slot', async () => {
      const key = `burst-${Math.random()}`;
      const readings = [];
      for (let i = 0; i < 4; i++) readings.push(await store().take(key, limits));
      expect(readings.slice(0, 3).map((reading) => reading.waitMs)).toEqual([0, 0, 0]);
      expect(readings[3]!.waitMs).toBeGreaterThan(150);
      expect(readings[3]!.waitMs).toBeLessThanOrEqual(251);
      // Nearly full: only the milliseconds between the calls have drained.
      expect(readings[3]!.level).toBeGreaterThan(2.5);
      await sleep(readings[3]!.waitMs + 5);
      expect((await store().take(key, limits)).waitMs).toBe(0);
    });

    it('drains at exactly its rate: a full bucket has room again after 1 / rate seconds', async () => {
      const key = `rate-${Math.random()}`;
      const slow = { capacity: 3, ratePerSecond: 10 };
      // The slot frees one interval (100 ms) after the bucket was filled: what the calls in between
      // took (a loaded machine) is drained meanwhile, so wait + elapsed is the interval.
      const filledFrom = Date.now();
      for (let i = 0; i < 3; i++) await store().take(key, slow);
      const { waitMs } = await store().take(key, slow);
      const freedAt = Date.now() + waitMs;
      expect(waitMs).toBeLessThanOrEqual(101);
      expect(freedAt - filledFrom).toBeGreaterThanOrEqual(98);
      await sleep(waitMs + 2);
      expect((await store().take(key, slow)).waitMs).toBe(0);
      // Full again: the next slot is one interval after the last one freed, less what drained since.
      const next = (await store().take(key, slow)).waitMs;
      expect(next).toBeLessThanOrEqual(101);
      expect(next + (Date.now() - freedAt)).toBeGreaterThanOrEqual(95);
    });

    it('is full after `fill`, whatever it counted, and keeps portals apart', async () => {
      const key = `fill-${Math.random()}`;
      expect(await store().fill(key, limits)).toMatchObject({ level: 3 });
      expect((await store().take(key, limits)).waitMs).toBeGreaterThan(150);
      expect((await store().take(`${key}-other-portal`, limits)).waitMs).toBe(0);
      const other = (await store().peek(`${key}-other-portal`, limits)).level;
      expect(other).toBeGreaterThan(0.5);
      expect(other).toBeLessThanOrEqual(1);
    });
  });
}

behaves('the in-process store', () => memoryStore);
const memoryStore = new MemoryBucketStore();

(runnable ? describe : describe.skip)('the Redis store', () => {
  let redis: RedisServer;
  let client: Redis;
  let shared: RedisBucketStore;
  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url, { maxRetriesPerRequest: 0 });
    shared = new RedisBucketStore(client);
  });
  afterAll(async () => {
    client.disconnect();
    await redis.stop();
  });

  behaves('over Lua', () => shared);

  it('is one bucket for every client (replica) of the same Redis', async () => {
    const otherClient = new Redis(redis.url, { maxRetriesPerRequest: 0 });
    try {
      const other = new RedisBucketStore(otherClient);
      const key = `replicas-${Math.random()}`;
      const slow = { capacity: 3, ratePerSecond: 1 };
      expect((await shared.take(key, slow)).waitMs).toBe(0);
      expect((await other.take(key, slow)).waitMs).toBe(0);
      expect((await shared.take(key, slow)).waitMs).toBe(0);
      expect((await other.take(key, slow)).waitMs).toBeGreaterThan(800);
    } finally {
      otherClient.disconnect();
    }
  });

  it('falls back to a local share of the bucket while Redis is unreachable, started full', async () => {
    const closed = new Redis(`redis://127.0.0.1:${await freePort()}`, {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    const failures: unknown[] = [];
    const store = new FallbackBucketStore(
      new RedisBucketStore(closed),
      new MemoryBucketStore(),
      ({ capacity, ratePerSecond }) => ({
        capacity: Math.floor(capacity / 3),
        ratePerSecond: ratePerSecond / 3,
      }),
      (error) => failures.push(error),
    );
    const key = `fallback-${Math.random()}`;
    // A bucket of 3 at 4/s shared by 3 replicas: 1 at 4/3 per second for this one, started full
    // (nobody knows how full the portal's bucket was when Redis went away): a slot in 750 ms.
    const first = await store.take(key, limits);
    expect(first.level).toBeGreaterThan(0.9);
    expect(first.waitMs).toBeGreaterThan(600);
    expect(first.waitMs).toBeLessThanOrEqual(750);
    expect((await store.take(key, limits)).waitMs).toBeGreaterThan(0);
    expect(failures.length).toBe(2);
    closed.disconnect();
  });
});
