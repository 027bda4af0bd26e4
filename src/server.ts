import { createServer, type Server } from 'node:http';
import { GraphQLError } from 'graphql';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { createYoga, handleStreamOrSingleExecutionResult, maskError, useReadinessCheck, type Plugin, type YogaInitialContext, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Bitrix24Client } from './bitrix/client.js';
import type { Credentials } from './bitrix/credentials.js';
import type { DialogCache } from './bitrix/dialog-cache.js';
import { Bitrix24Error, DialogLookupError } from './bitrix/errors.js';
import type { PortalHealth } from './bitrix/portal-health.js';
import { createContextFactory, type PortalTarget, type RequestContext } from './context.js';
import { EXAMPLE_QUERY, localGraphiQL } from './graphiql.js';
import { corsFor, useBrowserCsrfPrevention } from './http-protection.js';
import { DEFAULT_LIMITS, operationLimitPlugins, type OperationLimits } from './limits.js';
import type { Metrics } from './metrics.js';
import { usePersistedOperationsOnly } from './persisted-operations.js';
import { useRequestLog } from './request-log.js';
import { schema } from './schema/index.js';
import { publicLookupError, publicUpstreamError } from './schema/errors.js';

export interface AppOptions {
  readonly portal: PortalTarget;
  /** Serve introspection (GraphiQL and codegen need it); off hides the schema and field suggestions. */
  readonly introspection: boolean;
  readonly corsOrigins: readonly string[];
  readonly maxRequestBodyBytes: number;
  readonly limits?: OperationLimits;
  /** Prometheus metrics served at `/metrics`; none: no endpoint. */
  readonly metrics?: Metrics;
  /** When given, only these operations run (hash → document). */
  readonly persistedOperations?: ReadonlyMap<string, string>;
  /** True once the process is shutting down: readiness turns 503 so balancers stop sending. */
  readonly draining?: () => boolean;
  /** Dialogs cached across requests, per caller (CACHE_TTL_MS > 0). */
  readonly cache?: DialogCache | undefined;
  /** Why the server runs degraded (shared state unavailable), shown by `/readiness`. */
  readonly degraded?: () => string | undefined;
  /** yoga's parse and validation cache (default on); off only to measure what it saves (bench). */
  readonly parseCache?: boolean;
  readonly client: Bitrix24Client;
  readonly health: PortalHealth;
  /** How long one GraphQL request may wait on the portal, retries and pacing included. */
  readonly deadlineMs: number;
  readonly logger: Logger;
  readonly graphiql: boolean;
}

export interface App {
  readonly yoga: YogaServerInstance<Record<string, never>, RequestContext>;
  readonly server: Server;
}

/**
 * Upstream failures become typed errors with an `extensions.code`, and so do documented per-dialog
 * errors where no union carries them (federation `_entities`); everything else is masked
 * exactly as yoga masks it (a generic message, `INTERNAL_SERVER_ERROR`). Never in "dev" mode:
 * yoga's dev mode would put the original error, and whatever URL it holds, into the response.
 */
function maskUpstreamErrors(error: unknown, message: string): Error {
  const original = error instanceof GraphQLError ? error.originalError : error;
  const located = error instanceof GraphQLError ? error : undefined;
  if (original instanceof Bitrix24Error) {
    const visible = publicUpstreamError(original, located);
    if (visible) return visible;
  }
  if (original instanceof DialogLookupError) return publicLookupError(original, located);
  return maskError(error, message, false);
}

/** Logs each error of an execution once, with the request id, at a level that matches its cause. */
function useErrorLogging(logger: Logger): Plugin<YogaInitialContext & RequestContext> {
  const logErrors = (errors: readonly GraphQLError[] | undefined, requestId: string) => {
    for (const error of errors ?? []) {
      const original = error.originalError ?? undefined;
      if (original instanceof Bitrix24Error) {
        const level = original.failure === 'protocol' ? 'error' : 'warn';
        logger[level]({ requestId, failure: original.failure, upstreamCode: original.code, status: original.status, path: error.path }, original.message);
      } else if (original !== undefined && !(original instanceof GraphQLError)) {
        logger.error({ requestId, err: original, path: error.path }, 'unexpected error while resolving');
      }
    }
  };
  return {
    onExecute() {
      return {
        onExecuteDone(payload) {
          const { requestId } = payload.args.contextValue;
          return handleStreamOrSingleExecutionResult(payload, ({ result }) => logErrors(result.errors, requestId));
        },
      };
    },
  };
}

const PROBE_TIMEOUT_MS = 3000;

/**
 * `/readiness`: the portal answered within the last 30 s, or answers a `server.time` probe now, and
 * the process is not shutting down.
 */
function usePortalReadiness(options: AppOptions): Plugin {
  const { portal, client, health } = options;
  const probeCredentials: Credentials = portal.kind === 'webhook'
    ? { kind: 'webhook', webhookUrl: portal.webhookUrl }
    // No token of our own in OAuth mode: the NO_AUTH_FOUND envelope still proves the portal answers.
    : { kind: 'oauth', portalUrl: portal.portalUrl, accessToken: '' };
  let probing: Promise<boolean> | undefined;
  const probe = () =>
    (probing ??= client.call(probeCredentials, 'server.time', {}, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS), deadline: Date.now() + PROBE_TIMEOUT_MS, retries: 0 })
      .then(() => true, () => health.answeredRecently())
      .finally(() => {
        probing = undefined;
      }));
  return useReadinessCheck({
    endpoint: '/readiness',
    // 200 `ready` or `degraded` (serving, with a reason: Redis away), 503 `unavailable`.
    check: async ({ fetchAPI }) => {
      const ready = !options.draining?.() && (health.answeredRecently() || (await probe()));
      const reason = options.degraded?.();
      const status = !ready ? 'unavailable' : reason ? 'degraded' : 'ready';
      return new fetchAPI.Response(JSON.stringify({ status, ...(reason ? { reason } : {}) }), {
        status: ready ? 200 : 503,
        headers: { 'content-type': 'application/json' },
      });
    },
  });
}

export function createApp(options: AppOptions): App {
  const { logger } = options;
  const graphiql = options.graphiql
    ? localGraphiQL({
      title: 'Bitrix24 dialogs — GraphiQL',
      defaultQuery: EXAMPLE_QUERY,
      // yoga's GraphiQL build seeds the editor from `query` and ignores `defaultQuery`.
      query: EXAMPLE_QUERY,
      ...(options.portal.kind === 'oauth' ? { headers: JSON.stringify({ Authorization: 'Bearer PASTE_A_BITRIX24_ACCESS_TOKEN' }) } : {}),
    })
    : undefined;
  const yoga = createYoga<Record<string, never>, RequestContext>({
    schema,
    context: createContextFactory({ portal: options.portal, client: options.client, deadlineMs: options.deadlineMs, cache: options.cache }),
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
    logging: {
      // yoga narrates every request at debug level: that belongs below our own debug lines.
      debug: (...args: unknown[]) => logger.trace({ args }, 'yoga'),
      info: (...args: unknown[]) => logger.info({ args }, 'yoga'),
      warn: (...args: unknown[]) => logger.warn({ args }, 'yoga'),
      error: (...args: unknown[]) => logger.error({ args }, 'yoga'),
    },
    plugins: [
      useRequestLog(logger),
      ...(options.metrics ? [options.metrics.plugin] : []),
      ...(options.persistedOperations ? [usePersistedOperationsOnly(options.persistedOperations)] : []),
      useBrowserCsrfPrevention(),
      ...(options.introspection ? [] : [useDisableIntrospection()]),
      ...operationLimitPlugins(options.limits ?? DEFAULT_LIMITS, { blockSuggestions: !options.introspection }),
      useErrorLogging(logger),
      usePortalReadiness(options),
      ...(graphiql ? [graphiql.plugin] : []),
    ],
  });
  const server = createServer(yoga);
  // Bound how long a client may hold a connection without sending a complete request.
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  return { yoga, server };
}
