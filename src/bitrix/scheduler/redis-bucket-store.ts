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

/** Redis answered something the bucket script cannot have answered: an outage, not an answer. */
export class BucketReplyError extends Error {
  constructor(operation: Operation, reply: unknown) {
    // The reply is ours (numbers), never a secret; cut short in case it is something else.
    super(
      `redis answered an impossible ${operation} reply: ${JSON.stringify(reply)?.slice(0, 80)}`,
    );
    this.name = 'BucketReplyError';
  }
}

/** Float rounding the script's arithmetic may leave (as bucket-store.ts's EPSILON). */
const SLACK = 1e-6;

/**
 * Reads the script's reply, or throws: only a pair of numbers the script can have produced for
 * this operation is believed. Anything else (a Redis, proxy or script answering garbage) throws,
 * and the store's caller then paces by its fallback, as when Redis is away: a bad reply never
 * lets a call go that the bucket would not.
 */
export function readBucketReply(
  reply: unknown,
  operation: Operation,
  limits: BucketLimits,
): BucketReading {
  const fail = () => new BucketReplyError(operation, reply);
  if (!Array.isArray(reply) || reply.length !== 2) throw fail();
  const [rawLevel, rawWait] = reply as unknown[];
  const number = (value: unknown) =>
    (typeof value === 'string' && /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(value.trim())) ||
    typeof value === 'number'
      ? Number(value)
      : Number.NaN;
  const level = number(rawLevel);
  const waitMs = number(rawWait);
  if (!Number.isFinite(level) || !Number.isFinite(waitMs) || level < 0 || waitMs < 0) throw fail();
  if (!Number.isInteger(waitMs)) throw fail();
  const { capacity, ratePerSecond } = limits;
  if (operation !== 'take') {
    // fill sets the level to the capacity; peek only drains; neither ever makes anyone wait.
    if (waitMs !== 0) throw fail();
    if (operation === 'fill' && Math.abs(level - capacity) > SLACK) throw fail();
    return { level, waitMs };
  }
  if (waitMs === 0) {
    // A slot was taken: the bucket holds that call, and it fit.
    if (level < 1 - SLACK || level > capacity + SLACK) throw fail();
  } else {
    // No room: the wait is what the level needs to drain by one call, no more.
    const needed = Math.ceil(((level + 1 - capacity) * 1000) / ratePerSecond);
    if (level + 1 <= capacity - SLACK || waitMs > Math.max(1, needed) + 1) throw fail();
  }
  return { level, waitMs };
}

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
    const reply: unknown = await this.redis.bitrix24Bucket(
      this.keyPrefix + key,
      operation,
      limits.capacity,
      limits.ratePerSecond,
    );
    return readBucketReply(reply, operation, limits);
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
