import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import got, { RequestError, type Got } from 'got';
import pRetry from 'p-retry';
import type { Logger } from 'pino';
import { readBatchOutcomes, MAX_BATCH_COMMANDS, type CommandOutcome } from './batch.js';
import { endpointFor, portalHost, type Credentials } from './credentials.js';
import { isRecord, parseEnvelope, phpMap, type SuccessEnvelope, type TimeBlock } from './envelope.js';
import { Bitrix24Error, DialogLookupError, type FailureClass } from './errors.js';
import type { OperatingTime } from './operating-time.js';
import type { Pacer } from './pacer.js';
import type { PortalHealth } from './portal-health.js';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly retries: number;
  /** Delay before the first retry; doubles each time, with jitter (×1–2). */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** What the client tells about its work (metrics, logs); every hook is optional. */
export interface ClientEvents {
  onAttempt?(event: { method: string; portal: string; outcome: string; ms: number; status: number | undefined }): void;
  onRetry?(event: { method: string; portal: string; code: string; attempt: number }): void;
  onBatch?(event: { portal: string; commands: number }): void;
}

export interface Bitrix24ClientOptions {
  /** Limit for one HTTP attempt, from sending the request to the last byte of the answer. */
  readonly timeoutMs: number;
  readonly logger: Logger;
  readonly retry?: RetryPolicy;
  /** Outbound pacing per portal; none means unpaced (tests of the client alone). */
  readonly pacer?: Pacer;
  readonly operatingTime?: OperatingTime;
  /** Told about every well-formed answer of the portal, for readiness. */
  readonly health?: PortalHealth;
  readonly events?: ClientEvents;
  /** Sockets kept per portal; a portal serves ~2 requests/s, so a handful is plenty. */
  readonly maxSocketsPerPortal?: number;
  /** Reuse connections to the portal (default). Off only to measure what it saves (bench). */
  readonly keepAlive?: boolean;
}

/** Bounds of one call: the caller's signal (its request's deadline, or its client going away). */
export interface CallOptions {
  readonly signal?: AbortSignal;
  /** Epoch ms by which the call must be done; lets waits that cannot end in time fail at once. */
  readonly deadline?: number;
  /** Overrides the policy's retries (a readiness probe wants none). */
  readonly retries?: number;
  /** Told of each HTTP attempt made for this call (the request log counts them). */
  readonly onAttempt?: () => void;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 300, maxDelayMs: 5000 };

/** Failures that still prove the portal's REST layer is up and answering. */
const ANSWERED: ReadonlySet<FailureClass> = new Set(['unauthenticated', 'forbidden', 'rate-limited', 'protocol']);

const deadlinePassed = () => new Bitrix24Error('timeout', 'DEADLINE_EXCEEDED', "The request's deadline passed before Bitrix24 answered", undefined, false);

/** Transport failures got reports by code, with what they mean for us. */
function transportError(error: unknown, signal: AbortSignal | undefined): Bitrix24Error {
  if (signal?.aborted) return deadlinePassed();
  const code = error instanceof RequestError ? error.code : 'UNKNOWN';
  if (code === 'ETIMEDOUT') return new Bitrix24Error('timeout', code, 'Bitrix24 did not answer in time');
  // Only the code: got's own message and error object name the URL, which holds a webhook secret.
  return new Bitrix24Error('unavailable', code, `Could not reach Bitrix24 (${code})`);
}

/** The time blocks of a batch's commands (`result_time`), where newer portals report method time. */
function commandTimes(batchResult: unknown): TimeBlock[] {
  if (!isRecord(batchResult)) return [];
  return Object.values(phpMap(batchResult.result_time)).filter(isRecord) as TimeBlock[];
}

/**
 * The Bitrix24 REST client: one per process, shared by every caller (the credentials travel with
 * each call), so keep-alive sockets and the per-portal pacing are shared too.
 *
 * A call: wait out a paused method-time budget → wait for the pacer → one HTTP attempt → on a
 * retryable failure (rate limit, 5xx, reset, timeout) back off exponentially with jitter and go
 * again, within the caller's deadline. Auth, access and method errors are never retried.
 */
export class Bitrix24Client {
  private readonly http: Got;
  private readonly retry: RetryPolicy;

  constructor(private readonly options: Bitrix24ClientOptions) {
    const maxSockets = options.maxSocketsPerPortal ?? 8;
    const keepAlive = options.keepAlive ?? true;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.http = got.extend({
      agent: {
        http: new HttpAgent({ keepAlive, maxSockets }),
        https: new HttpsAgent({ keepAlive, maxSockets }),
      },
      timeout: { request: options.timeoutMs },
      // Retries are decided here from the Bitrix24 error code, not by got from the status alone.
      retry: { limit: 0 },
      throwHttpErrors: false,
      // A redirect would replay the token to wherever it points; a portal URL that redirects is a
      // configuration error to fix, not something to follow.
      followRedirect: false,
      headers: { accept: 'application/json', 'user-agent': 'bitrix24-dialog-graphql' },
    });
  }

  /** Calls one REST method and returns its success envelope, or throws a typed error. */
  async call(
    credentials: Credentials,
    method: string,
    params: Readonly<Record<string, unknown>>,
    callOptions: CallOptions = {},
  ): Promise<SuccessEnvelope> {
    const portal = portalHost(credentials);
    const { signal, deadline } = callOptions;
    let lastError: Bitrix24Error | undefined;
    try {
      return await pRetry(async () => {
        await this.waitForBudget(portal, callOptions);
        try {
          return await this.attempt(credentials, method, params, callOptions);
        } catch (error) {
          if (error instanceof Bitrix24Error) lastError = error;
          throw error;
        }
      }, {
        retries: callOptions.retries ?? this.retry.retries,
        minTimeout: this.retry.baseDelayMs,
        maxTimeout: this.retry.maxDelayMs,
        factor: 2,
        randomize: true,
        ...(signal ? { signal } : {}),
        ...(deadline !== undefined ? { maxRetryTime: Math.max(0, deadline - Date.now()) } : {}),
        shouldRetry: ({ error }) => error instanceof Bitrix24Error && error.retryable && !signal?.aborted,
        onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
          if (!(error instanceof Bitrix24Error) || !error.retryable || retriesLeft === 0) return;
          if (error.code === 'QUERY_LIMIT_EXCEEDED') void this.options.pacer?.backOff(portal);
          this.options.events?.onRetry?.({ method, portal, code: error.code, attempt: attemptNumber });
          this.options.logger.debug({ method, portal, code: error.code, attempt: attemptNumber }, 'retrying a bitrix24 call');
        },
      });
    } catch (error) {
      if (error instanceof Bitrix24Error || error instanceof DialogLookupError) throw error;
      // p-retry rejects with the signal's reason when the deadline cuts a backoff short.
      throw lastError ?? deadlinePassed();
    }
  }

  /**
   * Runs up to 50 commands in one `batch` call with `halt: 0`, so one failing command never hides
   * the others, and returns each command's own outcome.
   */
  async batch(credentials: Credentials, commands: Readonly<Record<string, string>>, callOptions: CallOptions = {}): Promise<Map<string, CommandOutcome>> {
    const keys = Object.keys(commands);
    if (keys.length > MAX_BATCH_COMMANDS) {
      throw new RangeError(`a batch takes at most ${MAX_BATCH_COMMANDS} commands, got ${keys.length}`);
    }
    this.options.events?.onBatch?.({ portal: portalHost(credentials), commands: keys.length });
    const envelope = await this.call(credentials, 'batch', { halt: 0, cmd: commands }, callOptions);
    this.options.operatingTime?.record(portalHost(credentials), commandTimes(envelope.result));
    return readBatchOutcomes(envelope.result, keys);
  }

  private async waitForBudget(portal: string, { signal, deadline }: CallOptions): Promise<void> {
    const pausedUntil = this.options.operatingTime?.pausedUntil(portal) ?? 0;
    if (pausedUntil > Date.now()) {
      if (deadline !== undefined && pausedUntil > deadline) {
        throw new Bitrix24Error('rate-limited', 'OPERATION_TIME_LIMIT', "The portal's method-time budget is spent until its window resets", undefined, false);
      }
      await sleep(pausedUntil - Date.now(), undefined, signal ? { signal } : {}).catch(() => {
        throw deadlinePassed();
      });
    }
    await this.options.pacer?.acquire(portal, signal, deadline);
  }

  /** One HTTP request and its answer. */
  private async attempt(credentials: Credentials, method: string, params: Readonly<Record<string, unknown>>, { signal, onAttempt }: CallOptions): Promise<SuccessEnvelope> {
    const { url, authParams } = endpointFor(credentials, method);
    const portal = portalHost(credentials);
    const { health, operatingTime } = this.options;
    const started = performance.now();
    let status: number | undefined;
    let outcome = 'ok';
    try {
      const response = await this.http.post(url, {
        json: { ...params, ...authParams },
        responseType: 'text',
        ...(signal ? { signal } : {}),
      });
      status = response.statusCode;
      if (status >= 300 && status < 400) {
        throw new Bitrix24Error('protocol', `HTTP_${status}`, `Bitrix24 answered with a redirect (HTTP ${status}): check the portal URL`, status, false);
      }
      const envelope = parseEnvelope(status, response.body);
      health?.recordAnswer();
      operatingTime?.record(portal, [envelope.time]);
      return envelope;
    } catch (error) {
      if (error instanceof DialogLookupError) {
        // A documented method error (DIALOG_ID_EMPTY, ACCESS_ERROR) is a well-formed answer.
        health?.recordAnswer();
        outcome = error.code;
        throw error;
      }
      const typed = error instanceof Bitrix24Error ? error : transportError(error, signal);
      if (ANSWERED.has(typed.failure) && typed.status !== undefined) health?.recordAnswer();
      if (typed.code === 'OPERATION_TIME_LIMIT') operatingTime?.recordRefusal(portal);
      outcome = typed.code;
      throw typed;
    } finally {
      const ms = Math.round(performance.now() - started);
      onAttempt?.();
      this.options.events?.onAttempt?.({ method, portal, outcome, ms, status });
      this.options.logger.debug({ method, portal, status, outcome, ms }, 'bitrix24 call');
    }
  }
}
