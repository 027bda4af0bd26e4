import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import got from 'got';
import { DEMO_TOKENS } from '../../src/emulator/fixtures.js';
import { DialogByIdDocument, DialogTitlesDocument } from '../generated/graphql.js';
import { startStack, withStack, type Stack } from '../helpers/stack.js';

type Entry = Record<string, unknown> & { level: number; msg: string };
const INFO = 30;
const ERROR = 50;
const bulkIds = (count: number) =>
  Array.from({ length: count }, (_, index) => `chat${10001 + index}`);

/** What a production logger (LOG_LEVEL=info) would have written since `from`. */
const writtenAtInfo = (stack: Stack, from: number): Entry[] =>
  (stack.logs.entries().slice(from) as Entry[]).filter((entry) => entry.level >= INFO);
const requestLines = (entries: Entry[]) =>
  entries.filter((entry) => entry.msg === 'graphql request');

describe('logging proportional to events', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      timeoutMs: 300,
      retry: { retries: 1, baseDelayMs: 10, maxDelayMs: 20 },
    });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.emulator.faults.clear());

  it('one failed dialog: the request line and one failure line (info: an outage is warned of once, not per request), nothing at error', async () => {
    const from = stack.logs.lines.length;
    stack.emulator.faults.inject('internal-error', 2);
    await stack.query(DialogByIdDocument, { id: 'chat1' }, { 'x-request-id': 'one-failure' });
    const written = writtenAtInfo(stack, from);
    expect(written).toHaveLength(2);
    expect(written[0]).toMatchObject({
      level: INFO,
      requestId: 'one-failure',
      failure: 'unavailable',
      upstreamCode: 'INTERNAL_SERVER_ERROR',
      status: 500,
      fields: 1,
    });
    expect(written[1]).toMatchObject({
      msg: 'graphql request',
      requestId: 'one-failure',
      outcome: 'partial',
      errorCodes: ['UPSTREAM_UNAVAILABLE'],
      upstreamCodes: ['INTERNAL_SERVER_ERROR'],
    });
  });

  it('200 dialogs failing in 4 batches: still one failure line, counting the fields', async () => {
    const from = stack.logs.lines.length;
    stack.emulator.faults.inject('internal-error', 8);
    await stack.query(
      DialogTitlesDocument,
      { ids: bulkIds(200) },
      { 'x-request-id': 'many-failures' },
    );
    const written = writtenAtInfo(stack, from);
    // The portal's outage warning (8 failed attempts in a row), the failure line, the request line.
    expect(written).toHaveLength(3);
    expect(written[0]).toMatchObject({
      level: 40,
      dependency: 'portal',
      reason: 'INTERNAL_SERVER_ERROR',
    });
    expect(written[1]).toMatchObject({
      level: INFO,
      upstreamCode: 'INTERNAL_SERVER_ERROR',
      fields: 200,
    });
  });

  it('a burst of 100 failing 200-dialog requests: per request, its line and one per distinct upstream failure; none at error', async () => {
    const from = stack.logs.lines.length;
    stack.emulator.faults.inject('internal-error', 100_000);
    await Promise.all(
      Array.from({ length: 100 }, () => stack.query(DialogTitlesDocument, { ids: bulkIds(200) })),
    );
    const written = writtenAtInfo(stack, from);
    const requests = requestLines(written);
    expect(requests).toHaveLength(100);
    for (const request of requests) {
      const failures = written.filter(
        (entry) => entry.requestId === request.requestId && entry !== request,
      );
      expect(failures.map((entry) => entry.upstreamCode).sort()).toEqual(
        [...(request.upstreamCodes as string[])].sort(),
      );
    }
    // 4 batches of 50 each: at most 4 distinct failures per request.
    expect(written.length).toBeLessThanOrEqual(500);
    expect(written.filter((entry) => entry.level >= ERROR)).toEqual([]);
  }, 60_000);

  it('logs an unexpected error once, at error, with its message, stack and the request id', async () => {
    const from = stack.logs.lines.length;
    stack.emulator.faults.inject('method-not-found', 10);
    await stack.query(
      DialogTitlesDocument,
      { ids: ['chat1', 'chat2', 'chat3'] },
      { 'x-request-id': 'unexpected-1' },
    );
    const errors = writtenAtInfo(stack, from).filter((entry) => entry.level >= ERROR);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      requestId: 'unexpected-1',
      msg: 'unexpected error',
      upstreamCode: 'ERROR_METHOD_NOT_FOUND',
      err: {
        type: 'Bitrix24Error',
        message: 'Bitrix24 answered ERROR_METHOD_NOT_FOUND (HTTP 404)',
      },
    });
    expect(String((errors[0]!.err as { stack: string }).stack)).toContain('at ');
    expect(stack.logs.text).not.toContain('"args":[{}]');
  });

  it('writes only the request line for a refused request and for documented per-dialog errors', async () => {
    const from = stack.logs.lines.length;
    await stack.query('{ nope }');
    await stack.query(DialogTitlesDocument, { ids: ['chat666', '', 'nonsense'] });
    const written = writtenAtInfo(stack, from);
    expect(written.map((entry) => entry.msg)).toEqual(['graphql request', 'graphql request']);
  });
});

describe('expected outcomes are never at error level', () => {
  it('a caller’s expired token: info', async () => {
    await withStack({ mode: 'oauth' }, async (stack) => {
      await stack.query(
        DialogByIdDocument,
        { id: 'chat1' },
        { authorization: `Bearer ${DEMO_TOKENS.expired}` },
      );
      const written = writtenAtInfo(stack, 0);
      expect(written.find((entry) => entry.upstreamCode === 'expired_token')).toMatchObject({
        level: INFO,
        failure: 'unauthenticated',
      });
      expect(written.filter((entry) => entry.level > INFO)).toEqual([]);
    });
  });

  it('refusals by our own pacing: the request lines only', async () => {
    await withStack({ rps: 1, burst: 2, maxQueue: 2, deadlineMs: 30_000 }, async (stack) => {
      await Promise.all(bulkIds(12).map((id) => stack.query(DialogByIdDocument, { id })));
      const written = writtenAtInfo(stack, 0);
      expect(
        requestLines(written).filter((entry) =>
          (entry.upstreamCodes as string[] | undefined)?.includes('PACING_QUEUE_FULL'),
        ).length,
      ).toBeGreaterThanOrEqual(5);
      expect(written.filter((entry) => entry.msg !== 'graphql request')).toEqual([]);
    });
  }, 30_000);
});

describe('a client that disconnects', () => {
  it('is logged as such, not as an upstream timeout', async () => {
    await withStack({ timeoutMs: 5000, deadlineMs: 10_000 }, async (stack) => {
      stack.emulator.faults.inject('hang', 1);
      const gone = await got
        .post(`${stack.url}/graphql`, {
          json: { query: '{ dialog(id: "chat1") { __typename } }' },
          headers: { 'x-request-id': 'client-gone' },
          retry: { limit: 0 },
          timeout: { request: 300 },
        })
        .catch((error: { code?: string }) => error.code);
      expect(gone).toBe('ETIMEDOUT');
      await new Promise((resolve) => setTimeout(resolve, 500));
      const written = writtenAtInfo(stack, 0).filter((entry) => entry.requestId === 'client-gone');
      expect(written).toEqual([
        expect.objectContaining({ msg: 'graphql request', outcome: 'client-closed' }),
      ]);
    });
  });
});
