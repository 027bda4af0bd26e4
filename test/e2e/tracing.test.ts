import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import got from 'got';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import {
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceivedSpan,
} from '../helpers/otlp-receiver.js';
import { startServerProcess, stopServerProcess, type RunningServer } from '../helpers/process.js';

/**
 * OpenTelemetry traces, end to end: the built server with the standard OTEL_* environment sends its
 * spans over OTLP/HTTP to a receiver in this test, joining the trace of the caller's `traceparent`.
 */

const SERVER = 2;
const CLIENT = 3;
const QUERY = `query DialogTitles {
  dialog(id: "chat21191") { ... on Dialog { title } }
  dialogs(ids: ["sg103", "256"]) { ... on Dialog { title } }
}`;

const newTraceparent = () => {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, header: `00-${traceId}-${spanId}-01` };
};

describe('OpenTelemetry traces (OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  let emulator: Emulator;
  let receiver: OtlpReceiver;
  let running: RunningServer;
  let secret = '';
  beforeAll(async () => {
    emulator = await startEmulator();
    receiver = await startOtlpReceiver();
    const webhookUrl = emulator.webhookUrl();
    secret = new URL(webhookUrl).pathname.split('/')[3]!;
    running = await startServerProcess({
      BITRIX24_WEBHOOK_URL: webhookUrl,
      // A bucket of one call, two a second: a second request right after the first waits for it.
      BITRIX24_BURST: '1',
      BITRIX24_RPS: '2',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_SERVICE_NAME: 'dialogs-under-test',
      OTEL_BSP_SCHEDULE_DELAY: '50',
    });
  });
  afterAll(async () => {
    await stopServerProcess(running.server);
    await receiver.close();
    await emulator.close();
  });

  const ask = (traceparent: string) =>
    got.post(`${running.base}/graphql`, {
      json: { query: QUERY },
      headers: { traceparent },
      retry: { limit: 0 },
    });
  const ofTrace = (traceId: string) => receiver.spans.filter((span) => span.traceId === traceId);
  const named = (spans: readonly ReceivedSpan[], name: string) =>
    spans.filter((span) => span.name === name);

  it("joins the caller's trace: the operation, its DataLoader batch, the budget wait and the upstream call, with the caller's trace id", async () => {
    const caller = newTraceparent();
    const response = await ask(caller.header);
    expect(response.statusCode).toBe(200);
    // The caller learns which trace served it.
    expect(response.headers.traceresponse).toMatch(
      new RegExp(`^00-${caller.traceId}-[0-9a-f]{16}-01$`),
    );
    await receiver.waitFor(() => named(ofTrace(caller.traceId), 'bitrix24 batch').length > 0);
    const spans = ofTrace(caller.traceId);

    const [operation] = named(spans, 'query DialogTitles');
    expect(operation).toMatchObject({
      kind: SERVER,
      parentSpanId: caller.spanId,
      serviceName: 'dialogs-under-test',
      attributes: expect.objectContaining({
        'graphql.operation.name': 'DialogTitles',
        'graphql.operation.type': 'query',
        'http.response.status_code': 200,
      }),
    });
    const batches = named(spans, 'dialogs batch');
    expect(batches.length).toBeGreaterThanOrEqual(1);
    for (const batch of batches) expect(batch.parentSpanId).toBe(operation!.spanId);
    expect(
      batches.reduce((sum, batch) => sum + Number(batch.attributes['bitrix24.dialog_ids']), 0),
    ).toBe(3);

    const portal = new URL(emulator.url).host;
    const [wait] = named(spans, 'bitrix24 budget wait');
    expect(wait?.attributes).toMatchObject({
      'bitrix24.portal': portal,
      'bitrix24.lookups': 3,
      'bitrix24.held_by': expect.stringMatching(/^(rate|method-time|batch-window)$/),
    });
    expect(Number(wait!.attributes['bitrix24.queue_ms'])).toBeGreaterThanOrEqual(0);
    const [call] = named(spans, 'bitrix24 batch');
    expect(call).toMatchObject({
      kind: CLIENT,
      attributes: expect.objectContaining({
        'bitrix24.method': 'batch',
        // The three dialogs, and the private dialog's other person (its title), in the same call.
        'bitrix24.commands': 4,
        'bitrix24.portal': portal,
        'bitrix24.outcome': 'ok',
        'bitrix24.retry': 0,
        'http.response.status_code': 200,
      }),
    });
    // Wait and call hang under the batch that asked for the dialogs.
    expect(batches.map((batch) => batch.spanId)).toContain(call!.parentSpanId);
    expect(batches.map((batch) => batch.spanId)).toContain(wait!.parentSpanId);
  }, 30_000);

  it('traces a batch of users like one of dialogs, with the calls it rode in under it', async () => {
    const caller = newTraceparent();
    const response = await got.post(`${running.base}/graphql`, {
      json: { query: '{ users(ids: ["1", "2", "1"]) { ... on Bitrix24User { name } } }' },
      headers: { traceparent: caller.header },
      retry: { limit: 0 },
    });
    expect(JSON.parse(response.body).errors).toBeUndefined();
    await receiver.waitFor(() =>
      ofTrace(caller.traceId).some((span) => span.name.startsWith('bitrix24 ')),
    );
    const spans = ofTrace(caller.traceId);
    const [operation] = spans.filter((span) => span.kind === SERVER);
    const [batch] = named(spans, 'users batch');
    expect(batch).toMatchObject({
      parentSpanId: operation!.spanId,
      // Distinct ids: the loader asks for "1" once.
      attributes: expect.objectContaining({ 'bitrix24.user_ids': 2 }),
    });
    expect(named(spans, 'dialogs batch')).toEqual([]);
    const [call] = spans.filter((span) => span.kind === CLIENT);
    expect(call?.parentSpanId).toBe(batch!.spanId);
  }, 30_000);

  it('says which limit held a request (the rate budget), and traces a refusal and its retry', async () => {
    const first = newTraceparent();
    await ask(first.header);
    // The bucket of one is full now: the next request waits for the rate budget.
    const second = newTraceparent();
    emulator.faults.inject('query-limit', 1);
    const answer = await ask(second.header);
    expect(JSON.parse(answer.body)).toMatchObject({ data: { dialog: { title: 'Mint Chat #3' } } });
    await receiver.waitFor(() => named(ofTrace(second.traceId), 'bitrix24 batch').length >= 2);
    const spans = ofTrace(second.traceId);
    const waits = named(spans, 'bitrix24 budget wait');
    expect(waits.map((wait) => wait.attributes['bitrix24.held_by'])).toContain('rate');
    expect(
      Math.max(...waits.map((wait) => Number(wait.attributes['bitrix24.queue_ms']))),
    ).toBeGreaterThan(100);
    const calls = named(spans, 'bitrix24 batch').sort((a, b) => a.startMs - b.startMs);
    expect(calls[0]!.attributes).toMatchObject({
      'bitrix24.outcome': 'QUERY_LIMIT_EXCEEDED',
      'bitrix24.refusal_code': 'QUERY_LIMIT_EXCEEDED',
      'bitrix24.retry': 0,
    });
    expect(calls[0]!.status.code).toBe(2);
    expect(calls.at(-1)!.attributes).toMatchObject({
      'bitrix24.outcome': 'ok',
      'bitrix24.retry': 1,
    });
  }, 30_000);

  it('starts a trace of its own when the caller sends none, and never exports a secret or user data', async () => {
    const response = await got.post(`${running.base}/graphql`, { json: { query: QUERY } });
    const [, traceId] = /^00-([0-9a-f]{32})-/.exec(String(response.headers.traceresponse)) ?? [];
    expect(traceId).toBeDefined();
    await receiver.waitFor(() => named(ofTrace(traceId!), 'query DialogTitles').length > 0);
    expect(named(ofTrace(traceId!), 'query DialogTitles')[0]!.parentSpanId).toBeUndefined();
    const sent = receiver.bodies.join('\n');
    expect(secret.length).toBeGreaterThan(5);
    for (const never of [secret, '/rest/', 'chat21191', 'sg103', 'Mint Chat', 'authorization'])
      expect(sent).not.toContain(never);
  }, 30_000);
});

describe('sampling from the standard environment (OTEL_TRACES_SAMPLER)', () => {
  it("samples none of its own traces at ratio 0, and still follows a caller's sampled one", async () => {
    const emulator = await startEmulator();
    const receiver = await startOtlpReceiver();
    const { server, base } = await startServerProcess({
      BITRIX24_WEBHOOK_URL: emulator.webhookUrl(),
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0',
      OTEL_BSP_SCHEDULE_DELAY: '50',
    });
    try {
      const own = await got.post(`${base}/graphql`, { json: { query: QUERY } });
      const [, ownTraceId, flags] =
        /^00-([0-9a-f]{32})-[0-9a-f]{16}-([0-9a-f]{2})$/.exec(String(own.headers.traceresponse)) ??
        [];
      expect(flags).toBe('00');
      const caller = newTraceparent();
      await got.post(`${base}/graphql`, {
        json: { query: QUERY },
        headers: { traceparent: caller.header },
      });
      // One batch processor exports both in order: once the caller's spans are in, the first
      // request's would be too, had it been sampled.
      await receiver.waitFor((spans) => spans.some((span) => span.traceId === caller.traceId));
      expect(receiver.spans.some((span) => span.traceId === ownTraceId)).toBe(false);
    } finally {
      await stopServerProcess(server);
      await receiver.close();
      await emulator.close();
    }
  }, 30_000);
});

describe('tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  it('adds nothing to the answer', async () => {
    const emulator = await startEmulator();
    const { server, base } = await startServerProcess({
      BITRIX24_WEBHOOK_URL: emulator.webhookUrl(),
    });
    try {
      const response = await got.post(`${base}/graphql`, {
        json: { query: QUERY },
        headers: { traceparent: newTraceparent().header },
      });
      expect(response.headers.traceresponse).toBeUndefined();
    } finally {
      await stopServerProcess(server);
      await emulator.close();
    }
  }, 30_000);
});
