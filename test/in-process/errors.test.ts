import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  DEMO_TOKENS,
  DEMO_WEBHOOK_SECRET,
  REVOKED_WEBHOOK_SECRET,
} from '../../src/emulator/fixtures.js';
import type { FaultKind } from '../../src/emulator/faults.js';
import { DialogByIdDocument, DialogTitlesDocument } from '../generated/graphql.js';
import { startInProcessStack, withInProcessStack, type Stack } from '../helpers/stack.js';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('OAuth pass-through: the caller’s token decides', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startInProcessStack({ mode: 'oauth' });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.resetCalls());

  it('forwards the bearer token as `auth` and answers with that user’s rights', async () => {
    const anna = await stack.query(
      DialogByIdDocument,
      { id: 'chat10001' },
      bearer(DEMO_TOKENS.anna),
    );
    expect(anna.body.data?.dialog).toMatchObject({
      __typename: 'Dialog',
      title: 'Project room #1',
      role: 'OWNER',
    });
    expect(stack.emulator.requests.at(-1)).toMatchObject({ transport: 'oauth', userId: 1 });
    const boris = await stack.query(
      DialogByIdDocument,
      { id: 'chat10001' },
      bearer(DEMO_TOKENS.boris),
    );
    expect(boris.body.data?.dialog).toMatchObject({
      __typename: 'AccessError',
      dialogId: 'chat10001',
    });
    expect(stack.emulator.requests.at(-1)).toMatchObject({ transport: 'oauth', userId: 2 });
  });

  it('answers UNAUTHENTICATED without calling the portal when there is no bearer token', async () => {
    const { body } = await stack.query<{ __typename: string; dialog: unknown }>(
      '{ __typename dialog(id: "chat1") { __typename } }',
    );
    expect(body.data).toEqual({ __typename: 'Query', dialog: null });
    expect(body.errors).toEqual([
      expect.objectContaining({ path: ['dialog'], extensions: { code: 'UNAUTHENTICATED' } }),
    ]);
    expect(stack.upstreamCalls()).toBe(0);
  });

  it.each([
    ['Basic YWxhZGRpbjpvcGVuc2VzYW1l'],
    ['Bearer '],
    ['Bearer a b'],
    [`Bearer ${'x'.repeat(5000)}`],
  ])(
    'answers UNAUTHENTICATED without calling the portal for the header %#',
    async (authorization) => {
      const { body } = await stack.query(DialogByIdDocument, { id: 'chat1' }, { authorization });
      expect(body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
      expect(stack.upstreamCalls()).toBe(0);
    },
  );

  it.each([
    [DEMO_TOKENS.expired, 'UNAUTHENTICATED', 'expired_token'],
    ['not-a-known-token', 'UNAUTHENTICATED', 'invalid_token'],
    [DEMO_TOKENS.noScope, 'FORBIDDEN', 'insufficient_scope'],
  ])('maps the portal’s refusal of token %s to %s', async (token, code, upstreamCode) => {
    const { body } = await stack.query<{ __typename: string; dialog: unknown }>(
      '{ __typename dialog(id: "chat1") { __typename } }',
      undefined,
      bearer(token),
    );
    expect(body.data).toEqual({ __typename: 'Query', dialog: null });
    expect(body.errors).toEqual([
      expect.objectContaining({ path: ['dialog'], extensions: { code, upstreamCode } }),
    ]);
    expect(stack.upstreamCalls()).toBe(1);
  });
});

describe('webhook credentials the portal refuses', () => {
  it.each([
    ['a wrong secret', 1, 'wrong-secret'],
    ['an unknown user', 999, DEMO_WEBHOOK_SECRET],
    ['a revoked webhook', 1, REVOKED_WEBHOOK_SECRET],
  ])(
    'maps %s (INVALID_CREDENTIALS, 401) to UNAUTHENTICATED, telling to check the webhook URL',
    async (_what, userId, secret) => {
      await withInProcessStack(
        { webhookUrl: (emulator) => emulator.webhookUrl(userId, secret) },
        async (stack) => {
          const { body } = await stack.query(DialogTitlesDocument, { ids: ['chat1', 'chat21191'] });
          expect(body.data?.dialogs).toEqual([null, null]);
          for (const error of body.errors ?? []) {
            expect(error.extensions).toEqual({
              code: 'UNAUTHENTICATED',
              upstreamCode: 'INVALID_CREDENTIALS',
            });
            expect(error.message).toContain('check the webhook URL');
          }
          expect(body.errors).toHaveLength(2);
        },
      );
    },
  );

  it('maps a webhook without the im scope to FORBIDDEN', async () => {
    await withInProcessStack(
      { webhookUrl: (emulator) => emulator.webhookUrl(1, 'demo0webhook0no0im') },
      async (stack) => {
        const { body } = await stack.query(DialogTitlesDocument, { ids: ['chat1', 'chat21191'] });
        expect(body.data?.dialogs).toEqual([null, null]);
        expect(body.errors?.map((error) => [error.path, error.extensions])).toEqual([
          [['dialogs', 0], { code: 'FORBIDDEN', upstreamCode: 'insufficient_scope' }],
          [['dialogs', 1], { code: 'FORBIDDEN', upstreamCode: 'insufficient_scope' }],
        ]);
      },
    );
  });
});

describe('upstream trouble', () => {
  // A server of its own per test: what one test's portal did (QUERY_LIMIT_EXCEEDED teaches the
  // scheduler to pace that portal slower) does not slow or change the next test.
  let stack: Stack;
  beforeEach(async () => {
    // A paced portal (20 calls/s), so that refusals retried until the deadline stay few. The deadline
    // leaves a second beyond a hung portal's 4 attempts of 300 ms and their backoff (at most 1.5 s),
    // so that `hang` is answered by the attempts' timeout (ETIMEDOUT), not by the deadline.
    stack = await startInProcessStack({ timeoutMs: 300, deadlineMs: 2500, rps: 20, burst: 40 });
    stack.resetCalls();
  });
  afterEach(() => stack.close());

  const cases: Array<[FaultKind, string, string]> = [
    // Refusals are retried until the deadline (2.5 s here), then answered with the refusal.
    ['query-limit', 'UPSTREAM_RATE_LIMITED', 'QUERY_LIMIT_EXCEEDED'],
    ['overload', 'UPSTREAM_UNAVAILABLE', 'OVERLOAD_LIMIT'],
    ['internal-error', 'UPSTREAM_UNAVAILABLE', 'INTERNAL_SERVER_ERROR'],
    ['html-502', 'UPSTREAM_UNAVAILABLE', 'NON_JSON_ANSWER'],
    ['html-504', 'UPSTREAM_TIMEOUT', 'NON_JSON_ANSWER'],
    ['non-json-200', 'UPSTREAM_UNAVAILABLE', 'NON_JSON_ANSWER'],
    ['empty-200', 'UPSTREAM_UNAVAILABLE', 'NON_JSON_ANSWER'],
    ['truncated-json', 'UPSTREAM_UNAVAILABLE', 'NON_JSON_ANSWER'],
    ['reset', 'UPSTREAM_UNAVAILABLE', 'ECONNRESET'],
    ['hang', 'UPSTREAM_TIMEOUT', 'ETIMEDOUT'],
    // Nothing REST-like at the portal URL: answered at once, not masked as an internal error.
    ['redirect-302', 'UPSTREAM_UNAVAILABLE', 'HTTP_302'],
    ['html-404', 'UPSTREAM_UNAVAILABLE', 'HTTP_404'],
  ];

  it.each(cases)(
    'answers %s with %s while sibling fields still resolve',
    async (fault, code, upstreamCode) => {
      // Enough faults to outlast any retries: the error must reach the client.
      stack.emulator.faults.inject(fault, 200);
      const started = Date.now();
      const { status, body } = await stack.query<{ __typename: string; dialog: unknown }>(
        '{ __typename dialog(id: "chat21191") { __typename } }',
      );
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(status).toBe(200);
      expect(body.data).toEqual({ __typename: 'Query', dialog: null });
      expect(body.errors).toEqual([
        expect.objectContaining({ path: ['dialog'], extensions: { code, upstreamCode } }),
      ]);
      stack.emulator.faults.clear();
      // The process is still healthy and the next request works.
      expect((await stack.fetch('/health')).status).toBe(200);
      const next = await stack.query(DialogByIdDocument, { id: 'chat21191' });
      expect(next.body.data?.dialog).toMatchObject({ title: 'Mint Chat #3' });
    },
  );

  it.each([
    ['redirect-302', 'HTTP_302'],
    ['html-404', 'HTTP_404'],
  ] as const)(
    'answers %s once, without retrying, telling to check the portal URL',
    async (fault, upstreamCode) => {
      stack.emulator.faults.inject(fault, 20);
      const { body } = await stack.query(DialogByIdDocument, { id: 'chat21191' });
      expect(body.errors).toEqual([
        expect.objectContaining({
          extensions: { code: 'UPSTREAM_UNAVAILABLE', upstreamCode },
          message: expect.stringContaining('check the portal address'),
        }),
      ]);
      expect(stack.upstreamCalls()).toBe(1);
    },
  );

  it('gives every id of a failed batch its own error at its own path', async () => {
    stack.emulator.faults.inject('internal-error', 20);
    const { body } = await stack.query(DialogTitlesDocument, { ids: ['chat1', 'chat21191', ''] });
    expect(body.data?.dialogs).toEqual([
      null,
      null,
      {
        __typename: 'DialogIdEmptyError',
        code: 'DIALOG_ID_EMPTY',
        message: "Dialog ID can't be empty",
      },
    ]);
    expect(body.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([
      [['dialogs', 0], 'UPSTREAM_UNAVAILABLE'],
      [['dialogs', 1], 'UPSTREAM_UNAVAILABLE'],
    ]);
  });

  it('masks what it does not expect (a portal without the im module) and logs it with the request id', async () => {
    stack.emulator.faults.inject('method-not-found', 20);
    const { body, raw } = await stack.query(
      DialogByIdDocument,
      { id: 'chat21191' },
      { 'x-request-id': 'req-masked-1' },
    );
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: 'Unexpected error.',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      }),
    ]);
    expect(raw).not.toContain('ERROR_METHOD_NOT_FOUND');
    const logged = stack.logs.entries().find((entry) => entry.requestId === 'req-masked-1');
    expect(logged).toMatchObject({
      level: 50,
      failure: 'protocol',
      upstreamCode: 'ERROR_METHOD_NOT_FOUND',
    });
  });

  it('answers UPSTREAM_UNAVAILABLE when the portal refuses connections', async () => {
    await withInProcessStack(
      { webhookUrl: () => 'http://127.0.0.1:9/rest/1/secret/' },
      async (down) => {
        const { body } = await down.query(DialogByIdDocument, { id: 'chat1' });
        expect(body.errors?.[0]?.extensions).toEqual({
          code: 'UPSTREAM_UNAVAILABLE',
          upstreamCode: 'ECONNREFUSED',
        });
      },
    );
  });
});
