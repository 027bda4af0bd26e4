import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import got, { RequestError, type Got } from 'got';
import type { Logger } from 'pino';
import { readBatchOutcomes, MAX_BATCH_COMMANDS, type CommandOutcome } from './batch.js';
import { endpointFor, portalHost, type Credentials } from './credentials.js';
import { parseEnvelope, type SuccessEnvelope } from './envelope.js';
import { Bitrix24Error, DialogLookupError, type FailureClass } from './errors.js';
import type { PortalHealth } from './portal-health.js';

export interface Bitrix24ClientOptions {
  /** Limit for one HTTP attempt, from sending the request to the last byte of the answer. */
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** Sockets kept per portal; a portal serves ~2 requests/s, so a handful is plenty. */
  readonly maxSocketsPerPortal?: number;
  /** Told about every well-formed answer of the portal, for readiness. */
  readonly health?: PortalHealth;
}

/** Failures that still prove the portal's REST layer is up and answering. */
const ANSWERED: ReadonlySet<FailureClass> = new Set(['unauthenticated', 'forbidden', 'rate-limited', 'protocol']);

/** Transport failures got reports by code, with what they mean for us. */
function transportError(error: unknown): Bitrix24Error {
  const code = error instanceof RequestError ? error.code : 'UNKNOWN';
  if (code === 'ETIMEDOUT') {
    return new Bitrix24Error('timeout', code, 'Bitrix24 did not answer in time');
  }
  // Only the code: got's own message and error object name the URL, which holds a webhook secret.
  return new Bitrix24Error('unavailable', code, `Could not reach Bitrix24 (${code})`);
}

/**
 * The Bitrix24 REST client: one per process, shared by every caller (the credentials travel with
 * each call), so keep-alive sockets are reused across GraphQL requests.
 */
export class Bitrix24Client {
  private readonly http: Got;
  private readonly logger: Logger;
  private readonly health: PortalHealth | undefined;

  constructor(options: Bitrix24ClientOptions) {
    const maxSockets = options.maxSocketsPerPortal ?? 8;
    this.logger = options.logger;
    this.health = options.health;
    this.http = got.extend({
      agent: {
        http: new HttpAgent({ keepAlive: true, maxSockets }),
        https: new HttpsAgent({ keepAlive: true, maxSockets }),
      },
      timeout: { request: options.timeoutMs },
      // Retries are decided by us from the Bitrix24 error code, not by got from the status alone.
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
    signal?: AbortSignal,
  ): Promise<SuccessEnvelope> {
    const { url, authParams } = endpointFor(credentials, method);
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
      this.health?.recordAnswer();
      return envelope;
    } catch (error) {
      if (error instanceof DialogLookupError) {
        // A documented method error (DIALOG_ID_EMPTY, ACCESS_ERROR) is a well-formed answer.
        this.health?.recordAnswer();
        outcome = 'METHOD_ERROR';
        throw error;
      }
      const typed = error instanceof Bitrix24Error ? error : transportError(error);
      if (ANSWERED.has(typed.failure) && typed.status !== undefined) this.health?.recordAnswer();
      outcome = typed.code;
      throw typed;
    } finally {
      const ms = Math.round(performance.now() - started);
      this.logger.debug({ method, portal: portalHost(credentials), status, outcome, ms }, 'bitrix24 call');
    }
  }

  /**
   * Runs up to 50 commands in one `batch` call with `halt: 0`, so one failing command never hides
   * the others, and returns each command's own outcome.
   */
  async batch(credentials: Credentials, commands: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<Map<string, CommandOutcome>> {
    const keys = Object.keys(commands);
    if (keys.length > MAX_BATCH_COMMANDS) {
      throw new RangeError(`a batch takes at most ${MAX_BATCH_COMMANDS} commands, got ${keys.length}`);
    }
    const envelope = await this.call(credentials, 'batch', { halt: 0, cmd: commands }, signal);
    return readBatchOutcomes(envelope.result, keys);
  }
}
