import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import got from 'got';
import { DEMO_TOKENS } from '../../src/emulator/fixtures.js';
import type { FaultKind } from '../../src/emulator/faults.js';
import { DialogByIdDocument, DialogTitlesDocument } from '../generated/graphql.js';
import { startStack, withCallerTokens, withStack, type Stack } from '../helpers/stack.js';

type Outcome = { __typename?: string; title?: string } | null;
const titleOf = (response: { body: { data?: { dialog?: Outcome } | null } }) =>
  response.body.data?.dialog?.title;
const elapsed = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
  const started = Date.now();
  const result = await run();
  return [result, Date.now() - started];
};

describe('retries', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ timeoutMs: 300 });
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    stack.emulator.faults.clear();
    stack.resetCalls();
  });

  it.each<[FaultKind, number]>([
    ['query-limit', 2],
    ['internal-error', 3],
    ['html-502', 2],
    ['html-504', 1],
    ['non-json-200', 1],
    ['empty-200', 1],
    ['truncated-json', 1],
    ['reset', 2],
    ['hang', 1],
  ])('answers right after %s ×%i, by retrying', async (fault, times) => {
    stack.emulator.faults.inject(fault, times);
    const response = await stack.query(DialogByIdDocument, { id: 'chat21191' });
    expect(response.body.errors).toBeUndefined();
    expect(titleOf(response)).toBe('Mint Chat #3');
    expect(stack.upstreamCalls()).toBe(times + 1);
    expect(
      stack.logs.entries().filter((entry) => entry.msg === 'retrying a bitrix24 call').length,
    ).toBeGreaterThanOrEqual(times);
  });

  it('retries a failed batch as a whole and keeps every id’s own answer', async () => {
    stack.emulator.faults.inject('internal-error', 1);
    const { body } = await stack.query(DialogTitlesDocument, {
      ids: ['chat21191', 'chat666', 'chat1'],
    });
    expect(body.data?.dialogs?.map((d) => d?.__typename)).toEqual([
      'Dialog',
      'AccessError',
      'Dialog',
    ]);
    expect(stack.upstreamCalls()).toBe(2);
  });

  it.each<[string, FaultKind | undefined, string, string | undefined]>([
    ['ACCESS_ERROR', undefined, 'chat666', undefined],
    ['OVERLOAD_LIMIT', 'overload', 'chat1', 'UPSTREAM_UNAVAILABLE'],
    ['ERROR_METHOD_NOT_FOUND', 'method-not-found', 'chat1', 'INTERNAL_SERVER_ERROR'],
  ])('never retries %s', async (_what, fault, id, code) => {
    if (fault) stack.emulator.faults.inject(fault, 5);
    const { body } = await stack.query(DialogByIdDocument, { id });
    if (code) expect(body.errors?.[0]?.extensions?.code).toBe(code);
    else expect(body.data?.dialog?.__typename).toBe('AccessError');
    expect(stack.upstreamCalls()).toBe(1);
  });

  it('gives up after the bounded retries: 1 attempt + 3 retries', async () => {
    stack.emulator.faults.inject('internal-error', 50);
    const { body } = await stack.query(DialogByIdDocument, { id: 'chat1' });
    expect(body.errors?.[0]?.extensions).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      upstreamCode: 'INTERNAL_SERVER_ERROR',
    });
    expect(stack.upstreamCalls()).toBe(4);
  });

  it('goes again after every QUERY_LIMIT_EXCEEDED, not a fixed number of times: a refusal costs the portal nothing', async () => {
    stack.emulator.faults.inject('query-limit', 12);
    const response = await stack.query(DialogByIdDocument, { id: 'chat1' });
    expect(titleOf(response)).toBe('General chat');
    expect(stack.upstreamCalls()).toBe(13);
  });
});

describe('retries with OAuth tokens', () => {
  it('never retries an auth refusal', async () => {
    await withStack({ mode: 'oauth' }, async (stack) => {
      const { body } = await stack.query(
        DialogByIdDocument,
        { id: 'chat1' },
        { authorization: `Bearer ${DEMO_TOKENS.expired}` },
      );
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(stack.upstreamCalls()).toBe(1);
    });
  });
});

describe('bounded waits', () => {
  it('answers a hung portal with UPSTREAM_TIMEOUT within the per-request deadline, siblings intact', async () => {
    await withStack({ timeoutMs: 5000, deadlineMs: 800 }, async (stack) => {
      stack.emulator.faults.inject('hang', 10);
      const [{ body }, ms] = await elapsed(() =>
        stack.query<{ __typename: string; dialog: unknown }>(
          '{ __typename dialog(id: "chat1") { __typename } }',
        ),
      );
      expect(body.data).toEqual({ __typename: 'Query', dialog: null });
      expect(body.errors?.[0]?.extensions).toEqual({
        code: 'UPSTREAM_TIMEOUT',
        upstreamCode: 'DEADLINE_EXCEEDED',
      });
      expect(ms).toBeGreaterThanOrEqual(700);
      expect(ms).toBeLessThan(2500);
      expect(stack.upstreamCalls()).toBe(1);
    });
  });

  it('bounds each attempt by BITRIX24_TIMEOUT_MS and the whole by the retries', async () => {
    await withStack({ timeoutMs: 200, deadlineMs: 20_000 }, async (stack) => {
      stack.emulator.faults.inject('hang', 10);
      const [{ body }, ms] = await elapsed(() => stack.query(DialogByIdDocument, { id: 'chat1' }));
      expect(body.errors?.[0]?.extensions).toEqual({
        code: 'UPSTREAM_TIMEOUT',
        upstreamCode: 'ETIMEDOUT',
      });
      expect(stack.upstreamCalls()).toBe(4);
      expect(ms).toBeLessThan(3000);
    });
  });

  it('stays live while the portal hangs', async () => {
    await withStack({ timeoutMs: 5000, deadlineMs: 600 }, async (stack) => {
      stack.emulator.faults.inject('hang', 20);
      const hung = Array.from({ length: 10 }, () =>
        stack.query(DialogByIdDocument, { id: 'chat1' }),
      );
      expect((await got(`${stack.url}/health`)).statusCode).toBe(200);
      const answers = await Promise.all(hung);
      expect(
        answers.every((answer) => answer.body.errors?.[0]?.extensions?.code === 'UPSTREAM_TIMEOUT'),
      ).toBe(true);
    });
  });
});

describe('pacing to the portal’s leaky bucket', () => {
  const limitedPortal = (fixtures: ReturnType<typeof withCallerTokens>['fixtures']) => ({
    fixtures,
    rateLimit: { capacity: 10, drainPerSecond: 20 },
  });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('answers 40 callers (one call each) against a portal of burst 10 at 20/s with no refusal at the portal', async () => {
    const { fixtures, tokens } = withCallerTokens(40);
    await withStack(
      { mode: 'oauth', emulator: limitedPortal(fixtures), rps: 20, burst: 10, deadlineMs: 20_000 },
      async (stack) => {
        const ids = tokens.map((_, index) => `chat${10001 + index}`);
        const answers = await Promise.all(
          ids.map((id, index) => stack.query(DialogByIdDocument, { id }, bearer(tokens[index]!))),
        );
        expect(answers.map((answer) => answer.body.errors)).toEqual(Array(40).fill(undefined));
        expect(answers.map(titleOf)).toEqual(ids.map((_, index) => `Project room #${index + 1}`));
        expect(stack.emulator.stats.queryLimitRefusals).toBe(0);
        expect(stack.upstreamCalls()).toBe(40);
      },
    );
  }, 30_000);

  it('(control) without pacing the same portal refuses: the test above can fail', async () => {
    const { fixtures, tokens } = withCallerTokens(40);
    await withStack(
      {
        mode: 'oauth',
        emulator: limitedPortal(fixtures),
        rps: 1000,
        burst: 2000,
        deadlineMs: 20_000,
      },
      async (stack) => {
        const ids = tokens.map((_, index) => `chat${10001 + index}`);
        const answers = await Promise.all(
          ids.map((id, index) => stack.query(DialogByIdDocument, { id }, bearer(tokens[index]!))),
        );
        expect(stack.emulator.stats.queryLimitRefusals).toBeGreaterThan(0);
        // Refusals are retried until each request's deadline: every caller is still answered.
        expect(answers.map(titleOf)).toEqual(ids.map((_, index) => `Project room #${index + 1}`));
      },
    );
  }, 30_000);

  it('answers UPSTREAM_RATE_LIMITED at once when the lookup queue is full', async () => {
    const { fixtures, tokens } = withCallerTokens(14);
    await withStack(
      {
        mode: 'oauth',
        // The portal's bucket is the mirror's: the lookups that wait must not overrun it.
        emulator: { fixtures, rateLimit: { capacity: 2, drainPerSecond: 1 } },
        rps: 1,
        burst: 2,
        maxQueue: 3,
        deadlineMs: 30_000,
      },
      async (stack) => {
        // Two calls spend the mirror's bucket of 2, so the next lookups wait (3 may) or are refused.
        await stack.query(DialogByIdDocument, { id: 'chat1' }, bearer(tokens[12]!));
        await stack.query(DialogByIdDocument, { id: 'chat2' }, bearer(tokens[13]!));
        const ids = Array.from({ length: 12 }, (_, index) => `chat${10001 + index}`);
        const [answers, ms] = await elapsed(() =>
          Promise.all(
            ids.map((id, index) =>
              stack
                .query(DialogByIdDocument, { id }, bearer(tokens[index]!))
                .then((answer) => ({ answer, at: Date.now() })),
            ),
          ),
        );
        const refused = answers.filter(
          ({ answer }) => answer.body.errors?.[0]?.extensions?.upstreamCode === 'PACING_QUEUE_FULL',
        );
        expect(refused.length).toBeGreaterThanOrEqual(9);
        expect(
          refused.every(
            ({ answer }) => answer.body.errors?.[0]?.extensions?.code === 'UPSTREAM_RATE_LIMITED',
          ),
        ).toBe(true);
        // Refusals come at once, not after waiting.
        const start = Date.now() - ms;
        expect(Math.max(...refused.map(({ at }) => at - start))).toBeLessThan(800);
        expect(stack.emulator.stats.queryLimitRefusals).toBe(0);
      },
    );
  }, 30_000);

  it('refuses at once a lookup the budget could not serve before the request’s deadline', async () => {
    const { fixtures, tokens } = withCallerTokens(8);
    await withStack(
      { mode: 'oauth', emulator: { fixtures }, rps: 1, burst: 2, deadlineMs: 1500 },
      async (stack) => {
        const ids = Array.from({ length: 8 }, (_, index) => `chat${10001 + index}`);
        const answers = await Promise.all(
          ids.map((id, index) =>
            elapsed(() => stack.query(DialogByIdDocument, { id }, bearer(tokens[index]!))),
          ),
        );
        const codes = answers.map(
          ([answer]) => answer.body.errors?.[0]?.extensions?.upstreamCode ?? 'ok',
        );
        expect(codes.filter((code) => code === 'ok').length).toBeGreaterThanOrEqual(1);
        const shed = answers.filter(
          ([answer]) => answer.body.errors?.[0]?.extensions?.upstreamCode === 'PACING_DEADLINE',
        );
        expect(shed.length).toBeGreaterThanOrEqual(5);
        // At once: well before the deadline, not when it passes.
        expect(Math.max(...shed.map(([, ms]) => ms))).toBeLessThan(1000);
      },
    );
  });
});

describe('the method-time budget (time.operating)', () => {
  it('stops before the budget is spent: no call, no OPERATION_TIME_LIMIT at the portal, and says when to retry', async () => {
    // Runs of 0.2 s (a portal records only runs over 0.1 s), against a budget of 1 s: four fit
    // under it (less its 1 % headroom), a fifth would take the window past it.
    const budget = { budgetSeconds: 1, costSeconds: 0.2 };
    await withStack(
      { emulator: { methodTime: budget }, methodTimeBudgetSeconds: 1, deadlineMs: 2000 },
      async (stack) => {
        for (let i = 0; i < 4; i++)
          expect(titleOf(await stack.query(DialogByIdDocument, { id: 'chat21191' }))).toBe(
            'Mint Chat #3',
          );
        stack.resetCalls();
        const [{ body }, ms] = await elapsed(() =>
          stack.query(DialogByIdDocument, { id: 'chat21191' }),
        );
        expect(body.errors?.[0]?.extensions).toEqual({
          code: 'UPSTREAM_RATE_LIMITED',
          upstreamCode: 'OPERATION_TIME_LIMIT',
          // The oldest minute drops out of the portal's ten about 10 minutes after the first run.
          retryAfter: expect.any(Number),
        });
        const { retryAfter } = body.errors![0]!.extensions as { retryAfter: number };
        expect(retryAfter).toBeGreaterThan(500);
        expect(retryAfter).toBeLessThanOrEqual(662);
        expect(stack.upstreamCalls()).toBe(0);
        expect(ms).toBeLessThan(1000);
        expect(stack.emulator.stats.operationLimitRefusals).toBe(0);
      },
    );
  });

  it('reads method time inside batch: a command refused for it pauses the method, and the batch’s own block never lifts the pause', async () => {
    // Runs of 0.3 s against a budget of 1 s: in a batch of 5, the 5th command finds the budget spent.
    const budget = { budgetSeconds: 1, costSeconds: 0.3 };
    await withStack(
      { emulator: { methodTime: budget }, methodTimeBudgetSeconds: 1, deadlineMs: 2000 },
      async (stack) => {
        const ids = ['chat10001', 'chat10002', 'chat10003', 'chat10004', 'chat10005'];
        const { body } = await stack.query(DialogTitlesDocument, { ids });
        // The batch answered 200: four dialogs, and the fifth refused by the portal for method time.
        expect(stack.upstreamCalls()).toBe(1);
        expect(stack.emulator.requests.at(-1)).toMatchObject({ method: 'batch', status: 200 });
        expect(body.data?.dialogs?.slice(0, 4).map((dialog) => dialog?.__typename)).toEqual([
          'Dialog',
          'Dialog',
          'Dialog',
          'Dialog',
        ]);
        expect(body.data?.dialogs?.[4]).toBeNull();
        expect(body.errors?.map((error) => [error.path, error.extensions])).toEqual([
          [
            ['dialogs', 4],
            {
              code: 'UPSTREAM_RATE_LIMITED',
              upstreamCode: 'OPERATION_TIME_LIMIT',
              // The portal refused it: when the budget has room again, by its reset.
              retryAfter: expect.any(Number),
            },
          ],
        ]);
        expect(stack.emulator.stats.operationLimitRefusals).toBe(1);
        // The batch's own time block said operating: 0; still no call leaves until the window moves on.
        stack.resetCalls();
        const [next, ms] = await elapsed(() =>
          stack.query(DialogTitlesDocument, { ids: ['chat10006', 'chat10007'] }),
        );
        expect(next.body.errors?.map((error) => error.extensions?.upstreamCode)).toEqual([
          'OPERATION_TIME_LIMIT',
          'OPERATION_TIME_LIMIT',
        ]);
        expect(stack.upstreamCalls()).toBe(0);
        expect(ms).toBeLessThan(1000);
      },
    );
  });

  it('maps OPERATION_TIME_LIMIT to UPSTREAM_RATE_LIMITED, never retries it, and pauses the portal after it', async () => {
    await withStack({ deadlineMs: 2000 }, async (stack) => {
      stack.emulator.faults.inject('operation-limit', 1);
      const first = await stack.query(DialogByIdDocument, { id: 'chat1' });
      expect(first.body.errors?.[0]?.extensions).toEqual({
        code: 'UPSTREAM_RATE_LIMITED',
        upstreamCode: 'OPERATION_TIME_LIMIT',
        // At least the 10 s pause after a refusal.
        retryAfter: expect.any(Number),
      });
      expect(first.body.errors?.[0]?.extensions?.retryAfter).toBeGreaterThanOrEqual(9);
      expect(stack.upstreamCalls()).toBe(1);
      const second = await stack.query(DialogByIdDocument, { id: 'chat1' });
      expect(second.body.errors?.[0]?.extensions).toEqual({
        code: 'UPSTREAM_RATE_LIMITED',
        upstreamCode: 'OPERATION_TIME_LIMIT',
        retryAfter: expect.any(Number),
      });
      expect(stack.upstreamCalls()).toBe(1);
    });
  });
});

describe('/readiness and /health', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ healthFreshForMs: 150, timeoutMs: 300 });
  });
  afterAll(() => stack.close());
  afterEach(() => stack.emulator.faults.clear());

  const status = async (path: string) =>
    (await got(`${stack.url}${path}`, { throwHttpErrors: false, retry: { limit: 0 } })).statusCode;

  it('is ready while the portal answers, not ready while it fails, live throughout', async () => {
    expect(await status('/readiness')).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    stack.emulator.faults.inject('internal-error', 1000);
    expect(await status('/readiness')).toBe(503);
    expect(await status('/health')).toBe(200);
    stack.emulator.faults.clear();
    stack.emulator.faults.inject('hang', 5);
    expect(await status('/readiness')).toBe(503);
    expect(await status('/health')).toBe(200);
    stack.emulator.faults.clear();
    expect(await status('/readiness')).toBe(200);
  });

  it('counts an auth refusal as "the portal answers"', async () => {
    await new Promise((resolve) => setTimeout(resolve, 200));
    await withStack({ mode: 'oauth', healthFreshForMs: 150 }, async (oauth) => {
      expect((await got(`${oauth.url}/readiness`, { throwHttpErrors: false })).statusCode).toBe(
        200,
      );
      expect(oauth.emulator.requests.at(-1)).toMatchObject({
        method: 'server.time',
        error: 'NO_AUTH_FOUND',
      });
    });
  });
});
