import {
  createCounter,
  createHistogram,
  usePrometheus,
  type FillLabelsFnParams,
} from '@graphql-yoga/plugin-prometheus';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Plugin } from 'graphql-yoga';
import type { SchedulerEvents } from '../../bitrix/scheduler/portal-scheduler.js';
import type { AvailabilityListener } from '../../bitrix/dependency-watch.js';
import type { TransportEvents } from '../../bitrix/transport.js';

/**
 * Label values that come from outside (operation names chosen by clients, error codes chosen by a
 * portal) are bounded: values that look like names, the first `limit` distinct ones; the rest are
 * counted as `other`. Without this, a client sending random operation names, or a portal (or a
 * proxy in front of it) answering random error codes, would grow the metrics without end.
 */
export class BoundedLabels {
  private readonly known_ = new Set<string>();

  constructor(
    private readonly limit = 100,
    private readonly shape = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/,
    private readonly missing = 'anonymous',
  ) {}

  /** `value` when it already has a slot, else `fallback`: for values that must earn their slot. */
  known(value: string, fallback = 'other'): string {
    return this.known_.has(value) ? value : fallback;
  }

  label(value: string | null | undefined): string {
    if (!value) return this.missing;
    if (!this.shape.test(value)) return 'other';
    if (this.known_.has(value)) return value;
    if (this.known_.size >= this.limit) return 'other';
    this.known_.add(value);
    return value;
  }
}

export interface Metrics {
  readonly registry: Registry;
  /** Hooks for the transport and the scheduler: calls, their sizes, retries, the budget. */
  readonly upstreamEvents: TransportEvents & SchedulerEvents;
  /** yoga's Prometheus plugin (GraphQL requests and durations by operation), serving `/metrics`. */
  readonly plugin: Plugin;
  /** Dependencies going away and coming back (Redis, portals, the trace collector): `dependency_up`. */
  readonly availability: AvailabilityListener;
  /** Promises rejected with nobody listening (the process's safety net counts them). */
  readonly unhandledRejections: Counter;
  /** Admission control: requests in progress, requests refused. */
  readonly admissionEvents: { onInFlight(inFlight: number): void; onRefused(): void };
}

export interface MetricsOptions {
  /** prom-client's process and Node.js metrics. */
  readonly processMetrics?: boolean;
  /**
   * Serve `/metrics` through yoga on the main port (default). Off when METRICS_PORT serves it on an
   * internal port instead (see `metricsServer`).
   */
  readonly endpoint?: boolean;
  /** The deployment's own portal (webhook or OAuth mode): labelled from the start. */
  readonly configuredPortal?: string;
}

/** One registry per server, so that several servers in one process (tests) never share counters. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const names = new BoundedLabels();
  // Upstream outcomes: `ok`, Bitrix24's codes (`QUERY_LIMIT_EXCEEDED`, `expired_token`), transport
  // codes (`ECONNRESET`), ours (`HTTP_504`, `PACING_DEADLINE`); a portal knows a few dozen at most.
  const upstreamCodes = new BoundedLabels(50, /^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'unknown');
  // Portal hosts come from requests in multi-portal mode (any name the allow-list matches, chosen
  // by whoever sends the request). A portal earns a series of its own only once it has answered a
  // call successfully, so that made-up names cannot take the 100 slots before real portals do;
  // until then (and past 100) counters add up under `other`, and gauges (a level, a depth) are not
  // kept, since one series for many portals would mean none.
  const portals = new BoundedLabels(100, /^[A-Za-z0-9.:[\]-]{1,300}$/, 'unknown');
  if (options.configuredPortal !== undefined) portals.label(options.configuredPortal);
  const portalLabel = (portal: string): string => portals.known(portal);
  const gaugePortal = (portal: string): string | undefined => {
    const label = portalLabel(portal);
    return label === 'other' ? undefined : label;
  };
  const operationLabels = (params: FillLabelsFnParams) => ({
    operationName: names.label(params.operationName),
    operationType: params.operationType ?? 'unknown',
  });

  const upstreamCalls = new Counter({
    name: 'bitrix24_upstream_requests_total',
    help: 'HTTP calls to the Bitrix24 REST API, by method and outcome (ok, or the error code)',
    labelNames: ['method', 'outcome'],
    registers: [registry],
  });
  const upstreamDuration = new Histogram({
    name: 'bitrix24_upstream_request_duration_seconds',
    help: 'Duration of HTTP calls to the Bitrix24 REST API',
    labelNames: ['method'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const batchSizes = new Histogram({
    name: 'bitrix24_batch_commands',
    help: 'Commands per Bitrix24 batch call',
    buckets: [1, 2, 5, 10, 20, 30, 40, 50],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'bitrix24_upstream_retries_total',
    help: 'Retries of Bitrix24 calls, by method and the error that caused them',
    labelNames: ['method', 'code'],
    registers: [registry],
  });
  const queueDepth = new Gauge({
    name: 'bitrix24_pacing_queue_depth',
    help: "Dialog lookups waiting for the portal's rate budget",
    labelNames: ['portal'],
    registers: [registry],
  });
  const lookupsPerCall = new Histogram({
    name: 'bitrix24_lookups_per_call',
    help: 'Dialog lookups answered by one upstream call (several requests may share a call)',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200],
    registers: [registry],
  });
  const mirrorLevel = new Gauge({
    name: 'bitrix24_bucket_mirror_level',
    help: "The mirror's level of the portal's leaky bucket (calls), after the last call it let go or held",
    labelNames: ['portal'],
    registers: [registry],
  });
  const mirrorCapacity = new Gauge({
    name: 'bitrix24_bucket_mirror_capacity',
    help: 'The bucket size the mirror assumes for the portal (lower while another app shares it)',
    labelNames: ['portal'],
    registers: [registry],
  });
  const refusals = new Counter({
    name: 'bitrix24_refusals_total',
    help: 'Calls the portal refused for its budgets (QUERY_LIMIT_EXCEEDED, OPERATION_TIME_LIMIT)',
    labelNames: ['portal', 'code'],
    registers: [registry],
  });
  const shed = new Counter({
    name: 'bitrix24_shed_lookups_total',
    help: 'Lookups answered at once because the budget could not serve them in time (PACING_DEADLINE, PACING_QUEUE_FULL, PACING_NEWCOMERS_FULL, OPERATION_TIME_LIMIT)',
    labelNames: ['portal', 'code'],
    registers: [registry],
  });

  const unhandledRejections = new Counter({
    name: 'process_unhandled_rejections_total',
    help: 'Promises rejected with nobody listening: bugs the server survived (each is logged)',
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: 'graphql_requests_in_flight',
    help: 'GraphQL requests being worked on (at most MAX_OPERATIONS_IN_FLIGHT)',
    registers: [registry],
  });
  const admissionRefusals = new Counter({
    name: 'graphql_admission_refused_total',
    help: 'GraphQL requests answered 503 at once because MAX_OPERATIONS_IN_FLIGHT were in progress',
    registers: [registry],
  });
  const dependencyUp = new Gauge({
    name: 'dependency_up',
    help: 'Whether a dependency answers (1) or is away (0): redis, portal (by host), otlp (the trace collector)',
    labelNames: ['dependency', 'target'],
    registers: [registry],
  });

  const plugin = usePrometheus({
    registry,
    endpoint: options.endpoint === false ? false : '/metrics',
    skipIntrospection: true,
    metrics: {
      graphql_envelop_request: createCounter({
        registry,
        counter: {
          name: 'graphql_requests_total',
          help: 'GraphQL operations executed, by operation',
          labelNames: ['operationName', 'operationType'],
        },
        fillLabelsFn: operationLabels,
      }),
      graphql_envelop_request_duration: createHistogram({
        registry,
        histogram: {
          name: 'graphql_request_duration_seconds',
          help: 'GraphQL execution time, by operation',
          labelNames: ['operationName', 'operationType'],
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        },
        fillLabelsFn: operationLabels,
      }),
      graphql_envelop_error_result: createCounter({
        registry,
        counter: {
          name: 'graphql_error_results_total',
          help: 'GraphQL operations answered with errors, by operation and phase',
          labelNames: ['operationName', 'operationType', 'phase'],
        },
        fillLabelsFn: (params) => ({
          ...operationLabels(params),
          phase: params.errorPhase ?? 'unknown',
        }),
      }),
      graphql_yoga_http_duration: createHistogram({
        registry,
        histogram: {
          name: 'graphql_http_duration_seconds',
          help: 'HTTP time of GraphQL requests, by operation and status',
          labelNames: ['operationName', 'statusCode'],
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        },
        fillLabelsFn: (params: FillLabelsFnParams & { response?: Response }) => ({
          operationName: names.label(params.operationName),
          statusCode: params.response?.status ?? 0,
        }),
      }),
      // The rest of the plugin's defaults (per-phase histograms, summaries) are off: few series, clear names.
      graphql_envelop_request_time_summary: false,
      graphql_envelop_phase_parse: false,
      graphql_envelop_phase_validate: false,
      graphql_envelop_phase_context: false,
      graphql_envelop_phase_execute: false,
      graphql_envelop_phase_subscribe: false,
      graphql_envelop_deprecated_field: false,
      graphql_envelop_schema_change: false,
      graphql_envelop_execute_resolver: false,
    },
  });

  return {
    registry,
    plugin,
    unhandledRejections,
    admissionEvents: {
      onInFlight: (count) => inFlight.set(count),
      onRefused: () => admissionRefusals.inc(),
    },
    availability: ({ dependency, target, available }) => {
      // Portal hosts come from requests in multi-portal mode: bounded as the other portal gauges.
      const label = dependency === 'portal' ? gaugePortal(target) : target;
      if (label !== undefined) dependencyUp.set({ dependency, target: label }, available ? 1 : 0);
    },
    upstreamEvents: {
      onAttempt: ({ method, portal, outcome, ms }) => {
        if (outcome === 'ok') portals.label(portal);
        upstreamCalls.inc({ method, outcome: upstreamCodes.label(outcome) });
        upstreamDuration.observe({ method }, ms / 1000);
      },
      onRetry: ({ method, code }) => retries.inc({ method, code: upstreamCodes.label(code) }),
      onCall: (_portal, { lookups, commands }) => {
        if (commands > 1) batchSizes.observe(commands);
        lookupsPerCall.observe(lookups);
      },
      onQueueDepth: (portal, depth) => {
        const label = gaugePortal(portal);
        if (label !== undefined) queueDepth.set({ portal: label }, depth);
      },
      onMirrorLevel: (portal, level, capacity) => {
        const label = gaugePortal(portal);
        if (label === undefined) return;
        mirrorLevel.set({ portal: label }, level);
        mirrorCapacity.set({ portal: label }, capacity);
      },
      onRefusal: (portal, code) =>
        refusals.inc({ portal: portalLabel(portal), code: upstreamCodes.label(code) }),
      onShed: (portal, code) =>
        shed.inc({ portal: portalLabel(portal), code: upstreamCodes.label(code) }),
    },
  };
}
