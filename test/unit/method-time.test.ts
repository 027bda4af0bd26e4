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
  const key = 'webhook:portal|im.dialog.get';

  it('lets calls go below 80 % of the budget', () => {
    const clock = { now: NOW };
    const mirror = mirrorAt(clock);
    mirror.observe(key, { operating: 300, operating_reset_at: seconds(NOW) + 300 });
    mirror.sent(key);
    expect(mirror.notBefore(key)).toBeLessThanOrEqual(NOW);
  });

  it('spaces calls more the closer the budget is to spent, and stops 5 s before its end until the oldest minute drops out', () => {
    const clock = { now: NOW };
    const mirror = mirrorAt(clock);
    const pauseAt = (operating: number) => {
      mirror.observe(key, { operating, operating_reset_at: seconds(NOW) + 300 });
      mirror.sent(key);
      return mirror.notBefore(key) - NOW;
    };
    const pauses = [400, 430, 460].map(pauseAt);
    expect(pauses[0]).toBeGreaterThan(0);
    expect(pauses[1]).toBeGreaterThan(pauses[0]!);
    expect(pauses[2]).toBeGreaterThan(pauses[1]!);
    expect(pauses[2]).toBeLessThanOrEqual(7000);
    expect(pauseAt(476)).toBe(301_000);
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

  it('keeps its pause when a malformed block arrives: one bad answer never disables the guard', () => {
    const clock = { now: NOW };
    const mirror = mirrorAt(clock);
    mirror.observe(key, { operating: 479, operating_reset_at: seconds(NOW) + 60 });
    for (const bad of [null, {}, { operating: 'x' }, { operating: 0 }, [], 'garbage'])
      mirror.observe(key, bad);
    expect(mirror.notBefore(key)).toBe(NOW + 61_000);
  });

  it('recovers after a reset reported far in the future: never stopped for more than one window', () => {
    const clock = { now: NOW };
    const mirror = mirrorAt(clock);
    mirror.observe(key, { operating: 479, operating_reset_at: 99_999_999_999 });
    expect(mirror.notBefore(key)).toBeLessThanOrEqual(NOW + 601_000);
    clock.now = NOW + 601_000;
    expect(mirror.notBefore(key)).toBeLessThanOrEqual(clock.now);
  });

  it('forgets a figure once its window moved on: the next answer brings the new one', () => {
    const clock = { now: NOW };
    const mirror = mirrorAt(clock);
    mirror.observe(key, { operating: 479, operating_reset_at: seconds(NOW) + 30 });
    clock.now = NOW + 32_000;
    expect(mirror.notBefore(key)).toBe(0);
  });

  it('stops near the end of a small budget too (1 % of it, at most 5 s)', () => {
    const clock = { now: NOW };
    const mirror = mirrorAt(clock, 10);
    mirror.observe(key, { operating: 9.95, operating_reset_at: seconds(NOW) + 60 });
    expect(mirror.notBefore(key)).toBe(NOW + 61_000);
  });
});
