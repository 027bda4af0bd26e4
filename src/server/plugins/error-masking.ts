import { GraphQLError } from 'graphql';
import { isAsyncIterable, maskError, type Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { Bitrix24Error, DialogLookupError, type FailureClass } from '../../bitrix/errors.js';
import { requestAbortCause } from './request-deadline.js';
import { recordFor } from './request-log.js';
import { publicLookupError, publicUpstreamError } from './error-policy.js';

/**
 * What each error a client sees stood for, remembered while masking (which knows the original but
 * not the request) until the result is processed (which knows the request): failures of the portal
 * and errors nobody expected are logged there, once, with the request id.
 */
const upstreamFailures = new WeakMap<GraphQLError, Bitrix24Error>();
const unexpectedErrors = new WeakMap<GraphQLError, unknown>();

/**
 * Upstream failures become typed errors with an `extensions.code`, and so do documented per-dialog
 * errors where no union carries them (federation `_entities`); everything else is masked
 * exactly as yoga masks it (a generic message, `INTERNAL_SERVER_ERROR`). Never in "dev" mode:
 * yoga's dev mode would put the original error, and whatever URL it holds, into the response.
 */
export function maskUpstreamErrors(error: unknown, message: string): Error {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const located = error instanceof GraphQLError ? error : undefined;
  if (original instanceof Bitrix24Error) {
    const visible = publicUpstreamError(original, located);
    if (visible) {
      upstreamFailures.set(visible, original);
      return visible;
    }
  }
  if (original instanceof DialogLookupError) return publicLookupError(original, located);
  const masked = maskError(error, message, false);
  // yoga returns the client's own GraphQL errors (syntax, validation, refusals) as they are.
  if (masked !== error && masked instanceof GraphQLError) unexpectedErrors.set(masked, original);
  return masked;
}

/**
 * Expected outcomes are never `error`: the caller's credentials at `info`, a refusal for the budget
 * at `warn`. A portal that is away is `info` per request: the outage itself is one warning when it
 * starts and one line when it ends (PortalHealth), not a warning per request that meets it.
 */
const LEVEL_BY_FAILURE: Record<FailureClass, 'info' | 'warn' | 'error'> = {
  unauthenticated: 'info',
  forbidden: 'info',
  'rate-limited': 'warn',
  unavailable: 'info',
  timeout: 'info',
  // Masked, and a bug or a misconfiguration: reported as unexpected.
  protocol: 'error',
  // Our own client left: nothing went wrong upstream.
  cancelled: 'info',
};

/**
 * Refusals of our own, made before or instead of a call (pacing, deadlines, a paused method): the
 * request line already tells them (`upstreamCodes`), and a burst of refused requests must not
 * write a line per refusal twice.
 */
function isLocalRefusal(error: Bitrix24Error): boolean {
  return error.local;
}

/**
 * Logs, once the answer is ready: one line per distinct upstream failure of the request (by code,
 * with how many fields it failed), and one `error` line per unexpected error with its message,
 * stack and the request id. Per-dialog errors, refusals and the client's own mistakes are not
 * logged here: the request line (request-log.ts) has their codes. When the client has gone away,
 * what its leaving cut short is not logged as the portal's failure.
 */
export function useErrorLogging(logger: Logger): Plugin {
  return {
    onResultProcess({ request, result }) {
      if (isAsyncIterable(result)) return;
      const { requestId } = recordFor(request);
      const clientClosed = requestAbortCause(request) === 'client-closed';
      const failures = new Map<string, { error: Bitrix24Error; fields: number }>();
      // A failed batch fails up to 50 fields with one error: one line for all of them.
      const unexpected = new Set<unknown>();
      for (const single of Array.isArray(result) ? result : [result]) {
        for (const error of single.errors ?? []) {
          if (!(error instanceof GraphQLError)) continue;
          const failure = upstreamFailures.get(error);
          if (failure && !isLocalRefusal(failure) && !clientClosed) {
            const seen = failures.get(failure.code);
            if (seen) seen.fields++;
            else failures.set(failure.code, { error: failure, fields: 1 });
          }
          const original = unexpectedErrors.get(error);
          const key = original instanceof Bitrix24Error ? original.code : original;
          if (original !== undefined && !unexpected.has(key)) {
            unexpected.add(key);
            const upstream =
              original instanceof Bitrix24Error
                ? {
                    failure: original.failure,
                    upstreamCode: original.code,
                    status: original.status,
                  }
                : {};
            logger.error(
              { requestId, ...upstream, err: original, path: error.path },
              'unexpected error',
            );
          }
        }
      }
      for (const { error, fields } of failures.values()) {
        logger[LEVEL_BY_FAILURE[error.failure]](
          {
            requestId,
            failure: error.failure,
            upstreamCode: error.code,
            status: error.status,
            fields,
          },
          error.message,
        );
      }
    },
  };
}

/** Arguments of yoga's own log calls, with errors as pino serialises them (JSON.stringify shows `{}`). */
function serialisable(args: unknown[]): unknown[] {
  return args.map((arg) =>
    arg instanceof Error ? { type: arg.name, message: arg.message, stack: arg.stack } : arg,
  );
}

/**
 * yoga's logger. Its `error` calls are one per masked error (every upstream error of every field):
 * `useErrorLogging` logs those once per request with the request id, so yoga's go to `debug`.
 * Its `debug` narration of every request goes below our own debug lines.
 */
export function yogaLogging(logger: Logger) {
  return {
    debug: (...args: unknown[]) => logger.trace({ args: serialisable(args) }, 'yoga'),
    info: (...args: unknown[]) => logger.info({ args: serialisable(args) }, 'yoga'),
    warn: (...args: unknown[]) => logger.warn({ args: serialisable(args) }, 'yoga'),
    error: (...args: unknown[]) => logger.debug({ args: serialisable(args) }, 'yoga: masked error'),
  };
}
