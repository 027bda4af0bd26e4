import { describe, expect, it } from '@jest/globals';
import type { Credentials } from '../../src/bitrix/credentials.js';
import type { SuccessEnvelope } from '../../src/bitrix/envelope.js';
import { MethodTimeMirror } from '../../src/bitrix/method-time.js';
import { MemoryBucketStore } from '../../src/bitrix/scheduler/bucket-store.js';
import { LeakyBucketMirror } from '../../src/bitrix/scheduler/leaky-bucket-mirror.js';
import type { CallSender } from '../../src/bitrix/scheduler/command-call.js';
import { UpstreamScheduler } from '../../src/bitrix/scheduler/upstream-scheduler.js';

/*
 * Multi-portal mode meets any number of portal names (a wildcard of BITRIX24_PORTALS matches
 * endlessly many): the per-portal state must not grow without end. Real timers, a clock the test
 * moves for the buckets and budgets.
 */
const oauth = (host: string): Credentials => ({
  kind: 'oauth',
  portalUrl: new URL(`https://${host}/`),
  accessToken: 'token-of-a-test-caller',
});
const START = 1_800_000_000_000;
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

function setup(send: CallSender['send']) {
  let now = START;
  const clock = () => now;
  const mirror = new LeakyBucketMirror({
    rps: 2,
    burst: 50,
    store: new MemoryBucketStore(clock),
    now: clock,
  });
  const methodTime = new MethodTimeMirror({ budgetSeconds: 480, now: clock });
  const scheduler = new UpstreamScheduler({
    sender: { send },
    mirror,
    methodTime,
    retry: { retries: 0, baseDelayMs: 10, maxDelayMs: 10 },
    maxWaiting: 100,
    now: clock,
    portalsBeforeSweep: 10,
    batchWindow: { quietMs: 0, maxLingerMs: 0 },
  });
  return {
    scheduler,
    mirror,
    methodTime,
    advance: (ms: number) => {
      now += ms;
    },
    lookup: (host: string) =>
      scheduler.lookupDialog({
        credentials: oauth(host),
        dialogId: 'chat1',
        deadline: now + 60_000,
      }),
  };
}

const answer = async (): Promise<SuccessEnvelope> => ({ result: { id: 1, name: 'A chat' } });

describe('UpstreamScheduler with many portals', () => {
  it('forgets idle portals once there are many, and keeps a busy one and one adapting to another app', async () => {
    let release: (() => void) | undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { scheduler, mirror, advance, lookup } = setup(async (credentials) => {
      if (credentials.kind === 'oauth' && credentials.portalUrl.hostname === 'busy.example')
        await held;
      return answer();
    });
    const busy = lookup('busy.example');
    // `shared` was refused a moment ago (its bucket full): once it has drained, one call goes.
    await mirror.refused('shared.example', START);
    advance(30_000);
    await expect(lookup('shared.example')).resolves.toEqual({ id: 1, name: 'A chat' });
    for (let index = 0; index < 40; index++) {
      await expect(lookup(`customer-${index}.example`)).resolves.toEqual({ id: 1, name: 'A chat' });
      await tick();
      advance(500);
    }
    expect(scheduler.portalCount).toBeLessThanOrEqual(12);
    expect(scheduler.knows('busy.example')).toBe(true);
    expect(scheduler.knows('customer-0.example')).toBe(false);
    // A refusal under a minute ago: the mirror is still learning about another app on that portal.
    expect(scheduler.knows('shared.example')).toBe(true);
    expect(scheduler.knows('customer-39.example')).toBe(true);
    release!();
    await expect(busy).resolves.toEqual({ id: 1, name: 'A chat' });
  });

  it('keeps a portal whose bucket has not drained yet, and forgets it once it has', async () => {
    const { scheduler, advance, lookup } = setup(answer);
    await lookup('recent.example');
    await tick();
    for (let index = 0; index < 9; index++) await lookup(`other-${index}.example`);
    await tick();
    // The tenth portal triggers a sweep: `recent` spent a slot 0 ms ago, its bucket holds it.
    expect(scheduler.knows('recent.example')).toBe(true);
    advance(60_000);
    for (let index = 9; index < 30; index++) {
      await lookup(`other-${index}.example`);
      await tick();
      advance(1000);
    }
    expect(scheduler.knows('recent.example')).toBe(false);
  });
});
