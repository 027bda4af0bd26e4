import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { DEMO_TOKENS } from '../../src/emulator/fixtures.js';
import { DialogByIdDocument, DialogTitlesDocument } from '../generated/graphql.js';
import { startInProcessStack, type Stack } from '../helpers/stack.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('cross-request dialog cache (CACHE_TTL_MS), webhook mode', () => {
  // A fresh server (and so an empty cache) per test, rather than waiting out the TTL between tests.
  let stack: Stack;
  beforeEach(async () => {
    stack = await startInProcessStack({ cacheTtlMs: 400, cacheMaxEntries: 3 });
    stack.resetCalls();
  });
  afterEach(() => stack.close());

  it('serves a dialog again from the cache, then asks the portal once the TTL has passed', async () => {
    const first = await stack.query(DialogByIdDocument, { id: 'chat21191' });
    expect(stack.upstreamCalls()).toBe(1);
    const second = await stack.query(DialogByIdDocument, { id: 'chat21191' });
    expect(second.body).toEqual(first.body);
    expect(stack.upstreamCalls()).toBe(1);
    await sleep(450);
    await stack.query(DialogByIdDocument, { id: 'chat21191' });
    expect(stack.upstreamCalls()).toBe(2);
  });

  it('asks the portal only for the ids the cache does not hold', async () => {
    await stack.query(DialogTitlesDocument, { ids: ['chat1', 'chat30'] });
    stack.resetCalls();
    const { body } = await stack.query(DialogTitlesDocument, {
      ids: ['chat1', 'chat31', 'chat30'],
    });
    expect(
      body.data?.dialogs?.map((dialog) => (dialog?.__typename === 'Dialog' ? dialog.title : null)),
    ).toEqual(['General chat', 'Call with Carla', 'Coffee lovers']);
    expect(stack.upstreamCalls()).toBe(1);
    expect(stack.emulator.requests.at(-1)).toMatchObject({
      method: 'im.dialog.get',
      params: { DIALOG_ID: 'chat31' },
    });
  });

  it('keeps one entry per dialog whatever spelling asked for it', async () => {
    await stack.query(DialogByIdDocument, { id: 'CHAT021191' });
    expect(stack.upstreamCalls()).toBe(1);
    const again = await stack.query(DialogTitlesDocument, { ids: ['chat21191', ' Chat21191 '] });
    expect(again.body.data?.dialogs).toEqual([
      { __typename: 'Dialog', id: 'chat21191', title: 'Mint Chat #3' },
      { __typename: 'Dialog', id: 'chat21191', title: 'Mint Chat #3' },
    ]);
    expect(stack.upstreamCalls()).toBe(1);
  });

  it('never caches an error: ACCESS_ERROR is asked again', async () => {
    await stack.query(DialogByIdDocument, { id: 'chat666' });
    await stack.query(DialogByIdDocument, { id: 'chat666' });
    expect(stack.upstreamCalls()).toBe(2);
  });

  it('stays within its size bound, dropping the least recently used', async () => {
    await stack.query(DialogTitlesDocument, {
      ids: ['chat10001', 'chat10002', 'chat10003', 'chat10004'],
    });
    stack.resetCalls();
    await stack.query(DialogTitlesDocument, { ids: ['chat10004'] });
    expect(stack.upstreamCalls()).toBe(0);
    await stack.query(DialogTitlesDocument, { ids: ['chat10001'] });
    expect(stack.upstreamCalls()).toBe(1);
  });
});

describe('cross-request dialog cache, OAuth mode: one caller’s entries are never another’s', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startInProcessStack({ mode: 'oauth', cacheTtlMs: 60_000 });
  });
  afterAll(() => stack.close());

  it('caches per caller', async () => {
    const anna = await stack.query(
      DialogByIdDocument,
      { id: 'chat10001' },
      bearer(DEMO_TOKENS.anna),
    );
    expect(anna.body.data?.dialog).toMatchObject({ __typename: 'Dialog', role: 'OWNER' });
    stack.resetCalls();
    const boris = await stack.query(
      DialogByIdDocument,
      { id: 'chat10001' },
      bearer(DEMO_TOKENS.boris),
    );
    expect(boris.body.data?.dialog).toMatchObject({ __typename: 'AccessError' });
    expect(stack.upstreamCalls()).toBe(1);
    // Both read chat21191, with different roles: each gets its own.
    await stack.query(DialogByIdDocument, { id: 'chat21191' }, bearer(DEMO_TOKENS.anna));
    await stack.query(DialogByIdDocument, { id: 'chat21191' }, bearer(DEMO_TOKENS.boris));
    stack.resetCalls();
    const annaAgain = await stack.query(
      DialogByIdDocument,
      { id: 'chat21191' },
      bearer(DEMO_TOKENS.anna),
    );
    const borisAgain = await stack.query(
      DialogByIdDocument,
      { id: 'chat21191' },
      bearer(DEMO_TOKENS.boris),
    );
    expect(annaAgain.body.data?.dialog).toMatchObject({ role: 'MEMBER' });
    expect(borisAgain.body.data?.dialog).toMatchObject({ role: 'OWNER' });
    expect(stack.upstreamCalls()).toBe(0);
  });

  it('answers a caller without a token UNAUTHENTICATED even for a cached dialog', async () => {
    await stack.query(DialogByIdDocument, { id: 'chat10002' }, bearer(DEMO_TOKENS.anna));
    const anonymous = await stack.query(DialogByIdDocument, { id: 'chat10002' });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(anonymous.body.data?.dialog).toBeNull();
  });
});

describe('cross-request cache of users (CACHE_TTL_MS)', () => {
  let stack: Stack;
  beforeEach(async () => {
    stack = await startInProcessStack({ mode: 'oauth', cacheTtlMs: 5000, cacheMaxEntries: 50 });
    stack.resetCalls();
  });
  afterEach(() => stack.close());
  const query = '{ user(id: "4") { __typename ... on Bitrix24User { name } } }';

  it('serves a user again from the cache, for the caller who read it only', async () => {
    const first = await stack.query(query, {}, bearer(DEMO_TOKENS.anna));
    expect(first.body.data?.user).toEqual({ __typename: 'Bitrix24User', name: 'Denis Dubois' });
    await stack.query(query, {}, bearer(DEMO_TOKENS.anna));
    expect(stack.upstreamCalls()).toBe(1);
    // Boris may not see Denis: Anna's cached Denis is never his answer.
    const boris = await stack.query(query, {}, bearer(DEMO_TOKENS.boris));
    expect(boris.body.data?.user).toEqual({ __typename: 'UserNotFoundError' });
    expect(stack.upstreamCalls()).toBe(2);
    // And "not visible" is never cached.
    await stack.query(query, {}, bearer(DEMO_TOKENS.boris));
    expect(stack.upstreamCalls()).toBe(3);
  });

  it('caches the people a dialog’s call read by reference', async () => {
    await stack.query(
      '{ dialog(id: "chat21191") { ... on Dialog { owner { name } } } }',
      {},
      bearer(DEMO_TOKENS.anna),
    );
    stack.resetCalls();
    const { body } = await stack.query(
      '{ user(id: "2") { ... on Bitrix24User { name } } }',
      {},
      bearer(DEMO_TOKENS.anna),
    );
    expect(body.data?.user).toEqual({ name: 'Boris Ivanov' });
    expect(stack.upstreamCalls()).toBe(0);
  });
});
