import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import got, { type OptionsOfTextResponseBody } from 'got';
import pino from 'pino';
import { encodeCommand, readBatchOutcomes } from '../../src/bitrix/batch.js';
import { Bitrix24Transport } from '../../src/bitrix/transport.js';
import { DialogTitlesDocument } from '../generated/graphql.js';
import { startStack, withStack, type Stack } from '../helpers/stack.js';

/* HTTP protections and what reaches the portal. Operation limits and introspection: test/in-process/operation-limits.test.ts. */

const request = (url: string, options: OptionsOfTextResponseBody = {}) =>
  got(url, { throwHttpErrors: false, retry: { limit: 0 }, ...options });

describe('HTTP protections', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      corsOrigins: ['https://app.example.com'],
      maxRequestBodyBytes: 50_000,
    });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.resetCalls());

  const graphql = () => `${stack.url}/graphql`;

  it('refuses a request body over the limit with 413', async () => {
    const response = await request(graphql(), {
      method: 'POST',
      json: {
        query: 'query($ids: [ID!]!) { dialogs(ids: $ids) { __typename } }',
        variables: { ids: Array(10_000).fill('chat10001') },
      },
    });
    expect(response.statusCode).toBe(413);
    expect(stack.upstreamCalls()).toBe(0);
  });

  it('refuses malformed JSON with 400', async () => {
    const response = await request(graphql(), {
      method: 'POST',
      body: '{"query": "{ __typename }"',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(400);
  });

  it('refuses an unsupported content type with 415', async () => {
    const response = await request(graphql(), {
      method: 'POST',
      body: '<query/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(response.statusCode).toBe(415);
  });

  it('refuses a mutation over GET with 405', async () => {
    const response = await request(
      `${graphql()}?query=${encodeURIComponent('mutation { __typename }')}`,
    );
    expect(response.statusCode).toBe(405);
  });

  it('refuses a cross-site browser GET without the CSRF header, and accepts it with one', async () => {
    const url = `${graphql()}?query=${encodeURIComponent('{ dialog(id: "chat1") { __typename } }')}`;
    const forged = await request(url, {
      headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
    });
    expect(forged.statusCode).toBe(403);
    expect(stack.upstreamCalls()).toBe(0);
    const legit = await request(url, {
      headers: {
        'sec-fetch-site': 'cross-site',
        origin: 'https://app.example.com',
        'x-graphql-yoga-csrf': '1',
      },
    });
    expect(legit.statusCode).toBe(200);
  });

  it('refuses a cross-site form-like POST (no preflight) without the CSRF header', async () => {
    const forged = await request(graphql(), {
      method: 'POST',
      body: 'query=%7B__typename%7D',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'cross-site',
      },
    });
    expect(forged.statusCode).toBe(403);
  });

  it('leaves same-origin and non-browser GET requests alone', async () => {
    const url = `${graphql()}?query=${encodeURIComponent('{ __typename }')}`;
    expect((await request(url)).statusCode).toBe(200);
    expect((await request(url, { headers: { 'sec-fetch-site': 'same-origin' } })).statusCode).toBe(
      200,
    );
  });

  it('answers CORS preflights for listed origins only', async () => {
    const preflight = (origin: string) =>
      request(graphql(), {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,authorization',
        },
      });
    const allowed = await preflight('https://app.example.com');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(String(allowed.headers['access-control-allow-headers'])).toContain('authorization');
    // One allowed origin is always named as such: a browser on another origin sees it is not its own.
    const refused = await preflight('https://evil.example');
    expect(refused.headers['access-control-allow-origin']).not.toBe('https://evil.example');
  });

  it('sends no CORS header at all when no origin is configured', async () => {
    await withStack({}, async (closed) => {
      const response = await request(`${closed.url}/graphql?query=%7B__typename%7D`, {
        headers: { origin: 'https://app.example.com' },
      });
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});

describe('odd ids never reach the portal as a different request', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  const oddIds = [
    'chat1?DIALOG_ID=chat2',
    'chat1&auth=x',
    'chat1&DIALOG_ID=chat666',
    '../',
    '..%2Fchat1',
    'чат1',
    '$result[a][id]',
    '%63hat1',
    'chat1#x',
    'x'.repeat(10_240),
    'chat 1',
    'chat1\u0000',
  ];

  it('answers each with a typed error, sending the portal only the well-formed ids, verbatim', async () => {
    stack.resetCalls();
    const { body } = await stack.query(DialogTitlesDocument, {
      ids: ['chat21191', ...oddIds, 'chat1'],
    });
    expect(body.data?.dialogs?.[0]).toMatchObject({ __typename: 'Dialog', title: 'Mint Chat #3' });
    expect(
      body.data?.dialogs?.slice(1, -1).every((item) => item?.__typename === 'DialogIdEmptyError'),
    ).toBe(true);
    expect(body.data?.dialogs?.at(-1)).toMatchObject({
      __typename: 'Dialog',
      title: 'General chat',
    });
    expect(stack.upstreamCalls()).toBe(1);
    const received = stack.emulator.requests.at(-1)!;
    expect(received.commands?.map((command) => command.params)).toEqual([
      { DIALOG_ID: 'chat21191' },
      { DIALOG_ID: 'chat1' },
    ]);
  });

  it('encodes every batch command so the portal reads back exactly the value sent (client → emulator over HTTP)', async () => {
    const transport = new Bitrix24Transport({
      timeoutMs: 2000,
      maxAnswerBytes: 1_000_000,
      logger: pino({ level: 'silent' }),
    });
    const credentials = {
      kind: 'webhook' as const,
      webhookUrl: new URL(stack.emulator.webhookUrl()),
    };
    // References are left out: encoding cannot protect against them (next test).
    const separators = oddIds.filter((id) => !id.includes('$'));
    const commands = Object.fromEntries(
      [...separators, 'chat21191'].map((id, index) => [
        `k${index}`,
        encodeCommand('im.dialog.get', { DIALOG_ID: id }),
      ]),
    );
    const envelope = await transport.send(credentials, 'batch', { halt: 0, cmd: commands });
    const outcomes = readBatchOutcomes(envelope.result, Object.keys(commands));
    const received = stack.emulator.requests.at(-1)!;
    expect(received.commands?.map((command) => command.params)).toEqual(
      [...separators, 'chat21191'].map((id) => ({ DIALOG_ID: id })),
    );
    // None was read as another id or an extra parameter: the odd ones are all DIALOG_ID_EMPTY.
    expect(
      [...outcomes.values()]
        .slice(0, -1)
        .every((outcome) => !outcome.ok && outcome.error.name === 'DialogIdEmptyError'),
    ).toBe(true);
    expect(outcomes.get(`k${separators.length}`)).toMatchObject({
      ok: true,
      result: { id: 21191 },
    });
  });

  it('relies on the id grammar, not on encoding, against $result references: the portal resolves them after decoding', async () => {
    const transport = new Bitrix24Transport({
      timeoutMs: 2000,
      maxAnswerBytes: 1_000_000,
      logger: pino({ level: 'silent' }),
    });
    const credentials = {
      kind: 'webhook' as const,
      webhookUrl: new URL(stack.emulator.webhookUrl()),
    };
    const reference = 'chat$result[k0][parent_chat_id]';
    const cmd = {
      k0: encodeCommand('im.dialog.get', { DIALOG_ID: 'chat37' }),
      k1: encodeCommand('im.dialog.get', { DIALOG_ID: reference }),
    };
    const envelope = await transport.send(credentials, 'batch', { halt: 0, cmd });
    const outcomes = readBatchOutcomes(envelope.result, Object.keys(cmd));
    // Encoded or not, the reference read k0's answer and asked for another chat.
    expect(outcomes.get('k1')).toMatchObject({ ok: true, result: { id: 36, dialog_id: 'chat36' } });
    // Through the server such an id never leaves: it is outside the portal's grammar.
    stack.resetCalls();
    const { body } = await stack.query(DialogTitlesDocument, { ids: ['chat37', reference] });
    expect(body.data?.dialogs?.[1]).toMatchObject({ __typename: 'DialogIdEmptyError' });
    expect(stack.emulator.requests.at(-1)?.params).toEqual({ DIALOG_ID: 'chat37' });
  });
});
