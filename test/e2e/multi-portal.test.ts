import { domainToASCII } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import got from 'got';
import { DEMO_TOKENS } from '../../src/emulator/fixtures.js';
import type { Emulator } from '../../src/emulator/server.js';
import { recordOutput } from '../helpers/outputs.js';
import { demoPortalWith, madeUpToken, secondPortal } from '../helpers/portals.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { rawRequest } from '../helpers/raw-http.js';

/**
 * One deployment serving two portals (BITRIX24_PORTALS), each an emulator of its own on loopback,
 * reached by made-up names (`portal-a.test`, `portal-b.test`) through a test-only DNS override. A
 * tripwire under every agent stops (and records) any connection outside loopback, so a regression
 * of the SSRF defence could not send a packet to the private addresses named below.
 */
const A = 'portal-a.test';
const B = 'portal-b.test';
const IDN = domainToASCII('крм.test');
const shared = madeUpToken('token-known-to-both-portals');
const portalB = secondPortal('portal B', [shared]);
const QUERY =
  '{ dialog(id: "chat21191") { __typename ... on Dialog { title } ... on Error { code } } }';

/** Names that resolve outside global unicast: each is listed, and refused when connecting. */
const NON_PUBLIC: Record<string, readonly string[]> = {
  'private-10.test': ['10.0.0.1'],
  'private-192.test': ['192.168.1.10'],
  'metadata.test': ['169.254.169.254'],
  'cgnat.test': ['100.64.0.1'],
  'loopback-2.test': ['127.0.0.2'],
  'unspecified.test': ['0.0.0.0'],
  'ula.test': ['fd00::1'],
  'link-local-v6.test': ['fe80::1'],
  'loopback-v6.test': ['::1'],
  'mapped.test': ['::ffff:127.0.0.1'],
  'mapped-private.test': ['::ffff:10.0.0.1'],
  // A rebinding-style answer: one allowed address next to a private one.
  'mixed.test': ['127.0.0.1', '10.0.0.1'],
};

type Answer = {
  status: number;
  body: {
    data?: { dialog: { __typename: string; title?: string; code?: string } | null } | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
};

/**
 * Asks with these headers. A header value holding non-ASCII text (an internationalised name) goes
 * out as its UTF-8 bytes, as curl or a server-side client sends it: Node writes header text as
 * Latin-1, one byte per character, so the value is given as the Latin-1 reading of those bytes, and
 * the body as bytes (a string body would make Node write the whole head as UTF-8, encoding twice).
 */
async function ask(stack: Stack, headers: Record<string, string>, query = QUERY): Promise<Answer> {
  const wire = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      Buffer.from(value, 'utf8').toString('latin1'),
    ]),
  );
  const response = await got.post(`${stack.url}/graphql`, {
    body: Buffer.from(JSON.stringify({ query })),
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...wire,
    },
    throwHttpErrors: false,
    retry: { limit: 0 },
  });
  recordOutput(response.body);
  return { status: response.statusCode, body: JSON.parse(response.body) as Answer['body'] };
}
const portOf = (emulator: Emulator) => Number(new URL(emulator.url).port);
const calls = (stack: Stack) => ({
  a: stack.portalEmulators.get(A)!.requests.length,
  b: stack.portalEmulators.get(B)!.requests.length,
});

describe('one deployment for two portals (BITRIX24_PORTALS)', () => {
  let stack: Stack;
  let emulatorA: Emulator;
  let emulatorB: Emulator;
  const callsHere = () => calls(stack);

  beforeAll(async () => {
    stack = await startStack({
      portals: [
        { host: A, emulator: { fixtures: demoPortalWith([shared]) } },
        { host: B, emulator: { fixtures: portalB.fixtures } },
      ],
      extraPortalEntries: (emulators) => {
        const port = portOf(emulators.get(A)!);
        return [
          `http://крм.test:${port}`,
          ...Object.keys(NON_PUBLIC).map((name) => `http://${name}:${port}`),
        ];
      },
      dns: { [IDN]: ['127.0.0.1'], ...NON_PUBLIC },
    });
    emulatorA = stack.portalEmulators.get(A)!;
    emulatorB = stack.portalEmulators.get(B)!;
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    emulatorA.clearRequests();
    emulatorB.clearRequests();
  });
  afterEach(() => {
    // Whatever a test did, nothing tried to leave loopback.
    expect(stack.tripwire?.attempts).toEqual([]);
  });

  it('answers each portal from that portal, with that portal’s own tokens', async () => {
    const fromA = await ask(stack, {
      authorization: `Bearer ${DEMO_TOKENS.anna}`,
      'x-bitrix24-domain': A,
    });
    expect(fromA.body.data?.dialog).toEqual({ __typename: 'Dialog', title: 'Mint Chat #3' });
    const fromB = await ask(stack, {
      authorization: `Bearer ${portalB.tokens.anna}`,
      'x-bitrix24-domain': B,
    });
    expect(fromB.body).toEqual({
      data: { dialog: { __typename: 'Dialog', title: 'Mint Chat #3 (portal B)' } },
    });
    expect(callsHere()).toEqual({ a: 1, b: 1 });
    expect(emulatorB.requests[0]).toMatchObject({ transport: 'oauth', userId: 1, status: 200 });
  });

  it('sends a token of one portal to the portal named, which refuses it: UNAUTHENTICATED, and the other portal never sees it', async () => {
    const aTokenOnB = await ask(stack, {
      authorization: `Bearer ${DEMO_TOKENS.anna}`,
      'x-bitrix24-domain': B,
    });
    expect(aTokenOnB.body.data?.dialog).toBeNull();
    expect(aTokenOnB.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    const bTokenOnA = await ask(stack, {
      authorization: `Bearer ${portalB.tokens.boris}`,
      'x-bitrix24-domain': A,
    });
    expect(bTokenOnA.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(callsHere()).toEqual({ a: 1, b: 1 });
    expect(emulatorB.requests[0]).toMatchObject({ userId: null, status: 401 });
    expect(emulatorA.requests[0]).toMatchObject({ userId: null, status: 401 });
  });

  it('answers BAD_REQUEST without X-Bitrix24-Domain, and asks no portal', async () => {
    const { status, body } = await ask(stack, { authorization: `Bearer ${DEMO_TOKENS.anna}` });
    expect(status).toBe(200);
    expect(body.data?.dialog).toBeNull();
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_REQUEST' });
    expect(body.errors?.[0]?.message).toContain('X-Bitrix24-Domain');
    // Fields that need no portal still resolve.
    expect((await ask(stack, {}, '{ __typename }')).body).toEqual({
      data: { __typename: 'Query' },
    });
    expect(callsHere()).toEqual({ a: 0, b: 0 });
  });

  it('answers UNAUTHENTICATED for an allowed portal without a bearer token, and asks no portal', async () => {
    const { body } = await ask(stack, { 'x-bitrix24-domain': A });
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect(callsHere()).toEqual({ a: 0, b: 0 });
  });

  it('refuses two X-Bitrix24-Domain headers with 400 (which portal was meant is ambiguous)', async () => {
    const body = JSON.stringify({ query: QUERY });
    const { port } = new URL(stack.url);
    const head = [
      'POST /graphql HTTP/1.1',
      `Host: 127.0.0.1:${port}`,
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      `Authorization: Bearer ${DEMO_TOKENS.anna}`,
      `X-Bitrix24-Domain: ${A}`,
      `X-Bitrix24-Domain: ${B}`,
      'Connection: close',
      '',
      body,
    ].join('\r\n');
    const { status, text } = await rawRequest(stack.url, head);
    expect(status).toBe(400);
    expect(text).toContain('more than one X-Bitrix24-Domain header');
    expect(callsHere()).toEqual({ a: 0, b: 0 });
  });

  const portA = () => portOf(emulatorA);
  it.each([
    ['127.0.0.1', 'IP_LITERAL'],
    ['10.0.0.1', 'IP_LITERAL'],
    ['169.254.169.254', 'IP_LITERAL'],
    ['2130706433', 'IP_LITERAL'],
    ['0x7f.1', 'IP_LITERAL'],
    ['0177.0.0.1', 'IP_LITERAL'],
    ['127.1', 'IP_LITERAL'],
    ['[::1]', 'IP_LITERAL'],
    ['::ffff:127.0.0.1', 'IP_LITERAL'],
    ['[::ffff:a9fe:a9fe]:{port}', 'IP_LITERAL'],
    ['１２７.０.０.１', 'IP_LITERAL'],
    ['portal-a.0x7f', 'IP_LITERAL'],
    ['localhost', 'NOT_ALLOWED'],
    ['localhost:{port}', 'NOT_ALLOWED'],
    ['ⓛⓞⓒⓐⓛⓗⓞⓢⓣ', 'NOT_ALLOWED'],
    ['evil.test', 'NOT_ALLOWED'],
    ['portal-a.test.evil.test', 'NOT_ALLOWED'],
    ['metadata.google.internal', 'NOT_ALLOWED'],
    ['user@portal-a.test', 'USER_INFO'],
    ['user:secret@portal-a.test:{port}', 'USER_INFO'],
    ['portal-a.test@127.0.0.1', 'USER_INFO'],
    ['portal-a.test:22', 'PORT_NOT_ALLOWED'],
    ['portal-a.test:443', 'PORT_NOT_ALLOWED'],
    ['portal-a.test:{other port}', 'PORT_NOT_ALLOWED'],
    ['http://portal-a.test', 'MALFORMED'],
    ['portal-a.test/rest/', 'MALFORMED'],
    ['portal-a.test..', 'MALFORMED'],
    ['portal%2da.test', 'MALFORMED'],
  ])(
    'refuses X-Bitrix24-Domain %j with FORBIDDEN (%s): nothing resolved, nothing connected',
    async (named, reason) => {
      const header = named
        .replace('{other port}', String(portA() + 1))
        .replace('{port}', String(portA()));
      const asked = stack.dns!.asked.length;
      const { body } = await ask(stack, {
        authorization: `Bearer ${DEMO_TOKENS.anna}`,
        'x-bitrix24-domain': header,
      });
      expect(body.data?.dialog).toBeNull();
      expect(body.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', reason });
      expect(stack.dns!.asked.slice(asked)).toEqual([]);
      expect(callsHere()).toEqual({ a: 0, b: 0 });
    },
  );

  it.each(Object.entries(NON_PUBLIC))(
    'refuses %s (resolving to %j) when connecting: FORBIDDEN, PORTAL_ADDRESS_REFUSED, no connection made',
    async (name) => {
      const asked = stack.dns!.asked.length;
      const { body } = await ask(stack, {
        authorization: `Bearer ${DEMO_TOKENS.anna}`,
        'x-bitrix24-domain': name,
      });
      expect(body.data?.dialog).toBeNull();
      expect(body.errors?.[0]?.extensions).toEqual({
        code: 'FORBIDDEN',
        upstreamCode: 'PORTAL_ADDRESS_REFUSED',
      });
      // The name was looked up (the allow-list let it through), once: the refusal is not retried.
      expect(stack.dns!.asked.slice(asked)).toEqual([name]);
      expect(callsHere()).toEqual({ a: 0, b: 0 });
    },
  );

  it.each([
    ['PORTAL-A.TEST'],
    ['Portal-A.Test.'],
    ['portal-a.test:{port}'],
    ['КРМ.test'],
    ['крм.test.'],
  ])(
    'accepts %j after normalisation (letter case, a trailing dot, the listed port, IDN)',
    async (named) => {
      const { body } = await ask(stack, {
        authorization: `Bearer ${DEMO_TOKENS.anna}`,
        'x-bitrix24-domain': named.replace('{port}', String(portA())),
      });
      expect(body.errors).toBeUndefined();
      expect(body.data?.dialog?.title).toBe('Mint Chat #3');
      expect(callsHere()).toEqual({ a: 1, b: 0 });
    },
  );

  it('names the portal on the request line', async () => {
    await ask(
      stack,
      { authorization: `Bearer ${portalB.tokens.anna}`, 'x-bitrix24-domain': 'Portal-B.test' },
      '{ dialog(id: "chat1") { __typename } } # portal line',
    );
    const line = stack.logs
      .entries()
      .filter((entry) => entry.msg === 'graphql request')
      .at(-1);
    expect(line).toMatchObject({
      portal: `${B}:${portOf(emulatorB)}`,
      upstreamCalls: 1,
      outcome: 'ok',
    });
  });

  it('is ready without probing any portal: no one portal’s outage takes the deployment out of the balancer', async () => {
    emulatorA.faults.inject('hang', 1);
    const response = await got(`${stack.url}/readiness`, {
      throwHttpErrors: false,
      retry: { limit: 0 },
    });
    emulatorA.faults.clear();
    expect({ status: response.statusCode, body: JSON.parse(response.body) as unknown }).toEqual({
      status: 200,
      body: { status: 'ready' },
    });
    expect(callsHere()).toEqual({ a: 0, b: 0 });
  });
});

describe('the dialog cache with two portals', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      portals: [
        { host: A, emulator: { fixtures: demoPortalWith([shared]) } },
        { host: B, emulator: { fixtures: portalB.fixtures } },
      ],
      cacheTtlMs: 60_000,
    });
  });
  afterAll(() => stack.close());

  it('keys the cache by portal and caller: the same token on another portal is asked there, never served from the first', async () => {
    const headers = (portal: string) => ({
      authorization: `Bearer ${shared}`,
      'x-bitrix24-domain': portal,
    });
    expect((await ask(stack, headers(A))).body.data?.dialog?.title).toBe('Mint Chat #3');
    expect((await ask(stack, headers(A))).body.data?.dialog?.title).toBe('Mint Chat #3');
    expect(calls(stack)).toEqual({ a: 1, b: 0 });
    expect((await ask(stack, headers(B))).body.data?.dialog?.title).toBe('Mint Chat #3 (portal B)');
    expect(calls(stack)).toEqual({ a: 1, b: 1 });
  });

  it('keys cached users by portal and caller too, and reads them with the caller’s token on its portal', async () => {
    const headers = (portal: string) => ({
      authorization: `Bearer ${shared}`,
      'x-bitrix24-domain': portal,
    });
    const before = calls(stack);
    const userQuery =
      '{ dialog: user(id: "2") { __typename ... on Bitrix24User { title: name } } }';
    expect((await ask(stack, headers(A), userQuery)).body.data?.dialog?.title).toBe('Boris Ivanov');
    expect((await ask(stack, headers(A), userQuery)).body.data?.dialog?.title).toBe('Boris Ivanov');
    expect((await ask(stack, headers(B), userQuery)).body.data?.dialog?.title).toBe(
      'Boris Ivanov (portal B)',
    );
    expect(calls(stack)).toEqual({ a: before.a + 1, b: before.b + 1 });
    const userCalls = stack.portalEmulators
      .get(B)!
      .requests.filter((entry) => entry.method === 'im.user.list.get');
    expect(userCalls.map((entry) => entry.transport)).toEqual(['oauth']);
  });
});

describe('one portal overloaded or down never delays or fails another', () => {
  let stack: Stack;
  let emulatorA: Emulator;
  let emulatorB: Emulator;
  beforeAll(async () => {
    stack = await startStack({
      portals: [{ host: A }, { host: B, emulator: { fixtures: portalB.fixtures } }],
      // A real portal's budget (2 calls/s, a bucket of 10) and a short queue: were budgets or queues
      // shared, portal A's trouble would make portal B's callers wait or be turned away.
      rps: 2,
      burst: 10,
      maxQueue: 20,
      timeoutMs: 1500,
      deadlineMs: 2500,
    });
    emulatorA = stack.portalEmulators.get(A)!;
    emulatorB = stack.portalEmulators.get(B)!;
  });
  afterAll(() => stack.close());

  it('answers portal B at once while portal A hangs, refuses everything and has its queue full', async () => {
    // Portal A answers once, so it has earned series of its own in /metrics.
    const first = await ask(
      stack,
      { authorization: `Bearer ${DEMO_TOKENS.anna}`, 'x-bitrix24-domain': A },
      '{ dialog(id: "chat21191") { __typename } }',
    );
    expect(first.body).toEqual({ data: { dialog: { __typename: 'Dialog' } } });
    // Portal A: its next call never answers, every later one is QUERY_LIMIT_EXCEEDED.
    emulatorA.faults.inject('hang', 1);
    emulatorA.faults.inject('query-limit', 100_000);
    const askA = (index: number) =>
      ask(
        stack,
        { authorization: `Bearer ${DEMO_TOKENS.anna}`, 'x-bitrix24-domain': A },
        `{ dialog(id: "chat${10001 + index}") { __typename } }`,
      );
    const firstWave = Array.from({ length: 20 }, (_, index) => askA(index));
    // Once portal A has refused a call its bucket mirror is full, and what the refused call carried
    // waits in A's queue: the second wave finds the queue full. (Sent all at once, the 40 could all
    // ride the one hanging call, leaving the queue empty, depending on when the batch window shut.)
    while (!emulatorA.requests.some((request) => request.fault === 'query-limit'))
      await new Promise((resolve) => setTimeout(resolve, 10));
    const secondWave = Array.from({ length: 20 }, (_, index) => askA(20 + index));
    const toA = Promise.all([...firstWave, ...secondWave]);
    // Meanwhile portal B, one request after another, from when A's call has timed out and A's
    // portal refuses its retries (its bucket mirror full): each answered at once, and rightly.
    await new Promise((resolve) => setTimeout(resolve, 1700));
    const latencies: number[] = [];
    for (let round = 0; round < 10; round++) {
      const started = performance.now();
      const fromB = await ask(stack, {
        authorization: `Bearer ${portalB.tokens.anna}`,
        'x-bitrix24-domain': B,
      });
      latencies.push(performance.now() - started);
      expect(fromB.body).toEqual({
        data: { dialog: { __typename: 'Dialog', title: 'Mint Chat #3 (portal B)' } },
      });
    }
    const answersOfA = await toA;
    emulatorA.faults.clear();
    // A's callers got A's trouble, in bounded time: a full queue, refusals, timeouts.
    const codesOfA = new Set(answersOfA.map((answer) => answer.body.errors?.[0]?.extensions?.code));
    expect(
      [...codesOfA].every(
        (code) => code === 'UPSTREAM_TIMEOUT' || code === 'UPSTREAM_RATE_LIMITED',
      ),
    ).toBe(true);
    expect(
      answersOfA.some(
        (answer) => answer.body.errors?.[0]?.extensions?.upstreamCode === 'PACING_QUEUE_FULL',
      ),
    ).toBe(true);
    // B's ten calls fit its own bucket: no wait for A's budget (one 500 ms slot would show).
    expect(latencies.reduce((sum, ms) => sum + ms, 0)).toBeLessThan(1500);
    expect(emulatorB.requests.map((request) => request.status)).toEqual(Array(10).fill(200));
    const metrics = await got(`${stack.url}/metrics`).text();
    expect(metrics).toContain(
      `bitrix24_refusals_total{portal="${A}:${portOf(emulatorA)}",code="QUERY_LIMIT_EXCEEDED"}`,
    );
    expect(metrics).toContain(
      `bitrix24_shed_lookups_total{portal="${A}:${portOf(emulatorA)}",code="PACING_QUEUE_FULL"}`,
    );
    expect(metrics).not.toMatch(
      new RegExp(`bitrix24_(refusals|shed_lookups)_total\\{portal="${B}`),
    );
    expect(stack.tripwire?.attempts).toEqual([]);
  });
});
