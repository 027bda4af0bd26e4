import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { HTTPS_ONLY_WEBHOOK_SECRET, SAMPLE_USER_ID } from '../../src/emulator/fixtures.js';
import { loadConfig } from '../../src/config.js';
import {
  startInProcessStack,
  withCallerTokens,
  withInProcessStack,
  type Stack,
} from '../helpers/stack.js';

/*
 * Portal rules read in the portal's own code (issue 23, docs/bitrix24-api.md): one chat the portal
 * cannot encode, errors it hides inside a batch or behind a 401.
 */

interface Item {
  __typename: string;
  id?: string;
  code?: string;
  dialogId?: string;
  message?: string;
}
const PAGE_QUERY = `query ($ids: [ID!]!) { dialogs(ids: $ids) {
  __typename
  ... on Dialog { id }
  ... on Error { code message }
  ... on UnreadableDialogError { dialogId }
} }`;

/** A page of 50: 49 readable bulk chats and chat 53 (its stored text is not valid UTF-8) at `at`. */
const pageWithBadChat = (at: number, from = 10001) => {
  const ids = Array.from({ length: 49 }, (_, index) => `chat${from + index}`);
  ids.splice(at, 0, 'chat53');
  return ids;
};

describe('one chat the portal cannot encode (WRONG_ENCODING) costs only itself', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startInProcessStack();
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.resetCalls());

  it('answers the other 49 of a 50-dialog page and the bad one typed, in at most 14 calls', async () => {
    const ids = pageWithBadChat(17);
    const { body } = await stack.query<{ dialogs: Item[] }>(PAGE_QUERY, { ids });
    expect(body.errors).toBeUndefined();
    const items = body.data!.dialogs;
    expect(items.filter((item) => item.__typename === 'Dialog')).toHaveLength(49);
    expect(items[17]).toEqual({
      __typename: 'UnreadableDialogError',
      code: 'WRONG_ENCODING',
      dialogId: 'chat53',
      message: expect.stringContaining('UTF-8'),
    });
    expect(stack.upstreamCalls()).toBeGreaterThan(1);
    expect(stack.upstreamCalls()).toBeLessThanOrEqual(14);
    // The portal answered the first call WRONG_ENCODING, whole, with HTTP 200.
    expect(stack.emulator.requests[0]).toMatchObject({
      method: 'batch',
      status: 200,
      error: 'WRONG_ENCODING',
    });
  });

  it('remembers the chat: the next page holding it costs one call, the chat none', async () => {
    const ids = pageWithBadChat(3, 10101);
    const { body } = await stack.query<{ dialogs: Item[] }>(PAGE_QUERY, { ids });
    expect(body.data!.dialogs[3]).toMatchObject({ __typename: 'UnreadableDialogError' });
    expect(body.data!.dialogs.filter((item) => item.__typename === 'Dialog')).toHaveLength(49);
    expect(stack.upstreamCalls()).toBe(1);
    const asked = stack.emulator.requests.at(-1)?.commands?.map((command) => command.params);
    expect(asked).toHaveLength(49);
    expect(asked).not.toContainEqual({ DIALOG_ID: 'chat53' });
  });

  it('answers the chat alone typed too (a single call)', async () => {
    await withInProcessStack({}, async (fresh) => {
      const { body } = await fresh.query<{ dialogs: Item[] }>(PAGE_QUERY, { ids: ['chat53'] });
      expect(body.data!.dialogs[0]).toMatchObject({
        __typename: 'UnreadableDialogError',
        code: 'WRONG_ENCODING',
      });
      expect(fresh.upstreamCalls()).toBe(1);
    });
  });
});

describe('errors the portal hides: classified, never masked as internal', () => {
  it('ERROR_CORE inside a batch (no HTTP status): UPSTREAM_UNAVAILABLE for that dialog, the rest answered', async () => {
    await withInProcessStack(
      { retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 1 } },
      async (stack) => {
        const { body } = await stack.query<{ dialogs: Array<Item | null> }>(PAGE_QUERY, {
          ids: ['chat10001', 'chat54', 'chat10002'],
        });
        expect(body.data!.dialogs.map((item) => item?.__typename ?? null)).toEqual([
          'Dialog',
          null,
          'Dialog',
        ]);
        expect(body.errors?.map((error) => [error.path, error.extensions])).toEqual([
          [['dialogs', 1], { code: 'UPSTREAM_UNAVAILABLE', upstreamCode: 'ERROR_CORE' }],
        ]);
        expect(stack.emulator.requests[0]?.commands).toHaveLength(3);
      },
    );
  });

  it('INVALID_REQUEST "Https required." (401): UNAUTHENTICATED with the fix in words, no retry', async () => {
    await withInProcessStack(
      {
        webhookUrl: (emulator) => emulator.webhookUrl(SAMPLE_USER_ID, HTTPS_ONLY_WEBHOOK_SECRET),
      },
      async (stack) => {
        const { body } = await stack.query<{ dialogs: Item[] }>(PAGE_QUERY, { ids: ['chat1'] });
        expect(body.errors?.[0]?.extensions).toEqual({
          code: 'UNAUTHENTICATED',
          upstreamCode: 'INVALID_REQUEST',
        });
        expect(body.errors?.[0]?.message).toContain('https://');
        expect(stack.emulator.requests).toHaveLength(1);
        expect(stack.emulator.requests[0]).toMatchObject({ status: 401, error: 'INVALID_REQUEST' });
      },
    );
  });
});

describe('statuses as the portal sends them', () => {
  it('OVERLOAD_LIMIT comes with HTTP 401 (the auth layer raises it): still UPSTREAM_UNAVAILABLE, not a credentials problem', async () => {
    await withInProcessStack({}, async (stack) => {
      stack.emulator.faults.inject('overload', 1);
      const first = await stack.query<{ dialogs: Item[] }>(PAGE_QUERY, { ids: ['chat1'] });
      expect(stack.emulator.requests[0]).toMatchObject({ status: 401 });
      expect(first.body.errors?.[0]?.extensions).toEqual({
        code: 'UPSTREAM_UNAVAILABLE',
        upstreamCode: 'OVERLOAD_LIMIT',
      });
      // Not remembered as a refused caller: the next request is asked of the portal again.
      const second = await stack.query<{ dialogs: Item[] }>(PAGE_QUERY, { ids: ['chat1'] });
      expect(second.body.data?.dialogs[0]).toMatchObject({ __typename: 'Dialog' });
      expect(stack.emulator.requests).toHaveLength(2);
    });
  });
});

describe('an on-premise portal (no request-rate limit, method time off unless set)', () => {
  it('is called unpaced: 80 callers, 80 calls at once, none held for a bucket', async () => {
    const { fixtures, tokens } = withCallerTokens(80);
    const onPremise = loadConfig({ BITRIX24_PORTAL_KIND: 'on-premise' });
    await withInProcessStack(
      {
        mode: 'oauth',
        emulator: { fixtures, methodTime: { budgetSeconds: 1, costSeconds: 0.3 } },
        rps: onPremise.rps,
        burst: 5,
        methodTimeBudgetSeconds: onPremise.methodTimeBudgetSeconds,
      },
      async (stack) => {
        const started = Date.now();
        const answers = await Promise.all(
          tokens.map((token) =>
            stack.query<{ dialogs: Item[] }>(
              PAGE_QUERY,
              { ids: ['chat1'] },
              {
                authorization: `Bearer ${token}`,
              },
            ),
          ),
        );
        // Paced at 2 per second from a bucket of 5, the last would leave after 37 s (past the
        // 25 s deadline); unpaced, all leave at once (seconds here only because the CPUs are shared).
        expect(Date.now() - started).toBeLessThan(20_000);
        expect(stack.upstreamCalls()).toBe(80);
        // Our method-time guard is off: the portal's own answer decides (it refused past 1 s).
        const refusals = answers.filter(
          (answer) => answer.body.errors?.[0]?.extensions?.upstreamCode === 'OPERATION_TIME_LIMIT',
        );
        expect(stack.emulator.stats.operationLimitRefusals).toBe(refusals.length);
        expect(refusals.length).toBeGreaterThan(0);
      },
    );
  });
});
