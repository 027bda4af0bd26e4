import { randomUUID } from 'node:crypto';
import { Kind, type DocumentNode } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { requestAbortCause } from './request-deadline.js';

/** What one HTTP request did, gathered along the way and logged as one line when it ends. */
export interface RequestRecord {
  readonly requestId: string;
  readonly startedAt: number;
  operationName: string | undefined;
  /** The portal's host this request's lookups went to, once known. */
  portal: string | undefined;
  /** HTTP calls to the portal made for this request (retries included). */
  upstreamCalls: number;
  /** `extensions.code` of the errors in the answer. */
  readonly errorCodes: Set<string>;
  /** `extensions.upstreamCode` of those errors: what the portal (or our pacing) said. */
  readonly upstreamCodes: Set<string>;
  hadData: boolean;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const records = new WeakMap<Request, RequestRecord>();

/** The record of a request (made on first use); its id is the client's `x-request-id` when sane. */
export function recordFor(request: Request): RequestRecord {
  let record = records.get(request);
  if (!record) {
    const sent = request.headers.get('x-request-id');
    record = {
      requestId: sent !== null && REQUEST_ID.test(sent) ? sent : randomUUID(),
      startedAt: performance.now(),
      operationName: undefined,
      portal: undefined,
      upstreamCalls: 0,
      errorCodes: new Set(),
      upstreamCodes: new Set(),
      hadData: false,
    };
    records.set(request, record);
  }
  return record;
}

function operationNameOf(
  document: DocumentNode,
  requested: string | null | undefined,
): string | undefined {
  if (requested) return requested;
  const operation = document.definitions.find(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION,
  );
  return operation?.kind === Kind.OPERATION_DEFINITION ? operation.name?.value : undefined;
}

function outcomeOf(record: RequestRecord, status: number, request: Request): string {
  // Whatever was answered, nobody read it: the client's leaving is the outcome, not a portal timeout.
  if (requestAbortCause(request) === 'client-closed') return 'client-closed';
  if (status >= 400) return 'refused';
  if (record.errorCodes.size === 0) return 'ok';
  return record.hadData ? 'partial' : 'failed';
}

/**
 * One log line per GraphQL request — request id, operation, status, duration, upstream calls,
 * outcome and error codes — and the request id echoed in the `x-request-id` response header.
 * Requests for other paths (health, metrics, GraphiQL assets) are logged at debug level only.
 */
export function useRequestLog(logger: Logger, graphqlPath = '/graphql'): Plugin {
  return {
    onRequest({ request }) {
      recordFor(request);
    },
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (request)
        recordFor(request).operationName = operationNameOf(args.document, args.operationName);
    },
    // After masking, so the codes are the ones the client sees.
    onResultProcess({ request, result }) {
      if (isAsyncIterable(result)) return;
      const record = recordFor(request);
      for (const single of Array.isArray(result) ? result : [result]) {
        if (single.data) record.hadData = true;
        for (const error of single.errors ?? []) {
          const { code, upstreamCode } =
            (error as { extensions?: { code?: unknown; upstreamCode?: unknown } }).extensions ?? {};
          record.errorCodes.add(typeof code === 'string' ? code : 'UNKNOWN');
          if (typeof upstreamCode === 'string') record.upstreamCodes.add(upstreamCode);
        }
      }
    },
    onResponse({ request, response }) {
      const record = recordFor(request);
      response.headers.set('x-request-id', record.requestId);
      const path = new URL(request.url).pathname;
      const line = {
        requestId: record.requestId,
        method: request.method,
        path,
        status: response.status,
        ms: Math.round(performance.now() - record.startedAt),
        ...(path === graphqlPath
          ? {
              operation: record.operationName ?? null,
              ...(record.portal !== undefined ? { portal: record.portal } : {}),
              upstreamCalls: record.upstreamCalls,
              outcome: outcomeOf(record, response.status, request),
              ...(record.errorCodes.size > 0 ? { errorCodes: [...record.errorCodes] } : {}),
              ...(record.upstreamCodes.size > 0
                ? { upstreamCodes: [...record.upstreamCodes] }
                : {}),
            }
          : {}),
      };
      if (path === graphqlPath) logger.info(line, 'graphql request');
      else logger.debug(line, 'http request');
    },
  };
}
