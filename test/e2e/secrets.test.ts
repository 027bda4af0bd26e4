import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import got from 'got';
import { SAMPLE_FIXTURES } from '../../src/emulator/fixtures.js';
import type { FaultKind } from '../../src/emulator/faults.js';
import { DialogByIdDocument, DialogTitlesDocument } from '../generated/graphql.js';
import { registerSecret } from '../helpers/outputs.js';
import { aliasedDialogsQuery, startStack, type Stack } from '../helpers/stack.js';

const webhookSecret = `hook${randomBytes(12).toString('hex')}`;
const accessToken = `tok${randomBytes(16).toString('hex')}`;
registerSecret(webhookSecret);
registerSecret(accessToken);
const fixtures = {
  ...SAMPLE_FIXTURES,
  webhooks: [...SAMPLE_FIXTURES.webhooks, { userId: 1, secret: webhookSecret, scopes: ['im'] }],
  tokens: [...SAMPLE_FIXTURES.tokens, { token: accessToken, userId: 1, scopes: ['im'] }],
};
/** One retry is enough to put retries (and their log lines) on every failing path. */
const oneRetry = { retries: 1, baseDelayMs: 10, maxDelayMs: 50 };
const faults: FaultKind[] = [
  'query-limit',
  'internal-error',
  'method-not-found',
  'html-502',
  'non-json-200',
  'truncated-json',
  'reset',
  'hang',
];

/** Runs successes, documented errors, every fault and bad requests; returns all it saw. */
async function exercise(stack: Stack, headers: Record<string, string> = {}): Promise<string[]> {
  const seen: string[] = [];
  const run = async (
    document: TypedDocumentNode<unknown, never> | string,
    variables?: Record<string, unknown>,
  ) => {
    seen.push((await stack.query(document as string, variables, headers)).raw);
  };
  await run(DialogByIdDocument, { id: 'chat21191' });
  await run(DialogTitlesDocument, { ids: ['chat666', '', 'nonsense', 'chat1', 'sg103'] });
  await run(aliasedDialogsQuery(['chat1', 'chat2', 'chat3']));
  for (const fault of faults) {
    stack.emulator.faults.inject(fault, 20);
    await run(DialogTitlesDocument, { ids: ['chat1', 'chat21191'] });
    await run(DialogByIdDocument, { id: 'chat1' });
    stack.emulator.faults.clear();
  }
  await run('{ dialog(id: "chat1") { nope } }');
  await run('{ dialog(');
  const badJson = await got.post(`${stack.url}/graphql`, {
    body: '{"query":',
    headers: { 'content-type': 'application/json', ...headers },
    throwHttpErrors: false,
  });
  seen.push(badJson.body, JSON.stringify(badJson.headers));
  for (const path of ['/health', '/readiness', '/graphql?query=%7B__typename%7D']) {
    const response = await got(`${stack.url}${path}`, { headers, throwHttpErrors: false });
    seen.push(response.body, JSON.stringify(response.headers));
  }
  return seen;
}

describe('secrets never reach a response or a log line', () => {
  describe('webhook mode', () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack({
        emulator: { fixtures },
        webhookUrl: (emulator) => emulator.webhookUrl(1, webhookSecret),
        timeoutMs: 300,
        retry: oneRetry,
      });
    });
    afterAll(() => stack.close());

    it('keeps the webhook secret out of every response and every log line', async () => {
      const seen = await exercise(stack);
      expect(stack.logs.lines.length).toBeGreaterThan(20);
      expect(stack.emulator.requests.some((entry) => entry.status === 200)).toBe(true);
      for (const text of [...seen, ...stack.logs.lines]) expect(text).not.toContain(webhookSecret);
    });
  });

  describe('OAuth mode', () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack({
        emulator: { fixtures },
        mode: 'oauth',
        timeoutMs: 300,
        retry: oneRetry,
      });
    });
    afterAll(() => stack.close());

    it('keeps the caller’s access token out of every response and every log line', async () => {
      const seen = await exercise(stack, { authorization: `Bearer ${accessToken}` });
      expect(
        stack.emulator.requests.some((entry) => entry.userId === 1 && entry.status === 200),
      ).toBe(true);
      for (const text of [...seen, ...stack.logs.lines]) expect(text).not.toContain(accessToken);
    });
  });
});
