import { setMaxListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { Credentials } from '../../src/bitrix/credentials.js';
import type { SuccessEnvelope } from '../../src/bitrix/envelope.js';
import { AccessError, Bitrix24Error } from '../../src/bitrix/errors.js';
import { MethodTimeMirror } from '../../src/bitrix/method-time.js';
import { drain, MemoryBucketStore } from '../../src/bitrix/scheduler/bucket-store.js';
import { LeakyBucketMirror } from '../../src/bitrix/scheduler/leaky-bucket-mirror.js';
import type { CallSender } from '../../src/bitrix/scheduler/command-call.js';
import type { DialogLookupRequest } from '../../src/bitrix/scheduler/lookup.js';
import {
  PortalScheduler,
  type PortalSchedulerOptions,
} from '../../src/bitrix/scheduler/portal-scheduler.js';
import { CallerReputation } from '../../src/bitrix/scheduler/caller-reputation.js';
import type { AttemptOptions } from '../../src/bitrix/transport.js';

/*
 * The scheduler on fake time (jest's timers and Date), against a fake portal that keeps a real
 * leaky bucket of its own: unit tests of the scheduling rules, run in milliseconds. The e2e tests
 * (test/e2e/scheduler.test.ts) prove the same against the emulator over HTTP.
 */

const START = 1_800_000_000_000;
const webhook = (user = 1): Credentials => ({
  kind: 'webhook',
  webhookUrl: new URL(`https://portal.example/rest/${user}/secret${user}/`),
});
const oauth = (token: string): Credentials => ({
  kind: 'oauth',
  portalUrl: new URL('https://portal.example/'),
  accessToken: token,
});

interface SentCall {
  readonly at: number;
  readonly method: string;
  readonly ids: readonly string[];
  readonly caller: string;
}

/** A portal with a leaky bucket, a fixed latency, and scripted failures (unit tests only). */
class FakePortal implements CallSender {
  readonly calls: SentCall[] = [];
  refusals = 0;
  /** How long after `send` the n-th call (from 0) is written to its socket (a busy event loop). */
  sendLagMs: (index: number) => number = () => 0;
  private level = 0;
  private updatedAt = Date.now();
  /** Failures for the next calls, in order. */
  readonly script: Array<Bitrix24Error | ((ids: readonly string[]) => SuccessEnvelope)> = [];

  constructor(
    private readonly bucket = { capacity: 1000, drainPerSecond: 1000 },
    private readonly latencyMs = 50,
  ) {}

  /** Another app spends `calls` of the bucket. */
  spend(calls: number): void {
    this.fillTo(this.levelNow() + calls);
  }

  private levelNow(): number {
    return drain(this.level, Date.now() - this.updatedAt, this.bucket.drainPerSecond);
  }

  private fillTo(level: number): void {
    this.level = level;
    this.updatedAt = Date.now();
  }

  async send(
    credentials: Credentials,
    method: string,
    params: Readonly<Record<string, unknown>>,
    attempt: AttemptOptions = {},
  ): Promise<SuccessEnvelope> {
    const ids =
      method === 'batch'
        ? Object.values(params.cmd as Record<string, string>).map((command) =>
            decodeURIComponent(command.split('DIALOG_ID=')[1]!),
          )
        : [String(params.DIALOG_ID)];
    const caller =
      credentials.kind === 'webhook' ? credentials.webhookUrl.pathname : credentials.accessToken;
    const lagMs = this.sendLagMs(this.calls.length);
    this.calls.push({ at: Date.now() - START, method, ids, caller });
    if (attempt.onSent) setTimeout(attempt.onSent, lagMs);
    // A call reaches the portal only once it has left.
    if (lagMs > 0) await new Promise((resolve) => setTimeout(resolve, lagMs));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, this.latencyMs);
      attempt.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(
          new Bitrix24Error({
            failure: 'timeout',
            code: 'DEADLINE_EXCEEDED',
            message: 'aborted',
            local: true,
          }),
        );
      });
    });
    const level = this.levelNow();
    if (level + 1 > this.bucket.capacity + 1e-9) {
      this.refusals++;
      throw new Bitrix24Error({
        failure: 'rate-limited',
        code: 'QUERY_LIMIT_EXCEEDED',
        message: 'Too many requests',
        status: 503,
      });
    }
    this.fillTo(level + 1);
    const scripted = this.script.shift();
    if (scripted instanceof Error) throw scripted;
    if (scripted) return scripted(ids);
    const dialog = (id: string) => ({
      id: Number(id.replace(/\D/g, '')),
      name: `Dialog ${id} for ${caller}`,
    });
    if (method !== 'batch') return { result: dialog(ids[0]!) };
    return {
      result: {
        result: Object.fromEntries(ids.map((id, index) => [`d${index}`, dialog(id)])),
        result_error: [],
      },
    };
  }
}

interface Harness {
  readonly scheduler: PortalScheduler;
  readonly portal: FakePortal;
  readonly mirror: LeakyBucketMirror;
  readonly methodTime: MethodTimeMirror;
  lookup(dialogId: string, options?: Partial<DialogLookupRequest>): Promise<unknown>;
}

function harness(
  options: {
    rps?: number;
    burst?: number;
    fake?: FakePortal;
    deadlineMs?: number;
    methodTime?: MethodTimeMirror;
  } & Partial<Omit<PortalSchedulerOptions, 'portal'>> = {},
): Harness {
  const portal = options.fake ?? new FakePortal();
  const mirror = new LeakyBucketMirror({
    rps: options.rps ?? 1000,
    burst: options.burst ?? 1000,
    store: new MemoryBucketStore(() => Date.now()),
    now: () => Date.now(),
  });
  const methodTime = options.methodTime ?? new MethodTimeMirror({ budgetSeconds: 480 });
  const scheduler = new PortalScheduler({
    portal: 'portal.example',
    sender: portal,
    mirror,
    methodTime,
    retry: { retries: 3, baseDelayMs: 100, maxDelayMs: 1000 },
    maxWaiting: 10_000,
    random: () => 0,
    ...options,
  });
  return {
    scheduler,
    portal,
    mirror,
    methodTime,
    lookup: (dialogId, extra = {}) =>
      scheduler.lookup({
        credentials: webhook(),
        dialogId,
        deadline: Date.now() + (options.deadlineMs ?? 25_000),
        ...extra,
      }),
  };
}

/** Settles every promise without throwing, so that fake time can run while they wait. */
const settleAll = <T>(promises: Array<Promise<T>>) => Promise.allSettled(promises);

beforeEach(() => {
  jest.useFakeTimers({ now: START, doNotFake: ['queueMicrotask', 'nextTick'] });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('the leaky-bucket mirror', () => {
  it('lets the whole bucket go at once from idle (the last call 250 ms late: the margin), then exactly rps per second', async () => {
    const { scheduler, portal } = harness({
      rps: 2,
      burst: 10,
      fake: new FakePortal({ capacity: 10, drainPerSecond: 2 }),
    });
    const answers = settleAll(
      Array.from({ length: 15 }, (_, index) =>
        scheduler.lookup({
          credentials: oauth(`token-${index}`),
          dialogId: `chat${index}`,
          deadline: START + 60_000,
        }),
      ),
    );
    await jest.advanceTimersByTimeAsync(10_000);
    expect((await answers).every((answer) => answer.status === 'fulfilled')).toBe(true);
    const leftAt = portal.calls.map((call) => call.at);
    // 9 at once (after the 2 ms batch window), the 10th 250 ms later (the margin: half a slot at
    // 2/s), then one per 500 ms: the ideal leaky-bucket schedule, 250 ms behind.
    expect(leftAt.slice(0, 9).every((at) => at <= 5)).toBe(true);
    leftAt.slice(9).forEach((at, index) => {
      expect(Math.abs(at - (250 + 500 * index))).toBeLessThanOrEqual(5);
    });
    expect(portal.refusals).toBe(0);
  });

  it('never lets calls overflow the portal’s bucket under random demand', async () => {
    const portal = new FakePortal({ capacity: 20, drainPerSecond: 2 });
    const { scheduler } = harness({ rps: 2, burst: 20, fake: portal, deadlineMs: 600_000 });
    const pending: Array<Promise<unknown>> = [];
    let seed = 7;
    const random = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    for (let step = 0; step < 120; step++) {
      for (let n = Math.floor(random() * 4); n > 0; n--) {
        pending.push(
          scheduler.lookup({
            credentials: oauth(`token-${step}-${n}`),
            dialogId: `chat${step}`,
            deadline: Date.now() + 600_000,
          }),
        );
      }
      await jest.advanceTimersByTimeAsync(Math.floor(random() * 400));
    }
    await jest.advanceTimersByTimeAsync(400_000);
    const answers = await settleAll(pending);
    expect(answers.every((answer) => answer.status === 'fulfilled')).toBe(true);
    expect(portal.refusals).toBe(0);
  });

  it('cuts its rate and size by 20 % after 5 refusals within a minute, and gives 10 % back per 20 clean calls', async () => {
    const mirror = new LeakyBucketMirror({
      rps: 2,
      burst: 50,
      store: new MemoryBucketStore(() => Date.now()),
      now: () => Date.now(),
    });
    for (let i = 0; i < 4; i++) await mirror.refused('p', Date.now());
    expect(mirror.limits('p')).toEqual({ capacity: 49.5, ratePerSecond: 2 });
    await mirror.refused('p', Date.now());
    // 40 of 50 at 1.6/s, less 250 ms of margin at that rate.
    expect(mirror.limits('p').ratePerSecond).toBeCloseTo(1.6);
    expect(mirror.limits('p').capacity).toBeCloseTo(39.6);
    for (let i = 0; i < 19; i++) mirror.accepted('p');
    expect(mirror.factor('p')).toBeCloseTo(0.8);
    mirror.accepted('p');
    expect(mirror.factor('p')).toBeCloseTo(0.88);
    // Refusals spread over more than a minute never add up to a cut.
    const spread = new LeakyBucketMirror({
      rps: 2,
      burst: 50,
      store: new MemoryBucketStore(() => Date.now()),
      now: () => Date.now(),
    });
    for (let i = 0; i < 10; i++) {
      await spread.refused('p', Date.now());
      jest.setSystemTime(Date.now() + 15_000);
    }
    expect(spread.factor('p')).toBe(1);
    // Refusals of calls that left before the mirror learned the bucket was full are the same news.
    const wave = new LeakyBucketMirror({
      rps: 2,
      burst: 50,
      store: new MemoryBucketStore(() => Date.now()),
      now: () => Date.now(),
    });
    const sentAt = Date.now();
    jest.setSystemTime(Date.now() + 50);
    for (let i = 0; i < 30; i++) await wave.refused('p', sentAt);
    expect(wave.factor('p')).toBe(1);
  });

  it('keeps as much of the bucket free as calls lately left late, until its bucket has been empty for that long', async () => {
    const mirror = new LeakyBucketMirror({
      rps: 2,
      burst: 50,
      store: new MemoryBucketStore(() => Date.now()),
      now: () => Date.now(),
    });
    // 250 ms of margin at 2/s.
    expect(mirror.limits('p').capacity).toBeCloseTo(49.5);
    for (let i = 0; i < 10; i++) await mirror.take('p');
    mirror.dispatchLag('p', 2000);
    expect(mirror.limits('p').capacity).toBeCloseTo(46);
    // A smaller lag later does not hide the larger one.
    mirror.dispatchLag('p', 100);
    expect(mirror.limits('p').capacity).toBeCloseTo(46);
    // Never more than 5 s, whatever one stalled call says.
    mirror.dispatchLag('p', 60_000);
    expect(mirror.limits('p').capacity).toBeCloseTo(40);
    // Kept while the bucket holds calls (10 drain in 5 s)…
    jest.setSystemTime(Date.now() + 4000);
    await mirror.take('p');
    expect(mirror.limits('p').capacity).toBeCloseTo(40);
    // …and dropped once it has been empty for the lag's length.
    jest.setSystemTime(Date.now() + 6000);
    await mirror.take('p');
    expect(mirror.limits('p').capacity).toBeCloseTo(49.5);
    // Per portal.
    mirror.dispatchLag('q', 3000);
    expect(mirror.limits('p').capacity).toBeCloseTo(49.5);
  });

  it('hears from the transport when each call left, and counts the lag from the moment it was taken from the bucket', async () => {
    const portal = new FakePortal({ capacity: 50, drainPerSecond: 2 });
    portal.sendLagMs = () => 1500;
    const { mirror, lookup } = harness({ rps: 2, burst: 50, fake: portal });
    const answer = lookup('chat1');
    await jest.advanceTimersByTimeAsync(2000);
    await expect(answer).resolves.toMatchObject({ id: 1 });
    // 1.5 s of lag at 2/s keeps 3 calls of the bucket free.
    expect(mirror.limits('portal.example').capacity).toBeCloseTo(47);
  });

  it('never lets a call arrive with a burst that has not left yet: the lag of calls still unsent counts before the next is taken', async () => {
    // No safety margin, so that only this rule stands between the portal and an overflow. The burst
    // of 50 is written 1 s late (a busy event loop); the portal starts draining only when it
    // arrives. Without the rule the mirror, draining from when it counted the burst, lets a call go
    // at 0.5 s and one at 1 s, and the second arrives with the burst: 51 in a bucket of 50.
    // No latency either: a call arrives the moment it leaves.
    const portal = new FakePortal({ capacity: 50, drainPerSecond: 2 }, 0);
    portal.sendLagMs = (index) => (index < 50 ? 1000 : 0);
    const mirror = new LeakyBucketMirror({
      rps: 2,
      burst: 50,
      safetyMarginMs: 0,
      store: new MemoryBucketStore(() => Date.now()),
      now: () => Date.now(),
    });
    const { scheduler } = harness({ rps: 2, burst: 50, fake: portal, mirror, deadlineMs: 60_000 });
    const answers = settleAll(
      Array.from({ length: 60 }, (_, index) =>
        scheduler.lookup({
          credentials: oauth(`token-${index}`),
          dialogId: `chat${index}`,
          deadline: START + 60_000,
        }),
      ),
    );
    await jest.advanceTimersByTimeAsync(40_000);
    expect((await answers).every((answer) => answer.status === 'fulfilled')).toBe(true);
    expect(portal.refusals).toBe(0);
    // The first call after the burst waited for it to leave, and then for the lag it had.
    expect(portal.calls[50]!.at).toBeGreaterThanOrEqual(1000);
  });
});

describe('a portal someone else spends too', () => {
  it('follows the real bucket after the first refusals: those in flight, then none', async () => {
    // Another app has spent 40 of the 50: 10 are free, the mirror believes in 49.
    const portal = new FakePortal({ capacity: 50, drainPerSecond: 2 });
    portal.spend(40);
    const { scheduler } = harness({ rps: 2, burst: 50, fake: portal, deadlineMs: 60_000 });
    const answers = settleAll(
      Array.from({ length: 40 }, (_, index) =>
        scheduler.lookup({
          credentials: oauth(`token-${index}`),
          dialogId: `chat${index}`,
          deadline: START + 60_000,
        }),
      ),
    );
    await jest.advanceTimersByTimeAsync(30_000);
    expect((await answers).every((answer) => answer.status === 'fulfilled')).toBe(true);
    // 40 calls left at once (all in flight when the first refusal came back); 10 were taken.
    expect(portal.refusals).toBe(30);
    const last = Math.max(...portal.calls.map((call) => call.at));
    // The ideal: 10 at once, the other 30 at 2/s: the last at ~15 s.
    expect(last).toBeGreaterThan(14_000);
    expect(last).toBeLessThan(17_000);
  });

  it('puts a refused call’s lookups back at the head of their queue and retries them until the deadline', async () => {
    const portal = new FakePortal({ capacity: 1, drainPerSecond: 1 });
    const { lookup } = harness({ rps: 1, burst: 3, fake: portal, deadlineMs: 20_000 });
    portal.spend(1);
    const answer = lookup('chat1');
    await jest.advanceTimersByTimeAsync(5000);
    await expect(answer).resolves.toMatchObject({ id: 1 });
    expect(portal.refusals).toBeGreaterThanOrEqual(1);
  });
});

describe('batching lookups of one caller across requests', () => {
  it('packs 200 lookups arriving over 100 ms into few calls of up to 50', async () => {
    const { portal, lookup } = harness();
    const answers: Array<Promise<unknown>> = [];
    for (let index = 0; index < 200; index++) {
      answers.push(lookup(`chat${index}`));
      await jest.advanceTimersByTimeAsync(index % 2 === 0 ? 1 : 0);
    }
    await jest.advanceTimersByTimeAsync(1000);
    expect((await settleAll(answers)).every((answer) => answer.status === 'fulfilled')).toBe(true);
    expect(portal.calls.length).toBeLessThanOrEqual(5);
    expect(Math.max(...portal.calls.map((call) => call.ids.length))).toBe(50);
  });

  it('sends 120 ids handed in together as 50 + 50 + 20, each answer to its own lookup', async () => {
    const { portal, lookup } = harness();
    const answers = Promise.all(
      Array.from({ length: 120 }, (_, index) => lookup(`chat${index + 1}`)),
    );
    await jest.advanceTimersByTimeAsync(200);
    const results = (await answers) as Array<{ id: number }>;
    expect(results.map((result) => result.id)).toEqual(
      Array.from({ length: 120 }, (_, index) => index + 1),
    );
    expect(portal.calls.map((call) => call.ids.length)).toEqual([50, 50, 20]);
  });

  it('asks an id once when several requests of the caller want it, and answers each', async () => {
    const { portal, lookup } = harness();
    const answers = Promise.all([lookup('chat7'), lookup('chat8'), lookup('chat7')]);
    await jest.advanceTimersByTimeAsync(200);
    expect(await answers).toHaveLength(3);
    expect(portal.calls).toEqual([
      expect.objectContaining({ method: 'batch', ids: ['chat7', 'chat8'] }),
    ]);
  });

  it('sends a lone lookup as a plain im.dialog.get after the 2 ms window, no later', async () => {
    const { portal, lookup } = harness();
    const answer = lookup('chat7');
    await jest.advanceTimersByTimeAsync(100);
    await answer;
    expect(portal.calls).toEqual([
      { at: 2, method: 'im.dialog.get', ids: ['chat7'], caller: '/rest/1/secret1/' },
    ]);
  });

  it('keeps waiting for company while requests are on their way to their resolvers, 50 ms at most', async () => {
    let coming = true;
    const { portal, lookup } = harness({ moreLookupsComing: () => coming });
    const first = lookup('chat1');
    await jest.advanceTimersByTimeAsync(20);
    const second = lookup('chat2');
    await jest.advanceTimersByTimeAsync(10);
    coming = false;
    await jest.advanceTimersByTimeAsync(100);
    await Promise.all([first, second]);
    // Not sent after 2 ms of quiet: the server said more was coming; sent once it no longer was.
    expect(portal.calls).toEqual([
      expect.objectContaining({ at: expect.any(Number), ids: ['chat1', 'chat2'] }),
    ]);
    expect(portal.calls[0]!.at).toBeGreaterThanOrEqual(30);

    coming = true;
    const lone = lookup('chat3');
    await jest.advanceTimersByTimeAsync(200);
    await lone;
    // Never longer than the window's cap, whatever the server says.
    expect(portal.calls[1]!.at - 130).toBeLessThanOrEqual(52);
  });

  it('never puts two callers in one call, and serves callers round robin', async () => {
    const { scheduler, portal } = harness({ rps: 1, burst: 2 });
    const heavy = Array.from({ length: 150 }, (_, index) =>
      scheduler.lookup({
        credentials: webhook(1),
        dialogId: `chat${index}`,
        deadline: START + 60_000,
      }),
    );
    const light = scheduler.lookup({
      credentials: webhook(2),
      dialogId: 'chat9999',
      deadline: START + 60_000,
    });
    await jest.advanceTimersByTimeAsync(10_000);
    await settleAll([...heavy, light]);
    expect(portal.calls.every((call) => call.ids.length <= 50)).toBe(true);
    expect(portal.calls.map((call) => call.caller)).toEqual([
      '/rest/1/secret1/',
      '/rest/2/secret2/',
      '/rest/1/secret1/',
      '/rest/1/secret1/',
    ]);
  });
});

describe('deadlines', () => {
  it('answers PACING_DEADLINE at once when the budget cannot send a lookup before its deadline', async () => {
    const { scheduler } = harness({ rps: 1, burst: 2 });
    const outcomes: Array<{ at: number; code: string }> = [];
    const answers = Array.from({ length: 6 }, (_, index) =>
      scheduler
        .lookup({ credentials: oauth(`t${index}`), dialogId: 'chat1', deadline: START + 2500 })
        .then(
          () => outcomes.push({ at: Date.now() - START, code: 'ok' }),
          (error: Bitrix24Error) => outcomes.push({ at: Date.now() - START, code: error.code }),
        ),
    );
    await jest.advanceTimersByTimeAsync(5000);
    await Promise.all(answers);
    // A bucket of 2: two at once (the second 250 ms late: the margin), then one per second; by the
    // 2.5 s deadline 4 are answered (the last leaves at 2.25 s), and 2 cannot be.
    expect(outcomes.filter((outcome) => outcome.code === 'ok')).toHaveLength(4);
    const shed = outcomes.filter((outcome) => outcome.code === 'PACING_DEADLINE');
    expect(shed).toHaveLength(2);
    expect(shed.every((outcome) => outcome.at <= 5)).toBe(true);
  });

  it('answers a lookup whose request ends while its call is out, and aborts the call when nobody is left on it', async () => {
    const portal = new FakePortal(undefined, 5000);
    const { lookup } = harness({ fake: portal });
    const controller = new AbortController();
    const answer = settleAll([lookup('chat1', { signal: controller.signal })]);
    await jest.advanceTimersByTimeAsync(100);
    expect(portal.calls).toHaveLength(1);
    controller.abort();
    expect((await answer)[0]).toMatchObject({
      status: 'rejected',
      reason: { code: 'DEADLINE_EXCEEDED' },
    });
    // The call's own abort reached the portal (its timer was cleared), nothing more was sent.
    expect(jest.getTimerCount()).toBe(0);
    expect(portal.calls).toHaveLength(1);
  });

  it('keeps a call going for the lookups still waiting on it when one request ends', async () => {
    const portal = new FakePortal(undefined, 1000);
    const { lookup } = harness({ fake: portal });
    const controller = new AbortController();
    const leaving = settleAll([lookup('chat1', { signal: controller.signal })]);
    const staying = lookup('chat2');
    await jest.advanceTimersByTimeAsync(100);
    controller.abort();
    expect((await leaving)[0]).toMatchObject({
      status: 'rejected',
      reason: { code: 'DEADLINE_EXCEEDED' },
    });
    await jest.advanceTimersByTimeAsync(1000);
    await expect(staying).resolves.toMatchObject({ id: 2 });
  });
});

describe('failures that may pass', () => {
  it('goes again with backoff, the lookups of one call together, a bounded number of times', async () => {
    const { portal, lookup } = harness();
    const down = () =>
      new Bitrix24Error({
        failure: 'unavailable',
        code: 'INTERNAL_SERVER_ERROR',
        message: 'down',
        status: 500,
      });
    portal.script.push(down(), down());
    const answers = Promise.all([lookup('chat1'), lookup('chat2')]);
    await jest.advanceTimersByTimeAsync(2000);
    await answers;
    expect(portal.calls.map((call) => call.ids)).toEqual([
      ['chat1', 'chat2'],
      ['chat1', 'chat2'],
      ['chat1', 'chat2'],
    ]);
    // Backoff: 100 ms, then 200 ms (random() = 0), after the 50 ms answers.
    expect(portal.calls.map((call) => call.at)).toEqual([2, 152, 402]);

    const failing = harness();
    failing.portal.script.push(down(), down(), down(), down(), down());
    const given = settleAll([failing.lookup('chat1')]);
    await jest.advanceTimersByTimeAsync(5000);
    expect((await given)[0]).toMatchObject({
      status: 'rejected',
      reason: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(failing.portal.calls).toHaveLength(4);
  });

  it('answers documented per-dialog errors as they are, without retrying', async () => {
    const { portal, lookup } = harness();
    portal.script.push(() => ({
      result: {
        result: { d1: { id: 2 } },
        result_error: { d0: { error: 'ACCESS_ERROR', error_description: 'no' } },
      },
    }));
    const answers = settleAll([lookup('chat1'), lookup('chat2')]);
    await jest.advanceTimersByTimeAsync(200);
    const [denied, allowed] = await answers;
    expect(denied).toMatchObject({ status: 'rejected', reason: expect.any(AccessError) });
    expect(allowed).toMatchObject({ status: 'fulfilled', value: { id: 2 } });
    expect(portal.calls).toHaveLength(1);
  });

  it('remembers a revoked token for a while and answers it without a call', async () => {
    const { scheduler, portal } = harness({
      reputation: new CallerReputation({ refusalTtlMs: 30_000 }),
    });
    portal.script.push(
      new Bitrix24Error({
        failure: 'unauthenticated',
        code: 'invalid_token',
        message: 'invalid',
        status: 401,
      }),
    );
    const ask = () =>
      scheduler.lookup({
        credentials: oauth('revoked'),
        dialogId: 'chat1',
        deadline: Date.now() + 10_000,
      });
    const first = settleAll([ask()]);
    await jest.advanceTimersByTimeAsync(100);
    expect((await first)[0]).toMatchObject({
      status: 'rejected',
      reason: { code: 'invalid_token' },
    });
    await expect(ask()).rejects.toMatchObject({ code: 'invalid_token' });
    expect(portal.calls).toHaveLength(1);
    jest.setSystemTime(Date.now() + 31_000);
    const later = ask();
    await jest.advanceTimersByTimeAsync(100);
    await later;
    expect(portal.calls).toHaveLength(2);
  });
});

describe('tokens the portal has not accepted yet', () => {
  it('get one call at a time until the portal accepts them; a refused one costs one call, whatever the requests', async () => {
    const { scheduler, portal } = harness({ reputation: new CallerReputation() });
    const ask = (token: string, id: string) =>
      scheduler.lookup({ credentials: oauth(token), dialogId: id, deadline: Date.now() + 10_000 });
    const ids = (from: number) => Array.from({ length: 60 }, (_, index) => `chat${from + index}`);
    // 60 ids at once: two calls, but the second only once the portal has accepted the token.
    const newcomer = Promise.all(ids(1).map((id) => ask('new', id)));
    await jest.advanceTimersByTimeAsync(200);
    await newcomer;
    expect(portal.calls.map((call) => call.ids.length)).toEqual([50, 10]);
    expect(portal.calls[1]!.at - portal.calls[0]!.at).toBeGreaterThanOrEqual(50);
    // Accepted now: the two calls of the next 60 leave together.
    const known = Promise.all(ids(100).map((id) => ask('new', id)));
    await jest.advanceTimersByTimeAsync(200);
    await known;
    expect(portal.calls[3]!.at - portal.calls[2]!.at).toBe(0);

    portal.script.push(
      new Bitrix24Error({
        failure: 'unauthenticated',
        code: 'invalid_token',
        message: 'invalid',
        status: 401,
      }),
    );
    const flood: Array<Promise<unknown>> = [];
    for (let index = 0; index < 10; index++) {
      flood.push(ask('random', `chat${index}`).catch((error: unknown) => error));
      await jest.advanceTimersByTimeAsync(10);
    }
    const answers = await Promise.all(flood);
    expect(
      answers.every((answer) => answer instanceof Bitrix24Error && answer.code === 'invalid_token'),
    ).toBe(true);
    expect(portal.calls.filter((call) => call.caller === 'random')).toHaveLength(1);
  });

  it("hold lookups that arrive while their caller's call is out until it comes back (Nagle), 50 ms at most", async () => {
    const { portal, lookup } = harness();
    const answers = [lookup('chat1')];
    await jest.advanceTimersByTimeAsync(10);
    answers.push(lookup('chat2'));
    await jest.advanceTimersByTimeAsync(10);
    answers.push(lookup('chat3'));
    await jest.advanceTimersByTimeAsync(200);
    await Promise.all(answers);
    // chat2 and chat3 arrived while chat1's call was out: they left together when it came back.
    expect(portal.calls.map((call) => [call.at, call.ids])).toEqual([
      [2, ['chat1']],
      [expect.any(Number), ['chat2', 'chat3']],
    ]);
    expect(portal.calls[1]!.at).toBeGreaterThanOrEqual(52);
    expect(portal.calls[1]!.at).toBeLessThanOrEqual(60);
  });
});

describe('the method-time budget', () => {
  const commandTime = (operating: number, resetInSeconds = 300) => ({
    operating,
    operating_reset_at: Math.round(Date.now() / 1000) + resetInSeconds,
  });

  it('pauses the method after a command refused for method time inside a batch, and never lets the batch’s own block lift it', async () => {
    const { portal, lookup } = harness();
    portal.script.push(() => ({
      result: {
        result: { d1: { id: 2 } },
        result_error: {
          d0: {
            error: 'OPERATION_TIME_LIMIT',
            error_description: 'Method is blocked due to operation time limit.',
          },
        },
        result_time: { d1: commandTime(479) },
      },
      // The batch's own block always says 0: it must not be read as "the budget is free again".
      time: { operating: 0, operating_reset_at: Math.round(Date.now() / 1000) + 600 },
    }));
    const first = settleAll([lookup('chat1'), lookup('chat2')]);
    await jest.advanceTimersByTimeAsync(200);
    const [refused, served] = await first;
    expect(refused).toMatchObject({
      status: 'rejected',
      reason: { code: 'OPERATION_TIME_LIMIT', failure: 'rate-limited' },
    });
    expect(served).toMatchObject({ status: 'fulfilled' });
    // The webhooks' batch budget is paused until the window moves on (300 s): lookups that would go
    // in a batch and cannot wait that long are answered at once, with when to retry.
    const later = settleAll([lookup('chat3'), lookup('chat4')]);
    await jest.advanceTimersByTimeAsync(100);
    for (const answer of await later) {
      expect(answer).toMatchObject({
        status: 'rejected',
        reason: { code: 'OPERATION_TIME_LIMIT' },
      });
      const { retryAt } = (answer as PromiseRejectedResult).reason as Bitrix24Error;
      expect(retryAt).toBeGreaterThanOrEqual(Date.now() + 290_000);
    }
    expect(portal.calls).toHaveLength(1);
    // A single call spends the webhook's own budget (the portal counts it per webhook): it goes.
    const single = settleAll([lookup('chat5')]);
    await jest.advanceTimersByTimeAsync(100);
    expect((await single)[0]).toMatchObject({ status: 'fulfilled' });
    expect(portal.calls[1]).toMatchObject({ method: 'im.dialog.get', ids: ['chat5'] });
  });

  it('spends the budget to its limit and never past it: a call carries what fits, the rest is answered at once', async () => {
    // 10 s per window (0.1 s headroom); every command takes 0.1 s, so 50 cost 5 s.
    const methodTime = new MethodTimeMirror({ budgetSeconds: 10, initialCommandSeconds: 0.1 });
    const { portal, lookup } = harness({ methodTime });
    const answerTaking = (seconds: number) => (ids: readonly string[]) => ({
      result: {
        result: Object.fromEntries(ids.map((_id, index) => [`d${index}`, { id: index + 1 }])),
        result_error: [],
        result_time: Object.fromEntries(
          ids.map((_, index) => [`d${index}`, { processing: seconds, ...commandTime(0) }]),
        ),
      },
    });
    portal.script.push(answerTaking(0.1), answerTaking(0.1));
    const ids = (from: number) => Array.from({ length: 50 }, (_, index) => `chat${from + index}`);
    const first = await settleAll([
      ...ids(1).map((id) => lookup(id)),
      jest.advanceTimersByTimeAsync(200),
    ]);
    expect(first.filter((answer) => answer.status === 'fulfilled')).toHaveLength(51);
    const second = settleAll(ids(101).map((id) => lookup(id)));
    await jest.advanceTimersByTimeAsync(200);
    const answers = await second;
    // 5 s spent: 4.9 s of room is left under 9.9 s, so the call carries 49 ids…
    expect(portal.calls[1]!.ids).toHaveLength(49);
    expect(answers.filter((answer) => answer.status === 'fulfilled')).toHaveLength(49);
    // …and the 50th, which would take the window past the budget, is answered at once.
    const refused = answers.filter((answer) => answer.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ reason: { code: 'OPERATION_TIME_LIMIT', local: true } });
    expect(methodTime.used('webhooks-in-batch:portal.example|im.dialog.get')).toBeCloseTo(9.9, 6);
    expect(portal.calls).toHaveLength(2);
  });
});

describe('the lookup queue', () => {
  it('refuses at once past BITRIX24_MAX_QUEUE lookups waiting', async () => {
    const { scheduler } = harness({ rps: 1, burst: 2, maxWaiting: 3 });
    const answers = settleAll(
      Array.from({ length: 8 }, (_, index) =>
        scheduler.lookup({
          credentials: oauth(`t${index}`),
          dialogId: 'chat1',
          deadline: START + 60_000,
        }),
      ),
    );
    await jest.advanceTimersByTimeAsync(10_000);
    const codes = (await answers).map((answer) =>
      answer.status === 'rejected' ? (answer.reason as Bitrix24Error).code : 'ok',
    );
    expect(codes.filter((code) => code === 'PACING_QUEUE_FULL')).toHaveLength(5);
  });
});

describe('a flood of made-up tokens (issue 21, item 2)', () => {
  const invalidToken = () =>
    new Bitrix24Error({
      failure: 'unauthenticated',
      code: 'invalid_token',
      message: 'The access token provided is invalid',
      status: 401,
    });

  /** The portal of the fake: tokens starting "random-" are refused after costing their slot. */
  function refusingRandomTokens(portal: FakePortal): CallSender {
    return {
      async send(credentials, method, params, attempt) {
        const envelope = await portal.send(credentials, method, params, attempt);
        if (credentials.kind === 'oauth' && credentials.accessToken.startsWith('random-'))
          throw invalidToken();
        return envelope;
      },
    };
  }

  it('answers an accepted caller within 2 s (20 of 20) while 10 new random tokens a second arrive for 20 s', async () => {
    const fake = new FakePortal({ capacity: 10, drainPerSecond: 2 });
    const { scheduler } = harness({
      rps: 2,
      burst: 10,
      fake,
      sender: refusingRandomTokens(fake),
      reputation: new CallerReputation(),
    });
    const ask = (token: string, id: string) =>
      scheduler.lookup({ credentials: oauth(token), dialogId: id, deadline: Date.now() + 25_000 });
    // The real user is known to the portal: one answered call.
    const first = ask('real-user', 'chat1');
    await jest.advanceTimersByTimeAsync(100);
    await first;
    await jest.advanceTimersByTimeAsync(10_000);

    const latencies: number[] = [];
    const realAnswers: Array<Promise<unknown>> = [];
    const floodAnswers: Array<Promise<string>> = [];
    let mostWaiting = 0;
    for (let tick = 0; tick < 200; tick++) {
      floodAnswers.push(
        ask(`random-${tick}`, `chat${tick}`).then(
          () => 'ok',
          (error: Bitrix24Error) => error.code,
        ),
      );
      if (tick % 10 === 0) {
        const sentAt = Date.now();
        realAnswers.push(
          ask('real-user', `chat${1000 + tick}`).then(() => latencies.push(Date.now() - sentAt)),
        );
      }
      await jest.advanceTimersByTimeAsync(100);
      mostWaiting = Math.max(mostWaiting, scheduler.waiting);
    }
    await jest.advanceTimersByTimeAsync(30_000);
    const real = await Promise.allSettled(realAnswers);
    expect(real.filter((answer) => answer.status === 'fulfilled')).toHaveLength(20);
    const sorted = [...latencies].sort((a, b) => a - b);
    expect(sorted[Math.ceil(0.95 * sorted.length) - 1]).toBeLessThanOrEqual(2000);
    // The made-up tokens still get turns (one call each), and their queue stays bounded.
    const codes = await Promise.all(floodAnswers);
    expect(codes.filter((code) => code === 'invalid_token').length).toBeGreaterThan(20);
    expect(codes.every((code) => code !== 'ok')).toBe(true);
    expect(mostWaiting).toBeLessThanOrEqual(101);
  });

  it('answers PACING_NEWCOMERS_FULL at once past the bound of unproven callers waiting, never to an accepted caller', async () => {
    const { scheduler } = harness({
      rps: 1,
      burst: 2,
      reputation: new CallerReputation(),
      maxUnprovenWaiting: 3,
    });
    const ask = (token: string) =>
      scheduler
        .lookup({ credentials: oauth(token), dialogId: 'chat1', deadline: Date.now() + 60_000 })
        .then(
          () => 'ok',
          (error: Bitrix24Error) => error.code,
        );
    const known = ask('known');
    await jest.advanceTimersByTimeAsync(100);
    expect(await known).toBe('ok');
    // The bucket (2) is spent by the first two newcomers' calls; 3 more wait, the rest are refused.
    const newcomers = Array.from({ length: 8 }, (_, index) => ask(`new-${index}`));
    await jest.advanceTimersByTimeAsync(10);
    const again = ask('known');
    await jest.advanceTimersByTimeAsync(20_000);
    const codes = await Promise.all(newcomers);
    expect(codes.filter((code) => code === 'PACING_NEWCOMERS_FULL').length).toBeGreaterThan(0);
    expect(codes.filter((code) => code === 'ok').length).toBeGreaterThanOrEqual(3);
    expect(await again).toBe('ok');
  });

  it('gives unproven callers one call in four while accepted callers wait, and every turn the accepted leave free', async () => {
    const { scheduler, portal } = harness({ rps: 1, burst: 1, reputation: new CallerReputation() });
    const ask = (token: string, id: string) =>
      scheduler.lookup({ credentials: oauth(token), dialogId: id, deadline: Date.now() + 60_000 });
    const accepted = ['a', 'b', 'c', 'd', 'e'];
    const warm = accepted.map((token) => ask(token, 'chat1'));
    await jest.advanceTimersByTimeAsync(10_000);
    await Promise.all(warm);
    portal.calls.length = 0;
    const answers = [
      ...['x', 'y'].map((token) => ask(token, 'chat2')),
      ...accepted.map((token) => ask(token, 'chat2')),
    ];
    await jest.advanceTimersByTimeAsync(20_000);
    await Promise.all(answers);
    expect(portal.calls.map((call) => call.caller)).toEqual(['a', 'b', 'c', 'x', 'd', 'e', 'y']);
  });
});

describe('fairness between the requests of one caller (issue 21, item 6)', () => {
  it('lets a single dialog of one client go in the next call while another client runs ten 200-id loops on the same webhook', async () => {
    const { scheduler, portal } = harness({ rps: 2, burst: 2 });
    const request = (ids: readonly string[]) => {
      const { signal } = new AbortController();
      // As the server does for a request's signal: one listener per lookup.
      setMaxListeners(0, signal);
      return ids.map((dialogId) =>
        scheduler.lookup({
          credentials: webhook(),
          dialogId,
          deadline: Date.now() + 60_000,
          signal,
        }),
      );
    };
    const loops = Array.from({ length: 10 }, (_, loop) =>
      request(Array.from({ length: 200 }, (_, index) => `chat${loop * 1000 + index}`)),
    ).flat();
    await jest.advanceTimersByTimeAsync(5);
    const sentAt = Date.now();
    let answeredAfter = Number.POSITIVE_INFINITY;
    const single = request(['chat999999'])[0]!.then(() => {
      answeredAfter = Date.now() - sentAt;
    });
    await jest.advanceTimersByTimeAsync(30_000);
    await Promise.all([...loops, single]);
    // The bucket's two calls left at once; the next leaves 500 ms later, with the single dialog.
    expect(answeredAfter).toBeLessThanOrEqual(1000);
    expect(portal.calls.every((call) => call.ids.length <= 50)).toBe(true);
    // 2 001 distinct ids in as few calls as ever: fairness costs no extra call.
    expect(portal.calls).toHaveLength(41);
  });
});

describe('a refusal of the deployment’s own webhook (issue 21, item 8)', () => {
  it('is not remembered: the next request asks the portal again (a refused token is, above)', async () => {
    const { portal, lookup } = harness({ reputation: new CallerReputation() });
    portal.script.push(
      new Bitrix24Error({
        failure: 'unauthenticated',
        code: 'NO_AUTH_FOUND',
        message: 'Wrong authorization data',
        status: 401,
      }),
    );
    const refused = settleAll([lookup('chat1')]);
    await jest.advanceTimersByTimeAsync(100);
    expect((await refused)[0]).toMatchObject({
      status: 'rejected',
      reason: { code: 'NO_AUTH_FOUND' },
    });
    const next = lookup('chat2');
    await jest.advanceTimersByTimeAsync(100);
    await expect(next).resolves.toMatchObject({ id: 2 });
    expect(portal.calls).toHaveLength(2);
  });
});
