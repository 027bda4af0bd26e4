import type { Logger } from 'pino';
import { DependencyWatch, type AvailabilityListener } from './dependency-watch.js';

export interface PortalHealthWatchOptions {
  readonly logger: Logger;
  readonly onChange?: AvailabilityListener;
}

/**
 * An outage is this many failed attempts in a row without a well-formed answer between them: one
 * reset connection among answers is not an outage, a request and its retries all failing is.
 */
const FAILURES_TO_LOSE = 3;

/**
 * Whether the portal's REST layer answers, for `/readiness`. Any well-formed answer counts, even an
 * error envelope (`ACCESS_ERROR`, `NO_AUTH_FOUND`, a rate limit): the portal is there and speaking
 * REST. Outages, timeouts and garbage from proxies do not count.
 *
 * Also the one place a portal's outage is logged: one warning when a portal stops answering, one
 * info line when it answers again (per portal host), never a line per request.
 */
export class PortalHealth {
  private lastAnswerAt = Number.NEGATIVE_INFINITY;
  private readonly watch: DependencyWatch | undefined;

  constructor(
    private readonly freshForMs = 30_000,
    watch?: PortalHealthWatchOptions,
  ) {
    this.watch =
      watch &&
      new DependencyWatch({
        dependency: 'portal',
        logger: watch.logger,
        failuresToLose: FAILURES_TO_LOSE,
        lostMessage: (portal) =>
          `portal ${portal} unavailable: requests get UPSTREAM_UNAVAILABLE or UPSTREAM_TIMEOUT until it answers again`,
        backMessage: (portal) => `portal ${portal} answers again`,
        // Multi-portal mode: names come from requests.
        maxTargets: 1000,
        ...(watch.onChange ? { onChange: watch.onChange } : {}),
      });
  }

  /** A well-formed answer from `portal` (a host, when the transport knows it). */
  recordAnswer(portal?: string): void {
    this.lastAnswerAt = Date.now();
    if (portal !== undefined) this.watch?.succeeded(portal);
  }

  /** An attempt on `portal` failed without an answer (refused, reset, timed out, a 5xx page). */
  recordFailure(portal: string, code: string): void {
    this.watch?.failed(portal, code);
  }

  answeredRecently(): boolean {
    return Date.now() - this.lastAnswerAt <= this.freshForMs;
  }
}
