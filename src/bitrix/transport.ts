import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import got, { RequestError, type Got, type Request as GotRequest } from 'got';
import type { Logger } from 'pino';
import { abortCauseOf } from './abort.js';
import { endpointFor, portalHost, type Credentials } from './credentials.js';
import { interpretEnvelope, isRecord, notJsonAnswer, type SuccessEnvelope } from './envelope.js';
import { Bitrix24Error, DialogLookupError, type FailureClass } from './errors.js';
import { AnswerBudget, type AnswerLease } from './answer-budget.js';
import { DepthGuard, JsonTooDeepError, MAX_JSON_DEPTH, parseJsonBody } from './json-body.js';
import { filteringAgents, isAddressRefusal, type EgressPolicy } from './portal-egress.js';
import type { PortalHealth } from './portal-health.js';

/** What the transport tells about its work (metrics, logs); every hook is optional. */
export interface TransportEvents {
  onAttempt?(event: {
    method: string;
    portal: string;
    outcome: string;
    ms: number;
    status: number | undefined;
  }): void;
}

/**
 * 64 MiB of answers read and parsed at once, all calls together: two answers at the 32 MiB cap.
 * Everyday answers (kilobytes) never wait for it; 20 concurrent 31 MB answers are read a few at a
 * time, and keep the process under 1 GiB (bench/results.md) instead of 2.5 GB.
 */
export const DEFAULT_MAX_ANSWER_BYTES_IN_FLIGHT = 64 * 1024 * 1024;

export interface TransportOptions {
  /** Limit for one HTTP attempt, from sending the request to the last byte of the answer. */
  readonly timeoutMs: number;
  /** The largest answer accepted; a larger one is cut off and refused, never retried. */
  readonly maxAnswerBytes: number;
  /** Bytes of answers read and parsed at once, all calls together; more wait (answer-budget.ts). */
  readonly maxAnswerBytesInFlight?: number;
  readonly logger: Logger;
  /** Told about every well-formed answer of the portal, for readiness. */
  readonly health?: PortalHealth;
  readonly events?: TransportEvents;
  /** Sockets kept per portal host. */
  readonly maxSocketsPerPortal?: number;
  /** Reuse connections to the portal (default). Off only to measure what it saves (bench). */
  readonly keepAlive?: boolean;
  /**
   * Multi-portal mode: portals are named by requests, so every address a name resolves to is
   * checked at connect time (portal-egress.ts). Unset (one configured portal): plain agents.
   */
  readonly egress?: EgressPolicy;
}

export interface AttemptOptions {
  /** Aborts the attempt: the request's deadline passed, or every caller waiting for it went away. */
  readonly signal?: AbortSignal;
  /** A shorter limit than the transport's own, when the callers' deadlines come first. */
  readonly timeoutMs?: number;
  /** Told when the request has been written to the socket: it has left this process. */
  readonly onSent?: () => void;
}

/** 32 MiB: 50 dialogs of a general chat with 5 000 readers each come to ~25 MiB. */
export const DEFAULT_MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/** Failures that still prove the portal's REST layer is up and answering. */
const ANSWERED: ReadonlySet<FailureClass> = new Set([
  'unauthenticated',
  'forbidden',
  'rate-limited',
  'protocol',
]);

/**
 * A failure that says the portal is away (refused, reset, timed out, a proxy's 5xx page), as
 * opposed to one of ours (a deadline, a cancelled request), an oversized answer, or a name that
 * does not exist (multi-portal mode: a caller may name any portal the allow-list matches).
 */
function isOutage(error: Bitrix24Error): boolean {
  return (
    !error.local &&
    (error.failure === 'unavailable' || error.failure === 'timeout') &&
    error.code !== 'ANSWER_TOO_LARGE' &&
    error.code !== 'ENOTFOUND'
  );
}

/** The error for an attempt cut short by its signal: the deadline passed, or the client left. */
export function abortedError(signal: AbortSignal): Bitrix24Error {
  return abortCauseOf(signal) === 'client-closed'
    ? new Bitrix24Error({
        failure: 'cancelled',
        code: 'CLIENT_CLOSED_REQUEST',
        message: 'The client closed the request before Bitrix24 answered',
        retryable: false,
        local: true,
      })
    : new Bitrix24Error({
        failure: 'timeout',
        code: 'DEADLINE_EXCEEDED',
        message: "The request's deadline passed before Bitrix24 answered",
        retryable: false,
        local: true,
      });
}

function tooLarge(maxBytes: number, status: number | undefined): Bitrix24Error {
  return new Bitrix24Error({
    failure: 'unavailable',
    code: 'ANSWER_TOO_LARGE',
    message: `Bitrix24 answered more than ${maxBytes} bytes`,
    status,
    retryable: false,
  });
}

/**
 * A redirect, or a 404 that is not the REST API's own answer (an HTML page, JSON without an error
 * code): no REST API lives at the URL called. The portal URL (or the portal named) is wrong, or
 * the portal is gone; asking again will not change that, and a redirect is never followed (it
 * would replay the token to wherever it points).
 */
function misdirected(status: number): Bitrix24Error {
  const what = status === 404 ? 'HTTP 404 Not Found' : `a redirect (HTTP ${status})`;
  return new Bitrix24Error({
    failure: 'unavailable',
    code: `HTTP_${status}`,
    message: `Bitrix24 answered ${what}: no REST API at this address; check the portal URL`,
    status,
    retryable: false,
  });
}

function carriesErrorCode(parsed: unknown): boolean {
  return isRecord(parsed) && typeof parsed.error === 'string' && parsed.error !== '';
}

function tooDeep(status: number): Bitrix24Error {
  return new Bitrix24Error({
    failure: 'unavailable',
    code: 'ANSWER_TOO_DEEP',
    message: `Bitrix24 answered JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
    status,
    retryable: false,
  });
}

/** The answer's status line and headers, or the failure that came first. */
function responseOf(
  request: GotRequest,
): Promise<{ statusCode: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    request.once('response', resolve);
    request.once('error', reject);
  });
}

/**
 * Reads the body chunk by chunk, each taken from the budget of answers in flight before it is kept;
 * while a chunk waits, nothing more is read from the socket. Refuses a body past the cap, or
 * nested past MAX_JSON_DEPTH, as soon as the chunk that shows it arrives. A wait
 * ends when the caller's signal aborts, or when the request fails (got's timeout, a reset).
 */
async function readBody(
  request: GotRequest,
  lease: AnswerLease,
  limits: { maxAnswerBytes: number; status: number; signal: AbortSignal | undefined },
): Promise<Buffer> {
  // One signal for a wait: the caller's, or the request's own failure. Not AbortSignal.any, which
  // Node 26 refuses for signals that are not its own (request-deadline.ts).
  const waiting = new AbortController();
  const onError = (error: unknown) => waiting.abort(error);
  const onAbort = () => waiting.abort(limits.signal?.reason);
  request.once('error', onError);
  limits.signal?.addEventListener('abort', onAbort, { once: true });
  const depth = new DepthGuard();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limits.maxAnswerBytes) throw tooLarge(limits.maxAnswerBytes, limits.status);
      try {
        depth.check(chunk);
      } catch (error) {
        if (error instanceof JsonTooDeepError) throw tooDeep(limits.status);
        throw error;
      }
      await lease.take(chunk.length, waiting.signal);
      chunks.push(chunk);
    }
  } finally {
    request.off('error', onError);
    limits.signal?.removeEventListener('abort', onAbort);
  }
  return Buffer.concat(chunks, size);
}

/** Transport failures got reports by code, with what they mean for us. */
function transportError(error: unknown, signal: AbortSignal | undefined): Bitrix24Error {
  if (signal?.aborted) return abortedError(signal);
  if (isAddressRefusal(error)) {
    // Refused before connecting: the name resolves to an address outside the egress policy.
    return new Bitrix24Error({
      failure: 'forbidden',
      code: 'PORTAL_ADDRESS_REFUSED',
      message: "The portal's name resolves to an address this server does not call",
      retryable: false,
    });
  }
  const code = error instanceof RequestError ? error.code : 'UNKNOWN';
  if (code === 'ETIMEDOUT')
    return new Bitrix24Error({
      failure: 'timeout',
      code,
      message: 'Bitrix24 did not answer in time',
    });
  // No such name: asking again in a few hundred milliseconds will not make it exist.
  if (code === 'ENOTFOUND')
    return new Bitrix24Error({
      failure: 'unavailable',
      code,
      message: `Could not reach Bitrix24 (${code})`,
      retryable: false,
    });
  // Only the code: got's own message and error object name the URL, which holds a webhook secret.
  return new Bitrix24Error({
    failure: 'unavailable',
    code,
    message: `Could not reach Bitrix24 (${code})`,
  });
}

/**
 * One HTTP request to a portal's REST API and its answer, or a typed error: the bottom layer,
 * shared by every caller (the credentials travel with each call) so keep-alive sockets are shared.
 * No pacing and no retries here: the scheduler above decides when to call and whether to go again.
 */
export class Bitrix24Transport {
  private readonly http: Got;
  /** Bytes of answers read and parsed at once, across every call of this transport. */
  readonly answers: AnswerBudget;

  constructor(private readonly options: TransportOptions) {
    this.answers = new AnswerBudget(
      options.maxAnswerBytesInFlight ?? DEFAULT_MAX_ANSWER_BYTES_IN_FLIGHT,
    );
    const maxSockets = options.maxSocketsPerPortal ?? 64;
    const keepAlive = options.keepAlive ?? true;
    const { egress } = options;
    this.http = got.extend({
      agent: egress
        ? filteringAgents(egress, { keepAlive, maxSockets })
        : {
            http: new HttpAgent({ keepAlive, maxSockets }),
            https: new HttpsAgent({ keepAlive, maxSockets }),
          },
      ...(egress?.lookup ? { dnsLookup: egress.lookup } : {}),
      timeout: { request: options.timeoutMs },
      // Retries are the scheduler's, decided from the Bitrix24 error code, not by got from the status.
      retry: { limit: 0 },
      throwHttpErrors: false,
      // A redirect would replay the token to wherever it points; a portal URL that redirects is a
      // configuration error to fix, not something to follow.
      followRedirect: false,
      headers: { accept: 'application/json', 'user-agent': 'bitrix24-dialog-graphql' },
    });
  }

  /** Calls one REST method once and returns its success envelope, or throws a typed error. */
  async send(
    credentials: Credentials,
    method: string,
    params: Readonly<Record<string, unknown>>,
    attempt: AttemptOptions = {},
  ): Promise<SuccessEnvelope> {
    const { url, authParams } = endpointFor(credentials, method);
    const portal = portalHost(credentials);
    const { health, maxAnswerBytes } = { ...this.options };
    const { signal } = attempt;
    const started = performance.now();
    let status: number | undefined;
    let outcome = 'ok';
    const lease = this.answers.lease();
    let request: GotRequest | undefined;
    try {
      request = this.http.stream.post(url, {
        json: { ...params, ...authParams },
        ...(signal ? { signal } : {}),
        ...(attempt.timeoutMs !== undefined
          ? {
              timeout: {
                request: Math.max(1, Math.min(attempt.timeoutMs, this.options.timeoutMs)),
              },
            }
          : {}),
      });
      // Failures reach us through `responseOf` and the body's iterator; never as an unheard event.
      request.on('error', () => undefined);
      if (attempt.onSent)
        request.on('request', (clientRequest) =>
          clientRequest.once('finish', () => attempt.onSent?.()),
        );
      const response = await responseOf(request);
      status = response.statusCode;
      if (status >= 300 && status < 400) throw misdirected(status);
      const declared = Number(response.headers['content-length']);
      if (declared > maxAnswerBytes) throw tooLarge(maxAnswerBytes, status);
      const body = await readBody(request, lease, { maxAnswerBytes, status, signal });
      let parsed: unknown;
      try {
        parsed = await parseJsonBody(body, signal);
      } catch (error) {
        if (signal?.aborted) throw abortedError(signal);
        if (error instanceof JsonTooDeepError) throw tooDeep(status);
        if (status === 404) throw misdirected(status);
        throw notJsonAnswer(status, body.toString('utf8').trim() === '');
      }
      // A 404 with a Bitrix24 code (ERROR_METHOD_NOT_FOUND) is the REST API's own answer.
      if (status === 404 && !carriesErrorCode(parsed)) throw misdirected(status);
      const envelope = interpretEnvelope(status, parsed);
      health?.recordAnswer(portal);
      return envelope;
    } catch (error) {
      if (error instanceof DialogLookupError) {
        // A documented method error (DIALOG_ID_EMPTY, ACCESS_ERROR) is a well-formed answer.
        health?.recordAnswer(portal);
        outcome = error.code;
        throw error;
      }
      const typed = error instanceof Bitrix24Error ? error : transportError(error, signal);
      if (ANSWERED.has(typed.failure) && typed.status !== undefined) health?.recordAnswer(portal);
      else if (isOutage(typed)) health?.recordFailure(portal, typed.code);
      outcome = typed.code;
      throw typed;
    } finally {
      // Parsed (or given up): its bytes go back to the budget, and the socket is let go.
      lease.release();
      request?.destroy();
      const ms = Math.round(performance.now() - started);
      this.options.events?.onAttempt?.({ method, portal, outcome, ms, status });
      this.options.logger.debug({ method, portal, status, outcome, ms }, 'bitrix24 call');
    }
  }
}
