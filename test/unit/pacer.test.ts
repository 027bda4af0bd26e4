import { describe, expect, it } from '@jest/globals';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { Bitrix24Error } from '../../src/bitrix/errors.js';
import { Pacer, pacingWindow } from '../../src/bitrix/pacer.js';

describe('pacingWindow', () => {
  it.each([
    [2, 50, { points: 24, seconds: 12 }],
    [2, 10, { points: 4, seconds: 2 }],
    [5, 250, { points: 125, seconds: 25 }],
    [2, 3, { points: 1, seconds: 1 }],
    [0.5, 50, { points: 25, seconds: 50 }],
  ])('rps %d, burst %d → %j', (rps, burst, expected) => {
    expect(pacingWindow(rps, burst)).toEqual(expected);
  });

  it.each([[2, 50], [2, 10], [5, 250], [1, 2], [3, 7], [0.5, 50], [10, 20]])(
    'never lets a greedy sender overflow a leaky bucket of %d/s, burst %d, and keeps its rate',
    (rps, burst) => {
      const { points, seconds } = pacingWindow(rps, burst);
      // Greedy worst case: spend a window's points at its very end and the next window's at its start.
      let level = 0;
      let last = 0;
      let sent = 0;
      const horizon = 600;
      for (let windowStart = 0; windowStart < horizon; windowStart += seconds) {
        const at = windowStart % (2 * seconds) === 0 ? windowStart + seconds - 1e-6 : windowStart;
        level = Math.max(0, level - (at - last) * rps);
        last = at;
        level += points;
        sent += points;
        expect(level).toBeLessThanOrEqual(burst + 1e-9);
      }
      expect(sent / horizon).toBeLessThanOrEqual(rps + 1e-9);
      expect(sent / horizon).toBeGreaterThanOrEqual(rps * 0.5);
    },
  );
});

describe('Pacer', () => {
  const pacer = (points: number, maxQueue = 100) =>
    new Pacer({ rps: points, maxQueue, limiter: new RateLimiterMemory({ points, duration: 1 }) });

  it('lets calls through in arrival order at the window’s pace', async () => {
    const subject = pacer(2);
    const order: number[] = [];
    const started = Date.now();
    await Promise.all([0, 1, 2, 3].map((index) => subject.acquire('portal').then(() => order.push(index))));
    expect(order).toEqual([0, 1, 2, 3]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    subject.close();
  });

  it('refuses at once when the queue is full', async () => {
    const subject = pacer(1, 2);
    await subject.acquire('portal');
    const waiting = [subject.acquire('portal'), subject.acquire('portal')];
    await expect(subject.acquire('portal')).rejects.toMatchObject({ code: 'PACING_QUEUE_FULL' });
    await Promise.all(waiting);
    subject.close();
  });

  it('refuses at once when the queue cannot drain before the deadline, and lets a waiter leave on abort', async () => {
    const subject = pacer(1);
    await subject.acquire('portal');
    const controller = new AbortController();
    const leaving = subject.acquire('portal', controller.signal);
    await expect(subject.acquire('portal', undefined, Date.now() + 100)).rejects.toBeInstanceOf(Bitrix24Error);
    controller.abort();
    await expect(leaving).rejects.toMatchObject({ code: 'PACING_DEADLINE' });
    expect(subject.depth('portal')).toBe(0);
    subject.close();
  });

  it('keeps portals apart', async () => {
    const subject = pacer(1);
    await subject.acquire('a.bitrix24.com');
    const started = Date.now();
    await subject.acquire('b.bitrix24.com');
    expect(Date.now() - started).toBeLessThan(100);
    subject.close();
  });
});
