import { setMaxListeners } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { RequestAborted, type AbortCause } from '../../bitrix/abort.js';

export { RequestAborted, type AbortCause };

/** Whatever yoga gives as the request's signal: on Node 26 it is not a native AbortSignal. */
interface SignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface RequestDeadline {
  /** Epoch ms by which every upstream wait of the request must end. */
  readonly at: number;
  /** Aborts at the deadline or when the client goes away, with a `RequestAborted` reason. */
  readonly signal: AbortSignal;
  /** Clears the timer and the listener once the request has its answer. */
  dispose(): void;
}

/**
 * A deadline signal built from a timer the request owns. Not `AbortSignal.any([request.signal,
 * AbortSignal.timeout(ms)])`: Node 26 rejects yoga's request signal there (not a native
 * AbortSignal), and on Node 20 the timeout signal inside `any` can be garbage-collected and never fire.
 */
export function startRequestDeadline(
  clientSignal: SignalLike | undefined,
  ms: number,
): RequestDeadline {
  const controller = new AbortController();
  // Every dialog lookup of the request listens to it: 200 listeners are expected, not a leak.
  setMaxListeners(0, controller.signal);
  const abort = (cause: AbortCause) => {
    if (!controller.signal.aborted) controller.abort(new RequestAborted(cause));
  };
  const onClientAbort = () => abort('client-closed');
  const timer = setTimeout(() => abort('deadline'), ms);
  // The timer bounds a request, not the process: it must not keep a draining process alive.
  timer.unref();
  if (clientSignal?.aborted) onClientAbort();
  else clientSignal?.addEventListener('abort', onClientAbort, { once: true });
  return {
    at: Date.now() + ms,
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      clientSignal?.removeEventListener('abort', onClientAbort);
    },
  };
}

const deadlines = new WeakMap<Request, RequestDeadline>();

/** The deadline of `request`, started on first use. */
export function deadlineFor(request: Request, ms: number): RequestDeadline {
  let deadline = deadlines.get(request);
  if (!deadline) {
    deadline = startRequestDeadline(request.signal as SignalLike, ms);
    deadlines.set(request, deadline);
  }
  return deadline;
}

/** Why `request`'s upstream work was cut short (its client left, or its deadline passed), if it was. */
export function requestAbortCause(request: Request): AbortCause | undefined {
  const reason: unknown = deadlines.get(request)?.signal.reason;
  return reason instanceof RequestAborted ? reason.why : undefined;
}

/**
 * Starts each GraphQL request's deadline as soon as yoga sees the request (when `deadlineMs` is
 * given), so that reading, parsing and validating it count against the deadline too, or from when
 * it arrived, when admission control says (it may have waited its turn), and releases the
 * deadline's timer as soon as the response is ready.
 */
export function useRequestDeadlines(
  deadlineMs?: number,
  arrivedAt?: (node: IncomingMessage) => number | undefined,
  graphqlPath = '/graphql',
): Plugin {
  return {
    onRequest({ request, url, serverContext }) {
      if (deadlineMs === undefined || url.pathname !== graphqlPath) return;
      const node = (serverContext as { req?: IncomingMessage }).req;
      const since = node ? arrivedAt?.(node) : undefined;
      const waited = since === undefined ? 0 : performance.now() - since;
      deadlineFor(request, Math.max(1, deadlineMs - waited));
    },
    onResponse({ request }) {
      deadlines.get(request)?.dispose();
      deadlines.delete(request);
    },
  };
}
