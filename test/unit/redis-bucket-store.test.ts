import { describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { MemoryBucketStore, type BucketLimits } from '../../src/bitrix/scheduler/bucket-store.js';
import { FallbackBucketStore } from '../../src/bitrix/scheduler/fallback-bucket-store.js';
import {
  BucketReplyError,
  RedisBucketStore,
} from '../../src/bitrix/scheduler/redis-bucket-store.js';

/*
 * What the bucket store believes of Redis's replies (issue 21, item 5): a Redis (or a proxy, or a
 * script someone else loaded under our name) answering garbage must never turn pacing off. The
 * real script against a real redis-server is tested in test/e2e/bucket-store.test.ts; here Redis
 * is a stand-in that answers whatever it is told to (unit level).
 */

const LIMITS: BucketLimits = { capacity: 10, ratePerSecond: 2 };

/** A Redis whose bucket script answers `reply` (the store calls only that command). */
function answering(reply: () => unknown): Redis {
  return { bitrix24Bucket: async () => reply() } as unknown as Redis;
}

describe('the Redis bucket store reading its script’s replies', () => {
  it.each([
    ['not numbers', ['abc', 'def']],
    ['a negative wait', ['3', '-1']],
    ['a negative level', ['-5', '0']],
    ['an empty bucket after a take', ['0', '0']],
    ['a level over the capacity with no wait', ['11', '0']],
    ['a wait while the bucket had room', ['2', '500']],
    ['a wait far longer than the level needs', ['10', '9999999']],
    ['infinity', ['inf', '0']],
    ['NaN', ['nan', '0']],
    ['a fraction of a millisecond', ['10', '0.5']],
    ['one value', ['1']],
    ['a status reply', 'OK'],
    ['nothing', null],
    ['nested arrays', [['1'], ['0']]],
  ])('refuses %s as a take reply', async (_name, reply) => {
    const store = new RedisBucketStore(answering(() => reply));
    await expect(store.take('portal', LIMITS)).rejects.toBeInstanceOf(BucketReplyError);
  });

  it('believes what the script can answer', async () => {
    const replies: unknown[] = [
      ['1', '0'],
      ['9.9999999999', '0'],
      ['10', '500'],
      ['9.5', '250'],
    ];
    const store = new RedisBucketStore(answering(() => replies.shift()));
    await expect(store.take('portal', LIMITS)).resolves.toEqual({ level: 1, waitMs: 0 });
    await expect(store.take('portal', LIMITS)).resolves.toEqual({ level: 9.9999999999, waitMs: 0 });
    await expect(store.take('portal', LIMITS)).resolves.toEqual({ level: 10, waitMs: 500 });
    await expect(store.take('portal', LIMITS)).resolves.toEqual({ level: 9.5, waitMs: 250 });
    const fill = new RedisBucketStore(answering(() => ['10', '0']));
    await expect(fill.fill('portal', LIMITS)).resolves.toEqual({ level: 10, waitMs: 0 });
    await expect(
      new RedisBucketStore(answering(() => ['3', '0'])).fill('portal', LIMITS),
    ).rejects.toBeInstanceOf(BucketReplyError);
    await expect(
      new RedisBucketStore(answering(() => ['1e-05', '0'])).peek('portal', LIMITS),
    ).resolves.toEqual({ level: 0.00001, waitMs: 0 });
  });

  it('paces by the fallback, never "send now", while Redis answers garbage', async () => {
    const garbage = [['-1', '-1'], ['0', '0'], ['nan', '0'], 'OK', ['abc', '0']];
    let index = 0;
    const outages: unknown[] = [];
    const store = new FallbackBucketStore(
      new RedisBucketStore(answering(() => garbage[index++ % garbage.length])),
      new MemoryBucketStore(() => 0),
      (limits) => limits,
      (error) => outages.push(error),
    );
    const readings = [];
    for (let call = 0; call < 30; call++) readings.push(await store.take('portal', LIMITS));
    // The clock stands still: the local bucket lets at most its capacity go, then makes calls wait.
    expect(readings.filter((reading) => reading.waitMs === 0).length).toBeLessThanOrEqual(
      LIMITS.capacity,
    );
    expect(readings.at(-1)!.waitMs).toBeGreaterThan(0);
    expect(outages.every((error) => error instanceof BucketReplyError)).toBe(true);
    expect(outages).toHaveLength(30);
  });
});
