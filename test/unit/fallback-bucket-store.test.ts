import { describe, expect, it, jest } from '@jest/globals';
import type { Redis } from 'ioredis';
import {
  MemoryBucketStore,
  type BucketLimits,
  type BucketStore,
} from '../../src/bitrix/scheduler/bucket-store.js';
import { FallbackBucketStore } from '../../src/bitrix/scheduler/fallback-bucket-store.js';
import { watchRedisHealth } from '../../src/bitrix/redis-health.js';

/*
 * Redis transitions (issue 21, item 9), at unit level on a clock that stands still unless moved:
 * the shared store is a MemoryBucketStore that can be made to fail or be replaced by an empty one
 * (a Redis that restarted without its data). The same against a real redis-server is in
 * test/e2e/replicas.test.ts.
 */

const LIMITS: BucketLimits = { capacity: 10, ratePerSecond: 2 };

class FlakyStore implements BucketStore {
  down = false;
  calls = 0;
  constructor(public inner: MemoryBucketStore) {}
  private run<T>(operation: () => Promise<T>): Promise<T> {
    this.calls++;
    return this.down ? Promise.reject(new Error('ECONNREFUSED')) : operation();
  }
  take(key: string, limits: BucketLimits) {
    return this.run(() => this.inner.take(key, limits));
  }
  fill(key: string, limits: BucketLimits) {
    return this.run(() => this.inner.fill(key, limits));
  }
  peek(key: string, limits: BucketLimits) {
    return this.run(() => this.inner.peek(key, limits));
  }
}

function setup(options: { available?: () => boolean } = {}) {
  let now = 0;
  const clock = () => now;
  const shared = new FlakyStore(new MemoryBucketStore(clock));
  const store = new FallbackBucketStore(
    shared,
    new MemoryBucketStore(clock),
    (limits) => limits,
    () => undefined,
    { primaryAvailable: options.available },
  );
  const sentAtOnce = async () => {
    let sent = 0;
    while ((await store.take('portal', LIMITS)).waitMs === 0) sent++;
    return sent;
  };
  return { shared, store, clock, advance: (ms: number) => (now += ms), sentAtOnce };
}

describe('the bucket store across Redis outages', () => {
  it('starts the local bucket full when Redis goes away: no burst into a portal that may be full', async () => {
    const { shared, sentAtOnce } = setup();
    // Redis had let the whole bucket go just before it died: the portal's bucket is full.
    expect(await sentAtOnce()).toBe(10);
    shared.down = true;
    expect(await sentAtOnce()).toBe(0);
  });

  it('marks the bucket full in Redis when it comes back empty, before the first call there', async () => {
    const { shared, sentAtOnce, advance } = setup();
    shared.down = true;
    advance(5000);
    expect(await sentAtOnce()).toBeLessThanOrEqual(1);
    // Redis restarted without its data while calls went out on the local budget.
    shared.inner = new MemoryBucketStore(() => 5000);
    shared.down = false;
    expect(await sentAtOnce()).toBe(0);
  });

  it('asks Redis nothing while it is known to be away or hung, and asks again once it is back', async () => {
    let available = false;
    const { shared, store } = setup({ available: () => available });
    await store.take('portal', LIMITS);
    await store.peek('portal', LIMITS);
    expect(shared.calls).toBe(0);
    available = true;
    await store.take('portal', LIMITS);
    expect(shared.calls).toBeGreaterThan(0);
  });
});

describe('the Redis health probe', () => {
  it('tells a connected Redis that stopped answering (hung) from one that answers', async () => {
    jest.useFakeTimers();
    try {
      let answer: () => Promise<string> = () => new Promise(() => undefined);
      const redis = { status: 'ready', ping: () => answer() } as unknown as Redis;
      const events: string[] = [];
      const stop = watchRedisHealth(redis, {
        intervalMs: 1000,
        timeoutMs: 500,
        onHung: () => events.push('hung'),
        onAnswer: () => events.push('answer'),
      });
      await jest.advanceTimersByTimeAsync(1600);
      expect(events).toEqual(['hung']);
      answer = async () => 'PONG';
      await jest.advanceTimersByTimeAsync(1000);
      expect(events).toEqual(['hung', 'answer']);
      stop();
    } finally {
      jest.useRealTimers();
    }
  });
});
