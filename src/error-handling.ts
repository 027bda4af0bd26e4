import { GraphQLError } from 'graphql';
import { handleStreamOrSingleExecutionResult, maskError, type Plugin, type YogaInitialContext } from 'graphql-yoga';
import type { Logger } from 'pino';
import { Bitrix24Error, DialogLookupError } from './bitrix/errors.js';
import type { RequestContext } from './context.js';
import { publicLookupError, publicUpstreamError } from './schema/errors.js';

/**
 * Upstream failures become typed errors with an `extensions.code`, and so do documented per-dialog
 * errors where no union carries them (federation `_entities`); everything else is masked
 * exactly as yoga masks it (a generic message, `INTERNAL_SERVER_ERROR`). Never in "dev" mode:
 * yoga's dev mode would put the original error, and whatever URL it holds, into the response.
 */
export function maskUpstreamErrors(error: unknown, message: string): Error {
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
export function useErrorLogging(logger: Logger): Plugin<YogaInitialContext & RequestContext> {
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
