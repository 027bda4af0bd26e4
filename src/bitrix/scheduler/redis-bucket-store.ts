import type { Redis } from 'ioredis';
import type { BucketLimits, BucketReading, BucketStore } from './bucket-store.js';

/**
 * The leaky-bucket mirror in Redis, one hash per portal, changed atomically by one Lua script, so
 * replicas share the portal's budget exactly. The clock is Redis's own (`TIME`), so replicas whose
 * clocks disagree still agree on the bucket. The arithmetic is `bucket-store.ts`'s, written in Lua.
 *
 * Why a script of our own: no well-kept library models this bucket with a "the portal says it is
 * full now" operation that every replica sees (rate-limiter-flexible counts fixed windows, which
 * wastes half the bucket; GCRA packages take the client's clock and cannot mark a bucket full).
 */
const SCRIPT = `
if redis.replicate_commands then redis.replicate_commands() end
local op = ARGV[1]
local capacity = tonumber(ARGV[2])
local rate = tonumber(ARGV[3]) / 1000
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + tonumber(clock[2]) / 1000
local saved = redis.call('HMGET', KEYS[1], 'level', 'at')
local level = tonumber(saved[1]) or 0
local at = tonumber(saved[2]) or now
level = math.max(0, level - math.max(0, now - at) * rate)
local wait = 0
if op == 'take' then
  if level + 1 <= capacity + 1e-9 then
    level = level + 1
  else
    wait = math.max(1, math.ceil((level + 1 - capacity) / rate))
  end
elseif op == 'fill' then
  level = capacity
end
redis.call('HSET', KEYS[1], 'level', tostring(level), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(level / rate) + 1000)
return { tostring(level), tostring(wait) }
`;

type Operation = 'take' | 'fill' | 'peek';

interface WithBucketCommand {
  bitrix24Bucket(
    key: string,
    operation: Operation,
    capacity: number,
    ratePerSecond: number,
  ): Promise<[string, string]>;
}

export class RedisBucketStore implements BucketStore {
  private readonly redis: Redis & WithBucketCommand;

  constructor(
    redis: Redis,
    private readonly keyPrefix = 'bitrix24:bucket:',
  ) {
    if (!('bitrix24Bucket' in redis))
      redis.defineCommand('bitrix24Bucket', { numberOfKeys: 1, lua: SCRIPT });
    this.redis = redis as Redis & WithBucketCommand;
  }

  private async run(
    operation: Operation,
    key: string,
    limits: BucketLimits,
  ): Promise<BucketReading> {
    const [level, wait] = await this.redis.bitrix24Bucket(
      this.keyPrefix + key,
      operation,
      limits.capacity,
      limits.ratePerSecond,
    );
    return { level: Number(level), waitMs: Number(wait) };
  }

  take(key: string, limits: BucketLimits): Promise<BucketReading> {
    return this.run('take', key, limits);
  }

  fill(key: string, limits: BucketLimits): Promise<BucketReading> {
    return this.run('fill', key, limits);
  }

  peek(key: string, limits: BucketLimits): Promise<BucketReading> {
    return this.run('peek', key, limits);
  }
}
