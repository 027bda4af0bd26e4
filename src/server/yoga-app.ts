import { createServer, type Server } from 'node:http';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { PortalTarget } from '../bitrix/credentials.js';
import type { DialogCache } from '../bitrix/dialog-cache.js';
import type { UserCache } from '../bitrix/user-cache.js';
import type { AdmissionControl } from './admission.js';
import type { PortalHealth } from '../bitrix/portal-health.js';
import type { UpstreamScheduler } from '../bitrix/scheduler/upstream-scheduler.js';
import type { RequestContext } from '../schema/context.js';
import { createContextFactory } from './context.js';
import { withHostCheck } from './host-check.js';
import type { Tracing } from './tracing.js';
import { maskUpstreamErrors, useErrorLogging, yogaLogging } from './plugins/error-masking.js';
import { useExactIds } from './plugins/exact-ids.js';
import { useNoFederationSdl } from './plugins/federation-sdl.js';
import { EXAMPLE_QUERY, localGraphiQL } from './plugins/graphiql.js';
import { corsFor, useBrowserCsrfPrevention } from './plugins/browser-protection.js';
import { useLanding } from './plugins/landing.js';
import {
  DEFAULT_OPERATION_LIMITS,
  operationLimitPlugins,
  type OperationLimits,
} from './plugins/operation-limits.js';
import type { Metrics } from './plugins/metrics.js';
import { usePersistedOperationsOnly } from './plugins/persisted-operations.js';
import { usePortalReadiness } from './plugins/readiness.js';
import { useRequestDeadlines } from './plugins/request-deadline.js';
import {
  useMalformedParametersAsBadRequest,
  useSingleAuthorizationHeader,
} from './plugins/request-checks.js';
import type { RequestPipeline } from './plugins/request-pipeline.js';
import { useRequestLog } from './plugins/request-log.js';
import { schema } from '../schema/index.js';

export interface YogaAppOptions {
  readonly portal: PortalTarget;
  readonly scheduler: UpstreamScheduler;
  readonly health: PortalHealth;
  readonly logger: Logger;
  /** How long one GraphQL request may wait on the portal, retries and pacing included. */
  readonly deadlineMs: number;
  readonly graphiql: boolean;
  /** Serve introspection (GraphiQL and codegen need it); off hides the schema and field suggestions. */
  readonly introspection: boolean;
  /** Serve federation's `_service { sdl }`; default: as `introspection`. */
  readonly federationSdl?: boolean;
  readonly corsOrigins: readonly string[];
  /** Host header names served (HOST_ALLOWLIST); empty or unset: any well-formed Host. */
  readonly hostAllowlist?: readonly string[];
  readonly maxRequestBodyBytes: number;
  readonly limits?: OperationLimits;
  /** Dialogs cached across requests, per caller (CACHE_TTL_MS > 0). */
  readonly cache?: DialogCache | undefined;
  /** Users cached the same way, in the same store. */
  readonly userCache?: UserCache | undefined;
  /** Prometheus metrics served at `/metrics`; none: no endpoint. */
  readonly metrics?: Metrics;
  /** When given, only these operations run (hash → document). */
  readonly persistedOperations?: ReadonlyMap<string, string>;
  /** True once the process is shutting down: readiness turns 503 so balancers stop sending. */
  readonly draining?: () => boolean;
  /** Why the server runs degraded (shared state unavailable), shown by `/readiness`. */
  readonly degraded?: () => string | undefined;
  /** yoga's parse and validation cache (default on); off only to measure what it saves (bench). */
  readonly parseCache?: boolean;
  /** Counts requests on their way to their resolvers, for the scheduler's batch window. */
  readonly pipeline?: RequestPipeline;
  /** Bounds the operations in progress; the rest are answered 503 before yoga sees them. */
  readonly admission?: AdmissionControl;
  /** OpenTelemetry traces, when configured. */
  readonly tracing?: Tracing;
}

export interface YogaApp {
  readonly yoga: YogaServerInstance<Record<string, never>, RequestContext>;
  readonly server: Server;
}

export function createYogaApp(options: YogaAppOptions): YogaApp {
  const { logger } = options;
  const graphiql = options.graphiql
    ? localGraphiQL({
        title: 'Bitrix24 dialogs — GraphiQL',
        defaultQuery: EXAMPLE_QUERY,
        // yoga's GraphiQL build seeds the editor from `query` and ignores `defaultQuery`.
        query: EXAMPLE_QUERY,
        ...(options.portal.kind === 'oauth'
          ? { headers: JSON.stringify({ Authorization: 'Bearer PASTE_A_BITRIX24_ACCESS_TOKEN' }) }
          : {}),
        ...(options.portal.kind === 'portals'
          ? {
              headers: JSON.stringify({
                Authorization: 'Bearer PASTE_A_BITRIX24_ACCESS_TOKEN',
                'X-Bitrix24-Domain': 'YOUR_PORTAL.bitrix24.com',
              }),
            }
          : {}),
      })
    : undefined;
  const yoga = createYoga<Record<string, never>, RequestContext>({
    schema,
    context: createContextFactory({
      portal: options.portal,
      lookups: options.tracing ? options.tracing.lookupsFor(options.scheduler) : options.scheduler,
      deadlineMs: options.deadlineMs,
      cache: options.cache,
      userCache: options.userCache,
      ...(options.tracing ? { aroundBatch: options.tracing.aroundBatch } : {}),
    }),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    cors: corsFor(options.corsOrigins),
    maxRequestBodySize: options.maxRequestBodyBytes,
    parserAndValidationCache: options.parseCache ?? true,
    // Batched requests (an array of operations) would multiply every per-operation limit.
    batching: false,
    // Set explicitly: yoga would otherwise serve GraphiQL whatever NODE_ENV says.
    graphiql: graphiql ? graphiql.graphiql : false,
    ...(graphiql ? { renderGraphiQL: graphiql.render } : {}),
    maskedErrors: { maskError: maskUpstreamErrors },
    logging: yogaLogging(logger),
    plugins: [
      // First, so that the request's span covers what the other plugins do.
      ...(options.tracing ? [options.tracing.plugin] : []),
      useRequestLog(logger),
      ...(options.pipeline ? [options.pipeline.plugin()] : []),
      useRequestDeadlines(
        options.deadlineMs,
        options.admission ? (node) => options.admission?.arrivedAt(node) : undefined,
      ),
      ...(options.metrics ? [options.metrics.plugin] : []),
      ...(options.persistedOperations
        ? [usePersistedOperationsOnly(options.persistedOperations)]
        : []),
      useBrowserCsrfPrevention(),
      useSingleAuthorizationHeader(),
      useMalformedParametersAsBadRequest(),
      ...(options.introspection ? [] : [useDisableIntrospection()]),
      ...((options.federationSdl ?? options.introspection) ? [] : [useNoFederationSdl()]),
      useExactIds(),
      ...operationLimitPlugins(options.limits ?? DEFAULT_OPERATION_LIMITS, {
        blockSuggestions: !options.introspection,
      }),
      useErrorLogging(logger),
      usePortalReadiness(options),
      ...(graphiql ? [graphiql.plugin] : []),
      useLanding({ graphiql: graphiql !== undefined }),
    ],
  });
  // The Host check first (a misdirected request is no load), then admission control.
  const server = createServer(
    withHostCheck(
      options.admission ? options.admission.wrap(yoga) : yoga,
      options.hostAllowlist ?? [],
    ),
  );
  // Bound how long a client may hold a connection without sending a complete request.
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  return { yoga, server };
}
