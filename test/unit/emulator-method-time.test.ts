import { describe, expect, it } from '@jest/globals';
import { MethodTimeBudget, realisticRunSeconds } from '../../src/emulator/budgets.js';

/** A budget on a clock the test moves; starts at the beginning of a minute. */
function budgetAt(options: ConstructorParameters<typeof MethodTimeBudget>[0]) {
  let now = Date.UTC(2026, 2, 1, 12, 0, 0);
  const budget = new MethodTimeBudget(options, () => now);
  return { budget, advance: (seconds: number) => (now += seconds * 1000), now: () => now };
}

describe('the emulator’s method-time limiter', () => {
  it('is ten one-minute buckets and a 0.1 s threshold, with the budget it is given', () => {
    const { budget } = budgetAt({ budgetSeconds: 480 });
    expect([
      budget.bucketSeconds,
      budget.bucketCount,
      budget.windowSeconds,
      budget.minRecordedSeconds,
    ]).toEqual([60, 10, 600, 0.1]);
  });

  it('does not record runs of 0.1 s or less', () => {
    const { budget } = budgetAt({ budgetSeconds: 1 });
    for (let i = 0; i < 100; i++) budget.record('hook', 'im.dialog.get', 0.1);
    expect(budget.used('hook', 'im.dialog.get')).toBe(0);
    budget.record('hook', 'im.dialog.get', 0.11);
    expect(budget.used('hook', 'im.dialog.get')).toBeCloseTo(0.11, 9);
  });

  it('refuses only once more than the budget is recorded, per account and method', () => {
    const { budget } = budgetAt({ budgetSeconds: 1 });
    budget.record('hook', 'im.dialog.get', 1);
    expect(budget.exhausted('hook', 'im.dialog.get')).toBe(false);
    budget.record('hook', 'im.dialog.get', 0.2);
    expect(budget.exhausted('hook', 'im.dialog.get')).toBe(true);
    expect(budget.exhausted('hook', 'server.time')).toBe(false);
    expect(budget.exhausted('app:other', 'im.dialog.get')).toBe(false);
  });

  it('slides minute by minute, and reports the reset as when the oldest bucket drops out', () => {
    const { budget, advance, now } = budgetAt({ budgetSeconds: 480 });
    const firstAt = now();
    budget.record('hook', 'm', 5);
    advance(30);
    budget.record('hook', 'm', 7); // same bucket
    advance(60);
    budget.record('hook', 'm', 11); // next bucket
    expect(budget.report('hook', 'm')).toEqual({
      operating: 23,
      operating_reset_at: (firstAt + 600_000) / 1000,
    });
    // Nine minutes after the first bucket opened, it is still in the window…
    advance(9 * 60 - 90);
    expect(budget.used('hook', 'm')).toBe(23);
    // …at ten it drops out, and the reset moves to the next bucket's.
    advance(60);
    expect(budget.report('hook', 'm')).toEqual({
      operating: 11,
      operating_reset_at: (firstAt + 90_000 + 600_000) / 1000,
    });
    advance(60);
    expect(budget.report('hook', 'm')).toEqual({
      operating: 0,
      operating_reset_at: (now() + 600_000) / 1000,
    });
  });

  it('honours other bucket sizes and counts', () => {
    const { budget, advance } = budgetAt({ budgetSeconds: 10, bucketSeconds: 1, bucketCount: 3 });
    budget.record('hook', 'm', 2);
    advance(2);
    budget.record('hook', 'm', 3);
    expect(budget.used('hook', 'm')).toBe(5);
    advance(1);
    expect(budget.used('hook', 'm')).toBe(3);
  });

  it('costs a few milliseconds for a small chat and over 0.1 s for one of thousands by default', () => {
    expect(
      realisticRunSeconds({ method: 'im.dialog.get', result: { user_counter: 5 } }),
    ).toBeLessThan(0.01);
    expect(
      realisticRunSeconds({ method: 'im.dialog.get', result: { user_counter: 3001 } }),
    ).toBeGreaterThan(0.1);
    expect(
      realisticRunSeconds({ method: 'server.time', result: '2026-03-01T12:00:00+00:00' }),
    ).toBeLessThan(0.01);
    const fixed = new MethodTimeBudget({ budgetSeconds: 1, costSeconds: 0.25 });
    expect(fixed.costOf({ method: 'im.dialog.get', result: { user_counter: 3001 } })).toBe(0.25);
  });
});

describe('the runs of one request', () => {
  it('are summed per account × method and recorded at the end when the sum is over 0.1 s; the in-request check counts only runs over 0.1 s', () => {
    let now = 1_800_000_000_000;
    const budget = new MethodTimeBudget({ budgetSeconds: 0.5 }, () => now);
    const runs = budget.request();
    for (let i = 0; i < 50; i++) runs.run('hook', 'im.dialog.get', 0.005);
    // 50 small runs: nothing counted while the request runs…
    expect(runs.report('hook', 'im.dialog.get').operating).toBe(0);
    runs.run('hook', 'im.dialog.get', 0.3);
    // …a run over 0.1 s is.
    expect(runs.report('hook', 'im.dialog.get').operating).toBeCloseTo(0.3, 6);
    expect(runs.exhausted('hook', 'im.dialog.get')).toBe(false);
    runs.finish();
    // At the end the whole sum is recorded: 50 × 5 ms + 0.3 s.
    expect(budget.used('hook', 'im.dialog.get')).toBeCloseTo(0.55, 6);
    expect(budget.exhausted('hook', 'im.dialog.get')).toBe(true);
    now += 1000;
    const small = budget.request();
    small.run('other', 'im.dialog.get', 0.05);
    small.finish();
    expect(budget.used('other', 'im.dialog.get')).toBe(0);
  });
});
