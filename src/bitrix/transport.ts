import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import got, { CancelError, RequestError, type Got, type Response } from 'got';
import type { Logger } from 'pino';
import { abortCauseOf } from './abort.js';
import { endpointFor, portalHost, type Credentials } from './credentials.js';
import { interpretEnvelope, notJsonAnswer, type SuccessEnvelope } from './envelope.js';
import { Bitrix24Error, DialogLookupError, type FailureClass } from './errors.js';
import { parseJsonBody } from './json-body.js';
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

export interface TransportOptions {
  /** Limit for one HTTP attempt, from sending the request to the last byte of the answer. */
  readonly timeoutMs: number;
  /** The largest answer accepted; a larger one is cut off and refused, never retried. */
  readonly maxAnswerBytes: number;
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

  constructor(private readonly options: TransportOptions) {
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
    let oversized = false;
    try {
      const request = this.http.post(url, {
        json: { ...params, ...authParams },
        responseType: 'buffer',
        ...(signal ? { signal } : {}),
        ...(attempt.timeoutMs !== undefined
          ? {
              timeout: {
                request: Math.max(1, Math.min(attempt.timeoutMs, this.options.timeoutMs)),
              },
            }
          : {}),
      });
      if (attempt.onSent)
        request.on('request', (clientRequest) =>
          clientRequest.once('finish', () => attempt.onSent?.()),
        );
      request.on('downloadProgress', ({ transferred, total }) => {
        if (transferred > maxAnswerBytes || (total !== undefined && total > maxAnswerBytes)) {
          oversized = true;
          request.cancel();
        }
      });
      let response: Response<Buffer>;
      try {
        response = await request;
      } catch (error) {
        if (oversized || error instanceof CancelError) throw tooLarge(maxAnswerBytes, status);
        throw transportError(error, signal);
      }
      status = response.statusCode;
      if (status >= 300 && status < 400) {
        throw new Bitrix24Error({
          failure: 'protocol',
          code: `HTTP_${status}`,
          message: `Bitrix24 answered with a redirect (HTTP ${status}): check the portal URL`,
          status,
          retryable: false,
        });
      }
      let parsed: unknown;
      try {
        parsed = await parseJsonBody(response.body, signal);
      } catch {
        if (signal?.aborted) throw abortedError(signal);
        throw notJsonAnswer(status, response.body.toString('utf8').trim() === '');
      }
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
      const ms = Math.round(performance.now() - started);
      this.options.events?.onAttempt?.({ method, portal, outcome, ms, status });
      this.options.logger.debug({ method, portal, status, outcome, ms }, 'bitrix24 call');
    }
  }
}
