import { describe, expect, it } from '@jest/globals';
import { AnswerBudget } from '../../src/bitrix/answer-budget.js';

/** Whether a take has been granted yet (a sync grant counts at once). */
function granted(take: Promise<void> | void): () => boolean {
  let done = take === undefined;
  void take?.then(() => {
    done = true;
  });
  return () => done;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('AnswerBudget', () => {
  it('grants what fits at once, makes the rest wait until bytes are released', async () => {
    const budget = new AnswerBudget(1000, 0);
    const first = budget.lease();
    const second = budget.lease();
    expect(granted(first.take(600))()).toBe(true);
    const waiting = granted(second.take(600));
    await settle();
    expect(waiting()).toBe(false);
    expect(budget.queued).toBe(1);
    first.release();
    await settle();
    expect(waiting()).toBe(true);
    expect(budget.inUse).toBe(600);
    second.release();
    expect(budget.inUse).toBe(0);
    expect(budget.peak).toBe(600);
  });

  it('never deadlocks: the oldest answer under way always gets its next bytes', async () => {
    const budget = new AnswerBudget(1000, 0);
    const [a, b, c] = [budget.lease(), budget.lease(), budget.lease()];
    a.take(400);
    b.take(400);
    // Both under way, neither fits another 400: the oldest goes on, past the total.
    expect(granted(a.take(400))()).toBe(true);
    const bMore = granted(b.take(400));
    const cFirst = granted(c.take(100));
    await settle();
    expect([bMore(), cFirst()]).toEqual([false, false]);
    a.release();
    await settle();
    // b is now the oldest; c (not started) fits beside it.
    expect([bMore(), cFirst()]).toEqual([true, true]);
    expect(budget.peak).toBe(1200);
  });

  it('lets the first free bytes of every answer through, so small answers never queue', async () => {
    const budget = new AnswerBudget(1000, 64);
    const big = budget.lease();
    big.take(1000);
    const small = budget.lease();
    expect(granted(small.take(50))()).toBe(true);
    expect(granted(small.take(50))()).toBe(false);
  });

  it('keeps answers not started yet in arrival order, and answers under way may pass them', async () => {
    const budget = new AnswerBudget(1000, 0);
    const [holder, other, large, tiny] = [
      budget.lease(),
      budget.lease(),
      budget.lease(),
      budget.lease(),
    ];
    holder.take(500);
    other.take(300);
    const largeFirst = granted(large.take(600));
    const tinyFirst = granted(tiny.take(10));
    const otherMore = granted(other.take(100));
    await settle();
    // `other` is under way and fits: it passes; `tiny` stays behind `large`.
    expect([largeFirst(), tinyFirst(), otherMore()]).toEqual([false, false, true]);
    holder.release();
    await settle();
    expect([largeFirst(), tinyFirst()]).toEqual([true, false]);
  });

  it('stops waiting when the signal aborts, and lets the others on', async () => {
    const budget = new AnswerBudget(1000, 0);
    const holder = budget.lease();
    holder.take(900);
    const controller = new AbortController();
    const aborted = budget.lease().take(500, controller.signal);
    controller.abort(new Error('deadline'));
    await expect(aborted).rejects.toThrow('deadline');
    expect(budget.queued).toBe(0);
    holder.release();
    expect(budget.inUse).toBe(0);
  });
});
