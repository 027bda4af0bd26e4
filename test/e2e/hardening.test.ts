import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import got from 'got';
import { SAMPLE_FIXTURES } from '../../src/emulator/fixtures.js';
import type { FaultKind } from '../../src/emulator/faults.js';
import { DialogByIdDocument } from '../generated/graphql.js';
import { recordOutput, registerSecret } from '../helpers/outputs.js';
import { startStack, withStack, type Stack } from '../helpers/stack.js';
import { rawRequest } from '../helpers/raw-http.js';

const ENTITIES =
  'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Dialog { id title } } }';

describe('malformed requests are the client’s 400, never a 500', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.resetCalls());

  it('refuses a 2 000-level nested selection with 400', async () => {
    const { status, body } = await stack.query(
      `{ dialog(id: "chat1") { ... on Dialog { ${'readBy { '.repeat(2000)}userId${' }'.repeat(2000)} } } }`,
    );
    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({
      message: 'Syntax Error: Nesting limit of 32 exceeded.',
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
    expect(stack.upstreamCalls()).toBe(0);
  });

  it('refuses a 2 000-level nested list argument with 400', async () => {
    const { status, body } = await stack.query(
      `{ dialogs(ids: ${'['.repeat(2000)}"chat1"${']'.repeat(2000)}) { __typename } }`,
    );
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('keeps the parser’s own message for a document it cannot read', async () => {
    const { status, body } = await stack.query('{ dialog(id: "chat1) { __typename } }');
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toBe('Syntax Error: Unterminated string.');
  });

  it.each([
    ['variables', '{"id":'],
    ['extensions', '{nope'],
  ])('refuses a GET with malformed %s with 400', async (name, value) => {
    const query = encodeURIComponent('query($id: ID!) { dialog(id: $id) { __typename } }');
    const response = await got(
      `${stack.url}/graphql?query=${query}&${name}=${encodeURIComponent(value)}`,
      { throwHttpErrors: false, retry: { limit: 0 } },
    );
    recordOutput(response.body);
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      errors: [
        {
          message: 'The "variables" and "extensions" parameters must be JSON objects.',
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
  });

  it('refuses a form-encoded POST with malformed variables with 400', async () => {
    const response = await got.post(`${stack.url}/graphql`, {
      body: `query=${encodeURIComponent('{ __typename }')}&variables=${encodeURIComponent('{oops')}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      throwHttpErrors: false,
      retry: { limit: 0 },
    });
    expect(response.statusCode).toBe(400);
  });

  it('refuses two Authorization headers with 400, before anything is sent to the portal', async () => {
    const body = JSON.stringify({ query: '{ dialog(id: "chat1") { __typename } }' });
    const { port } = new URL(stack.url);
    const head = [
      'POST /graphql HTTP/1.1',
      `Host: 127.0.0.1:${port}`,
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Authorization: Bearer first-token-aaaa',
      'Authorization: Bearer second-token-bbbb',
      'Connection: close',
      '',
      body,
    ].join('\r\n');
    const { status, text } = await rawRequest(stack.url, head);
    expect(status).toBe(400);
    expect(text).toContain('more than one Authorization header');
    expect(stack.upstreamCalls()).toBe(0);
    // One header is fine (webhook mode ignores it).
    const single = await rawRequest(
      stack.url,
      head.replace('Authorization: Bearer second-token-bbbb\r\n', ''),
    );
    expect(single.status).toBe(200);
  });
});

describe('a token echoed in a portal’s error text reaches no log and no response', () => {
  // A token per path: a token the portal refused is answered locally afterwards, and each path
  // must meet the portal's echo itself.
  const tokens = Array.from({ length: 3 }, () => `echo${randomBytes(16).toString('hex')}`);
  tokens.forEach(registerSecret);
  const fixtures = {
    ...SAMPLE_FIXTURES,
    tokens: [
      ...SAMPLE_FIXTURES.tokens,
      ...tokens.map((token) => ({ token, userId: 1, scopes: ['im'] })),
    ],
  };

  it.each<FaultKind>(['echo-auth', 'echo-auth-access'])('%s', async (fault) => {
    await withStack({ emulator: { fixtures }, mode: 'oauth' }, async (stack) => {
      const headers = (index: number) => ({ authorization: `Bearer ${tokens[index]}` });
      stack.emulator.faults.inject(fault, 1);
      const single = await stack.query(DialogByIdDocument, { id: 'chat1' }, headers(0));
      stack.emulator.faults.inject(fault, 1);
      const entity = await stack.query(
        ENTITIES,
        { representations: [{ __typename: 'Dialog', id: 'chat1' }] },
        headers(1),
      );
      stack.emulator.faults.inject(fault, 1);
      const batch = await stack.query(
        '{ dialogs(ids: ["chat1", "chat2"]) { __typename ... on Error { message } } }',
        undefined,
        headers(2),
      );
      // The portal did echo it: the test can fail.
      expect(stack.emulator.requests.filter((entry) => entry.fault === fault)).toHaveLength(3);
      if (fault === 'echo-auth')
        expect(single.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      else
        expect(single.body.data?.dialog).toMatchObject({
          __typename: 'AccessError',
          message: 'You do not have access to the specified dialog',
        });
      for (const text of [single.raw, entity.raw, batch.raw, ...stack.logs.lines])
        for (const token of tokens) expect(text).not.toContain(token);
    });
  });
});
