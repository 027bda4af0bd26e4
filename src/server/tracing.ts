import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Link,
  type Span,
  type TextMapGetter,
} from '@opentelemetry/api';
import {
  ExportResultCode,
  W3CTraceContextPropagator,
  type ExportResult,
} from '@opentelemetry/core';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import {
  DependencyWatch,
  reasonOf,
  type AvailabilityListener,
} from '../bitrix/dependency-watch.js';
import { Bitrix24Error } from '../bitrix/errors.js';
import type { DialogLookups } from '../bitrix/dialog-loader.js';
import type { SchedulerEvents, UpstreamCallInfo } from '../bitrix/scheduler/portal-scheduler.js';
import type { TransportEvents } from '../bitrix/transport.js';
import type { TracingConfig } from '../config.js';
import type { BatchWrapper } from './context.js';
import { OtlpJsonTraceExporter, otlpTraceOptionsFromEnv } from './otlp-json-exporter.js';

/**
 * OpenTelemetry traces, loaded only when OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT is set (main.ts and
 * the tests never load this module otherwise: tracing off costs nothing). The SDK reads the rest of
 * the standard environment itself (OTEL_TRACES_SAMPLER, OTEL_BSP_*, OTEL_RESOURCE_ATTRIBUTES…), the
 * exporter (otlp-json-exporter.ts) the OTEL_EXPORTER_OTLP_* endpoint, headers, timeout, compression.
 *
 * Spans: one SERVER span per GraphQL request (joining the caller's `traceparent`), named after
 * the operation; one per batch of dialog or user ids the request's DataLoaders gather; one per wait for
 * the portal's budget (how long, and which limit held it); one CLIENT span per upstream call
 * (method, commands, portal, outcome, refusal code, retry number). Attributes hold names, counts
 * and codes only: never a token, the webhook URL, dialog ids or anything the portal answered.
 */

const propagator = new W3CTraceContextPropagator();
const headersGetter: TextMapGetter<Headers> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => [...headers.keys()],
};
/** The budget refusals a call can meet (the scheduler's own pacing never reaches the portal). */
const REFUSALS = new Set(['QUERY_LIMIT_EXCEEDED', 'OPERATION_TIME_LIMIT']);

export interface Tracing {
  /** yoga plugin: the request's span, its operation's name and type, resolvers run inside it. */
  readonly plugin: Plugin;
  /** Hooks for the scheduler (budget waits, calls) and the transport (HTTP status). */
  readonly events: Required<
    Pick<SchedulerEvents, 'aroundCall'> & Pick<TransportEvents, 'onAttempt'>
  >;
  /** The request's lookups, each carrying the trace context it was asked in. */
  lookupsFor(lookups: DialogLookups): DialogLookups;
  /** Wraps a DataLoader batch (of dialogs or of users) in a span of its own. */
  readonly aroundBatch: BatchWrapper;
  /** Sends what is still buffered; for shutdown. */
  shutdown(): Promise<void>;
}

/** Reports export failures as the `otlp` dependency: one warning per outage, one line when back. */
class WatchedExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly watch: DependencyWatch,
    private readonly target: string,
  ) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) this.watch.succeeded(this.target);
      else this.watch.failed(this.target, result.error ? reasonOf(result.error) : 'export failed');
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

export function startTracing(
  config: TracingConfig,
  { logger, onAvailabilityChange }: { logger: Logger; onAvailabilityChange?: AvailabilityListener },
): Tracing {
  const watch = new DependencyWatch({
    dependency: 'otlp',
    logger,
    lostMessage: (target) =>
      `trace export unavailable: spans for ${target} are dropped until the collector answers`,
    backMessage: () => 'trace export works again',
    ...(onAvailabilityChange ? { onChange: onAvailabilityChange } : {}),
  });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }).merge(
      detectResources({ detectors: [envDetector] }),
    ),
    spanProcessors: [
      new BatchSpanProcessor(
        new WatchedExporter(
          new OtlpJsonTraceExporter(otlpTraceOptionsFromEnv(process.env)),
          watch,
          config.collectorHost,
        ),
      ),
    ],
  });
  // The global context manager (AsyncLocalStorage): a span set active stays active across awaits.
  provider.register();
  const tracer = provider.getTracer('bitrix24-dialog-graphql');
  const requestSpans = new WeakMap<Request, Span>();

  const plugin: Plugin = {
    onRequest({ request, url }) {
      if (!url.pathname.endsWith('/graphql') || request.method === 'OPTIONS') return;
      const parent = propagator.extract(ROOT_CONTEXT, request.headers, headersGetter);
      const span = tracer.startSpan(
        'graphql',
        {
          kind: SpanKind.SERVER,
          attributes: { 'http.request.method': request.method, 'url.path': url.pathname },
        },
        parent,
      );
      requestSpans.set(request, span);
    },
    onExecute({ args, setExecuteFn, executeFn }) {
      const span = requestSpans.get(args.contextValue.request);
      if (!span) return;
      const operation = getOperationAST(args.document, args.operationName);
      const type = operation?.operation ?? 'query';
      const name = operation?.name?.value;
      span.updateName(name ? `${type} ${name}` : type);
      span.setAttribute('graphql.operation.type', type);
      if (name) span.setAttribute('graphql.operation.name', name);
      const active = trace.setSpan(context.active(), span);
      // Resolvers, DataLoader batches and lookups run inside the request's span.
      setExecuteFn((executeArgs) => context.with(active, () => executeFn(executeArgs)));
      return {
        onExecuteDone({ result }) {
          const errors = 'errors' in result ? (result.errors?.length ?? 0) : 0;
          if (errors > 0) span.setAttribute('graphql.error.count', errors);
        },
      };
    },
    onResponse({ request, response }) {
      const span = requestSpans.get(request);
      if (!span) return;
      requestSpans.delete(request);
      span.setAttribute('http.response.status_code', response.status);
      if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      // W3C Trace Context level 2: the caller learns which trace (and span) served it.
      const { traceId, spanId, traceFlags } = span.spanContext();
      try {
        response.headers.set(
          'traceresponse',
          `00-${traceId}-${spanId}-${traceFlags.toString(16).padStart(2, '0')}`,
        );
      } catch {
        // Immutable headers (a response yoga built elsewhere): the spans still say it all.
      }
      span.end();
    },
  };

  const aroundCall = async <T>(call: UpstreamCallInfo, send: () => Promise<T>): Promise<T> => {
    const now = Date.now();
    // One budget-wait span per request the call serves, under that request's span.
    const byContext = new Map<Context, UpstreamCallInfo['waits'][number][]>();
    for (const wait of call.waits) {
      const parent = (wait.request.traceContext as Context | undefined) ?? ROOT_CONTEXT;
      byContext.set(parent, [...(byContext.get(parent) ?? []), wait]);
    }
    for (const [parent, waits] of byContext) {
      const longest = waits.reduce((a, b) => (b.queuedMs > a.queuedMs ? b : a));
      tracer
        .startSpan(
          'bitrix24 budget wait',
          {
            startTime: now - longest.queuedMs,
            attributes: {
              'bitrix24.portal': call.portal,
              'bitrix24.queue_ms': longest.queuedMs,
              'bitrix24.held_by': longest.heldBy,
              'bitrix24.lookups': waits.length,
            },
          },
          parent,
        )
        .end(now);
    }
    const [first, ...others] = [...byContext.keys()];
    const links: Link[] = others
      .map((other) => trace.getSpanContext(other))
      .filter((spanContext) => spanContext !== undefined)
      .map((spanContext) => ({ context: spanContext }));
    const span = tracer.startSpan(
      `bitrix24 ${call.method}`,
      {
        kind: SpanKind.CLIENT,
        links,
        attributes: {
          'rpc.system': 'bitrix24',
          'rpc.method': call.method,
          'bitrix24.method': call.method,
          'bitrix24.commands': call.commands,
          'bitrix24.portal': call.portal,
          'server.address': call.portal,
          'bitrix24.retry': call.retry,
          'bitrix24.requests': byContext.size,
        },
      },
      first ?? ROOT_CONTEXT,
    );
    try {
      const result = await context.with(trace.setSpan(first ?? ROOT_CONTEXT, span), send);
      span.setAttribute('bitrix24.outcome', 'ok');
      return result;
    } catch (error) {
      // Codes only: a portal's error text may echo the caller's token.
      const code = error instanceof Bitrix24Error ? error.code : 'UNEXPECTED';
      span.setAttribute('bitrix24.outcome', code);
      if (REFUSALS.has(code)) span.setAttribute('bitrix24.refusal_code', code);
      span.setStatus({ code: SpanStatusCode.ERROR, message: code });
      throw error;
    } finally {
      span.end();
    }
  };

  return {
    plugin,
    events: {
      aroundCall,
      onAttempt: ({ status }) => {
        if (status !== undefined)
          trace.getActiveSpan()?.setAttribute('http.response.status_code', status);
      },
    },
    lookupsFor: (lookups) => ({
      lookupDialog: (request) =>
        lookups.lookupDialog({ ...request, traceContext: context.active() }),
    }),
    aroundBatch: (kind, ids, load) => {
      const span = tracer.startSpan(`${kind} batch`, {
        attributes: {
          [kind === 'dialogs' ? 'bitrix24.dialog_ids' : 'bitrix24.user_ids']: ids.length,
        },
      });
      return context.with(trace.setSpan(context.active(), span), load).finally(() => span.end());
    },
    shutdown: () => provider.shutdown(),
  };
}
