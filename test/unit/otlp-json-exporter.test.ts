import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type SpanContext,
} from '@opentelemetry/api';
import { ExportResultCode, TraceState, type ExportResult } from '@opentelemetry/core';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { encodeTraceRequest } from '../../src/server/otlp-json-encoding.js';
import {
  OtlpJsonTraceExporter,
  otlpTraceOptionsFromEnv,
  type OtlpExporterOptions,
} from '../../src/server/otlp-json-exporter.js';

/** Spans covering what the encoding has to get right, from the real SDK. */
function finishedSpans(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'under-test', 'service.instance.id': 7 }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const server = provider.getTracer('server-scope', '1.2.3', {
    schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
  });
  const client = provider.getTracer('client-scope');
  // A remote parent with a trace state, as a caller's traceparent/tracestate gives.
  const remote: SpanContext = {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
    traceState: new TraceState('vendor=abc,other=x-y'),
  };
  const linked: SpanContext = {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: TraceFlags.NONE,
    traceState: new TraceState('linked=1'),
  };
  const parent = server.startSpan(
    'query DialogTitles',
    {
      kind: SpanKind.SERVER,
      startTime: [1_700_000_000, 123_456_789],
      attributes: {
        text: 'hello',
        int: 42,
        negative: -3,
        double: 2.5,
        yes: true,
        no: false,
        strings: ['a', 'b'],
        ints: [1, 2, 3],
        doubles: [1.5, -0.25],
        bools: [true, false],
        holes: ['a', null, undefined, 'b'],
        empty: [],
      },
    },
    trace.setSpanContext(ROOT_CONTEXT, remote),
  );
  parent.addEvent('started', { step: 1, ok: true }, [1_700_000_000, 200_000_000]);
  parent.addEvent('bare', [1_700_000_000, 300_000_000]);
  const child = client.startSpan(
    'bitrix24 im.dialog.get',
    {
      kind: SpanKind.CLIENT,
      links: [
        { context: linked, attributes: { reason: 'shared call', requests: 2 } },
        {
          context: {
            traceId: linked.traceId,
            spanId: '53995c3f42cd8ad8',
            traceFlags: TraceFlags.SAMPLED,
            isRemote: true,
          },
        },
      ],
    },
    trace.setSpan(context.active(), parent),
  );
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'QUERY_LIMIT_EXCEEDED' });
  child.end([1_700_000_001, 5]);
  const internal = server.startSpan('dialogs batch', { attributes: { 'bitrix24.dialog_ids': 3 } });
  internal.setStatus({ code: SpanStatusCode.OK });
  internal.end();
  parent.end([1_700_000_002, 0]);
  return memory.getFinishedSpans();
}

const officialJson = (spans: ReadableSpan[]): string =>
  new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans));

describe('encodeTraceRequest', () => {
  it('writes what the maintained JSON serializer writes, byte for byte', () => {
    const spans = finishedSpans();
    expect(spans).toHaveLength(3);
    const ours = encodeTraceRequest(spans);
    expect(JSON.parse(ours)).toEqual(JSON.parse(officialJson(spans)));
    expect(ours).toBe(officialJson(spans));
  });

  it('keeps spans of different resources apart, as the maintained serializer does', () => {
    const [first, second] = [finishedSpans(), finishedSpans()];
    const mixed = [first[0]!, second[0]!, first[1]!, second[2]!];
    expect(encodeTraceRequest(mixed)).toBe(officialJson(mixed));
    expect(JSON.parse(encodeTraceRequest(mixed)).resourceSpans).toHaveLength(2);
  });

  it('encodes bytes as base64 and nested values as key-value lists, as the SDK does', () => {
    const [span] = finishedSpans();
    const odd = {
      ...span!,
      spanContext: span!.spanContext,
      attributes: { bytes: new Uint8Array([0, 255, 16]), nested: { a: 1, b: ['x'] } },
    } as unknown as ReadableSpan;
    expect(encodeTraceRequest([odd])).toBe(officialJson([odd]));
  });
});

describe('otlpTraceOptionsFromEnv', () => {
  it('appends v1/traces to the shared endpoint, with or without its trailing slash', () => {
    expect(otlpTraceOptionsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }).url).toBe(
      'http://c:4318/v1/traces',
    );
    expect(otlpTraceOptionsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' }).url).toBe(
      'http://c:4318/v1/traces',
    );
    expect(
      otlpTraceOptionsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://c/otlp/base' }).url,
    ).toBe('https://c/otlp/base/v1/traces');
  });

  it('uses the traces endpoint as it is, ahead of the shared one', () => {
    expect(
      otlpTraceOptionsFromEnv({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://shared:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://own:4318/custom/path',
      }).url,
    ).toBe('http://own:4318/custom/path');
  });

  it('reads headers (URL-decoded, the traces ones winning), timeout and compression', () => {
    const options = otlpTraceOptionsFromEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=shared,x-tenant=a%20b',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: ' x-api-key = own%3D1 ',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
      OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'gzip',
    });
    expect(options).toEqual({
      url: 'http://c:4318/v1/traces',
      headers: { 'x-api-key': 'own=1', 'x-tenant': 'a b' },
      timeoutMs: 2500,
      compression: 'gzip',
    });
  });

  it('defaults to 10 s, no compression, no headers; ignores a timeout that is not a positive number', () => {
    expect(
      otlpTraceOptionsFromEnv({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '-5',
        OTEL_EXPORTER_OTLP_COMPRESSION: 'brotli',
      }),
    ).toEqual({
      url: 'http://c:4318/v1/traces',
      headers: {},
      timeoutMs: 10_000,
      compression: 'none',
    });
  });
});

interface Received {
  readonly url: string | undefined;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

/** A loopback collector answering each export with `answer`. */
async function collector(answer: (response: ServerResponse) => void) {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ url: request.url, headers: request.headers, body: Buffer.concat(chunks) });
      answer(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  closers.push(close);
  return { endpoint: `http://127.0.0.1:${port}`, received };
}
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const exportOnce = (exporter: OtlpJsonTraceExporter, spans: ReadableSpan[]) =>
  new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));

const SECRET = 'k3y-that-must-not-leak';
const optionsFor = (endpoint: string, env: Record<string, string> = {}): OtlpExporterOptions =>
  otlpTraceOptionsFromEnv({
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_HEADERS: `x-api-key=${SECRET}`,
    ...env,
  });

describe('OtlpJsonTraceExporter', () => {
  it('POSTs the encoded spans as JSON to /v1/traces with the configured headers', async () => {
    const { endpoint, received } = await collector((response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
    );
    const spans = finishedSpans();
    const result = await exportOnce(new OtlpJsonTraceExporter(optionsFor(endpoint)), spans);
    expect(result).toEqual({ code: ExportResultCode.SUCCESS });
    expect(received).toHaveLength(1);
    expect(received[0]!.url).toBe('/v1/traces');
    expect(received[0]!.headers['content-type']).toBe('application/json');
    expect(received[0]!.headers['x-api-key']).toBe(SECRET);
    expect(received[0]!.headers['user-agent']).toBe('bitrix24-dialog-graphql');
    expect(received[0]!.body.toString('utf8')).toBe(officialJson(spans));
  });

  it('gzips the body when asked to', async () => {
    const { endpoint, received } = await collector((response) => response.writeHead(200).end());
    const spans = finishedSpans();
    const exporter = new OtlpJsonTraceExporter(
      optionsFor(endpoint, { OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' }),
    );
    expect((await exportOnce(exporter, spans)).code).toBe(ExportResultCode.SUCCESS);
    expect(received[0]!.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(received[0]!.body).toString('utf8')).toBe(officialJson(spans));
  });

  it('fails on a non-2xx answer, saying the status and not the headers', async () => {
    const { endpoint, received } = await collector((response) =>
      response.writeHead(400).end(`bad request; you sent x-api-key=${SECRET}`),
    );
    const result = await exportOnce(
      new OtlpJsonTraceExporter(optionsFor(endpoint)),
      finishedSpans(),
    );
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toBe('the collector answered HTTP 400');
    expect(received).toHaveLength(1); // 400 is not worth a retry
  });

  it('retries a 503 after the Retry-After the collector asks for, then succeeds', async () => {
    let answers = 0;
    const { endpoint, received } = await collector((response) => {
      answers += 1;
      if (answers === 1) response.writeHead(503, { 'retry-after': '0' }).end();
      else response.writeHead(200).end('{}');
    });
    const result = await exportOnce(
      new OtlpJsonTraceExporter(optionsFor(endpoint)),
      finishedSpans(),
    );
    expect(result).toEqual({ code: ExportResultCode.SUCCESS });
    expect(received).toHaveLength(2);
  });

  it('gives up on a collector that never answers at the timeout, and shutdown waits no longer', async () => {
    const { endpoint, received } = await collector(() => {
      // never answers
    });
    const exporter = new OtlpJsonTraceExporter(
      optionsFor(endpoint, { OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '150' }),
    );
    const started = Date.now();
    const exported = exportOnce(exporter, finishedSpans());
    await exporter.shutdown();
    const result = await exported;
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toMatch(/^the collector did not answer within \d+ ms$/);
    expect(result.error?.message).not.toContain(SECRET);
    expect(received).toHaveLength(1);
    // Shut down, it refuses further exports at once.
    expect((await exportOnce(exporter, finishedSpans())).code).toBe(ExportResultCode.FAILED);
  });

  it('keeps its own Content-Type over a configured one, and fails on an invalid header without quoting it', async () => {
    const { endpoint, received } = await collector((response) => response.writeHead(200).end());
    const clashing = new OtlpJsonTraceExporter(
      optionsFor(endpoint, { OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'content-type=text/plain' }),
    );
    expect((await exportOnce(clashing, finishedSpans())).code).toBe(ExportResultCode.SUCCESS);
    expect(received[0]!.headers['content-type']).toBe('application/json');
    const invalid = new OtlpJsonTraceExporter({
      ...optionsFor(endpoint),
      headers: { 'x-api-key': `${SECRET}\r\nx-injected: 1` },
    });
    const result = await exportOnce(invalid, finishedSpans());
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toBe('could not send to the collector: TypeError');
    expect(received).toHaveLength(1);
  });

  it('says so when the endpoint is on a port fetch refuses', async () => {
    const result = await exportOnce(
      new OtlpJsonTraceExporter(optionsFor('http://127.0.0.1:9')),
      finishedSpans(),
    );
    expect(result.error?.message).toBe(
      'could not send to the collector: fetch refuses to use that port (a "bad port")',
    );
  });

  it('fails with the network error when nothing listens, without the headers', async () => {
    const { endpoint } = await collector(() => {});
    await Promise.all(closers.splice(0).map((close) => close()));
    const result = await exportOnce(
      new OtlpJsonTraceExporter(optionsFor(endpoint, { OTEL_EXPORTER_OTLP_TIMEOUT: '300' })),
      finishedSpans(),
    );
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toBe('could not reach the collector: ECONNREFUSED');
  });
});
