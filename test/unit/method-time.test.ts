import { describe, expect, it } from '@jest/globals';
import { MethodTimeMirror, readMethodTime } from '../../src/bitrix/method-time.js';

const NOW = 1_800_000_000_000;
const seconds = (ms: number) => Math.round(ms / 1000);
const mirrorAt = (clock: { now: number }, budgetSeconds = 480) =>
  new MethodTimeMirror({ budgetSeconds, now: () => clock.now });

describe('readMethodTime', () => {
  const options = { budgetSeconds: 480, windowSeconds: 600 };

  it.each([
    ['no block', undefined],
    ['a list', [1, 2]],
    ['no operating', { operating_reset_at: seconds(NOW) + 60 }],
    ['no reset', { operating: 12 }],
    ['text', { operating: 'lots', operating_reset_at: 'soon' }],
    ['NaN and Infinity', { operating: Number.NaN, operating_reset_at: Number.POSITIVE_INFINITY }],
    ['an object for a number', { operating: { value: 1 }, operating_reset_at: seconds(NOW) }],
  ])('ignores %s', (_what, block) => {
    expect(readMethodTime(block, NOW, options)).toBeUndefined();
  });

  it('reads numbers sent as strings, and clamps what is out of range', () => {
    expect(
      readMethodTime(
        { operating: '12.5', operating_reset_at: String(seconds(NOW) + 60) },
        NOW,
        options,
      ),
    ).toEqual({ operating: 12.5, resetAt: NOW + 60_000 });
    expect(
      readMethodTime({ operating: -3, operating_reset_at: seconds(NOW) + 60 }, NOW, options)
        ?.operating,
    ).toBe(0);
    expect(
      readMethodTime({ operating: 1e12, operating_reset_at: seconds(NOW) + 60 }, NOW, options)
        ?.operating,
    ).toBe(960);
  });

  it('believes a reset at most one window (600 s) ahead', () => {
    expect(
      readMethodTime(
        { operating: 479, operating_reset_at: seconds(NOW) + 10 * 365 * 86_400 },
        NOW,
        options,
      )?.resetAt,
    ).toBe(NOW + 600_000);
  });
});

describe('MethodTimeMirror', () => {
  const key = 'webhooks-in-batch:portal|im.dialog.get';
  const method = 'im.dialog.get';
  // A request of `n` commands that each took `each` seconds, and what the portal reported with them.
  const blocks = (n: number, each: number, operating = 0) =>
    Array.from({ length: n }, () => ({
      processing: each,
      operating,
      operating_reset_at: seconds(NOW) + 600,
    }));

  it("records the sum of a call's runs when it is over 0.1 s, and nothing for a sum at or under it", () => {
    const clock = { now: NOW };
    const mirror = mirrorAt(clock, 420);
    mirror.settle(mirror.reserve(key, method, 50), blocks(50, 0.005));
    expect(mirror.used(key)).toBeCloseTo(0.25, 6);
    mirror.settle(mirror.reserve(key, method, 19), blocks(19, 0.005));
    expect(mirror.used(key)).toBeCloseTo(0.25, 6);
    // A single run under 0.1 s alone is not recorded either.
    mirror.settle(mirror.reserve('webhook:x|m', method, 1), blocks(1, 0.05));
    expect(mirror.used('webhook:x|m')).toBe(0);
  });

  it("estimates a command's cost from `processing`, per method", () => {
    const mirror = mirrorAt({ now: NOW });
    expect(mirror.commandSeconds(method)).toBe(0.01);
    mirror.settle(mirror.reserve(key, method, 50), blocks(50, 0.004));
    expect(mirror.commandSeconds(method)).toBeCloseTo(0.004, 6);
    expect(mirror.commandSeconds('im.user.list.get')).toBe(0.01);
    expect(mirror.estimate(method, 50)).toBeCloseTo(0.2, 6);
  });

  it('lets a call leave only when it fits under the budget less its headroom, counting what is in flight', () => {
    const clock = { now: NOW };
    const mirror = mirrorAt(clock, 10); // headroom 0.1 s
    mirror.settle(mirror.reserve(key, method, 50), blocks(50, 0.19)); // 9.5 s
    expect(mirror.notBefore(key, 0.3)).toBeLessThanOrEqual(NOW);
    const inFlight = mirror.reserve(key, method, 30); // 30 × 0.19 learnt ≈ 5.7 s
    expect(mirror.notBefore(key, 0.3)).toBeGreaterThan(NOW);
    mirror.cancel(inFlight);
    expect(mirror.notBefore(key, 0.3)).toBeLessThanOrEqual(NOW);
    expect(mirror.notBefore(key, 0.5)).toBeGreaterThan(NOW);
  });

  it('frees room when the oldest minute drops out of the ten, not before', () => {
    const clock = { now: NOW };
    const mirror = mirrorAt(clock, 10);
    mirror.settle(mirror.reserve(key, method, 50), blocks(50, 0.1)); // 5 s in this minute
    clock.now += 60_000;
    mirror.settle(mirror.reserve(key, method, 40), blocks(40, 0.1)); // 4 s in the next
    const firstBucketDrops = (Math.floor(NOW / 60_000) + 10) * 60_000 + 1000;
    expect(mirror.notBefore(key, 2)).toBe(firstBucketDrops);
    clock.now = firstBucketDrops;
    expect(mirror.used(key)).toBeCloseTo(4, 6);
    expect(mirror.notBefore(key, 2)).toBeLessThanOrEqual(clock.now);
  });

  it('counts what the portal reports beyond its own ledger: others spending the same key', () => {
    const clock = { now: NOW };
    const mirror = mirrorAt(clock, 420);
    // The portal had 100 s recorded before this request; the request adds its 0.25 s sum.
    mirror.settle(mirror.reserve(key, method, 50), blocks(50, 0.005, 100));
    expect(mirror.used(key)).toBeCloseTo(100.25, 6);
    // A command over 0.1 s is already in the in-request figure: not counted twice.
    mirror.settle(mirror.reserve(key, method, 1), [
      { processing: 0.3, operating: 100.55, operating_reset_at: seconds(NOW) + 600 },
    ]);
    expect(mirror.used(key)).toBeCloseTo(100.55, 6);
  });

  it('pauses at least 10 s after a refusal, or until the reported reset', () => {
    const clock = { now: NOW };
    const mirror = mirrorAt(clock);
    mirror.refused(key);
    expect(mirror.notBefore(key)).toBe(NOW + 10_000);
    mirror.observe(key, { operating: 100, operating_reset_at: seconds(NOW) + 120 });
    mirror.refused(key);
    expect(mirror.notBefore(key)).toBe(NOW + 121_000);
  });

  it('ignores malformed blocks: one bad answer never disables the guard', () => {
    const clock = { now: NOW };
    const mirror = mirrorAt(clock, 10);
    mirror.observe(key, { operating: 9.95, operating_reset_at: seconds(NOW) + 60 });
    for (const bad of [null, {}, { operating: 'x' }, { operating: 0 }, [], 'garbage'])
      mirror.observe(key, bad);
    expect(mirror.used(key)).toBeCloseTo(9.95, 6);
    expect(mirror.notBefore(key, 0.01)).toBeGreaterThan(NOW);
  });

  it('is off with an infinite budget (on-premise without the limiter)', () => {
    const mirror = mirrorAt({ now: NOW }, Number.POSITIVE_INFINITY);
    mirror.refused(key);
    expect(mirror.enabled).toBe(false);
    expect(mirror.notBefore(key, 1e9)).toBe(0);
  });

  it('forgets budgets that hold nothing any more', () => {
    const clock = { now: NOW };
    const mirror = mirrorAt(clock, 10);
    mirror.settle(mirror.reserve(key, method, 50), blocks(50, 0.1));
    mirror.forgetSettled();
    expect(mirror.snapshot(key)).toBeDefined();
    clock.now += 11 * 60_000;
    mirror.forgetSettled();
    expect(mirror.snapshot(key)).toBeUndefined();
  });
});
