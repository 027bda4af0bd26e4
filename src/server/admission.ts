import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/**
 * Paths answered whatever the load: probes must tell a busy server from a dead one, and a scraper
 * must still see the metrics of an overloaded one. All three are cheap and execute no operation.
 */
export const NEVER_ADMISSION_CONTROLLED: ReadonlySet<string> = new Set([
  '/health',
  '/readiness',
  '/metrics',
]);

/**
 * Requests started in one turn of the event loop (see `startNext`): a burst of a few dozen cheap
 * requests starts in one or two turns, together enough to share calls and to meet the portal as
 * one burst; a burst of expensive ones delays `/health` by about one turn of 16 starts' work
 * at a time (work that comes due together later, like many deadlines at once, is not paced).
 */
const STARTS_PER_TURN = 16;

/** What a client is told to wait before trying again (`Retry-After`, seconds). */
export const RETRY_AFTER_SECONDS = 1;

/**
 * How long an admitted request may wait for its turn to start. Starts take a millisecond or two
 * each when requests are cheap (200 one-dialog requests start within a few hundred ms); waiting
 * longer means the CPU is saturated, and starting it would only make every answer later.
 */
export const MAX_START_WAIT_MS = 2000;

export interface AdmissionEvents {
  /** Requests in progress changed (a gauge). */
  onInFlight?(inFlight: number): void;
  /** A request was answered 503 at once. */
  onRefused?(): void;
}

export interface AdmissionOptions extends AdmissionEvents {
  /** GraphQL operations (requests) in progress at most; the next one is refused. */
  readonly maxInFlight: number;
  /** REQUEST_DEADLINE_MS: a request still waiting for its turn past it is refused, not worked on. */
  readonly deadlineMs: number;
  /** Default MAX_START_WAIT_MS (tests make it shorter). */
  readonly maxStartWaitMs?: number;
  /** CORS_ORIGINS: a browser on one of them must be able to read the 503 (and its Retry-After). */
  readonly corsOrigins?: readonly string[];
}

/**
 * Admission control (issue 21, item 7): at most `maxInFlight` requests are worked on at once, the
 * rest are answered 503 with `Retry-After` before anything else is done for them: no body read, no
 * parse, no lookup. Without it a burst queued inside the process: every request read in one turn
 * of the event loop was worked on before the loop looked at its sockets again, so `/health` waited
 * for the whole burst, further requests were not even read, and the clock of their deadline had not
 * started: clients waited far past the deadline.
 *
 * It sits in front of yoga, on node:http's request event: refusing there costs microseconds. An
 * admitted request is counted at once but started once the loop has read everything it had to
 * read this turn, a few per turn (see `startNext`). A slot is released on the response's `close`,
 * which Node emits exactly once however the exchange ends (answered, client gone, socket
 * destroyed), so a slot cannot leak.
 */
export class AdmissionControl {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  private starting = false;
  private readonly arrivals = new WeakMap<IncomingMessage, number>();

  constructor(private readonly options: AdmissionOptions) {}

  /** Requests being worked on now, or admitted and about to start. */
  get active(): number {
    return this.inFlight;
  }

  /** When an admitted request arrived (`performance.now()`): its deadline runs from then. */
  arrivedAt(request: IncomingMessage): number | undefined {
    return this.arrivals.get(request);
  }

  /** Wraps yoga's node handler: requests beyond the limit are answered 503 at once. */
  wrap(handler: RequestListener): RequestListener {
    return (request, response) => {
      if (exempt(request)) {
        handler(request, response);
        return;
      }
      if (this.inFlight >= this.options.maxInFlight) {
        this.refuse(request, response);
        return;
      }
      const arrivedAt = performance.now();
      this.arrivals.set(request, arrivedAt);
      this.inFlight++;
      this.options.onInFlight?.(this.inFlight);
      response.once('close', () => {
        this.inFlight--;
        this.options.onInFlight?.(this.inFlight);
      });
      this.waiting.push(() => {
        // The client left while it waited: nothing to answer.
        if (response.destroyed) return;
        // It waited too long for its turn: the server is saturated, and its answer would come late.
        const maxWait = Math.min(
          this.options.deadlineMs,
          this.options.maxStartWaitMs ?? MAX_START_WAIT_MS,
        );
        if (performance.now() - arrivedAt >= maxWait) {
          this.refuse(request, response);
          return;
        }
        handler(request, response);
      });
      this.startNext();
    };
  }

  /**
   * Starts admitted requests on the check phase of the loop's turn, after every socket this turn
   * read has been counted: a burst read in one turn is counted, and what exceeds the limit
   * refused, before any of it is worked on. At most STARTS_PER_TURN start per turn: a request's
   * work runs before the loop polls its sockets again, so a turn that started the whole burst
   * would keep `/health` and every new request waiting until all of it was done; a few per turn
   * keep them answered between starts, and while turns are long (expensive requests) the rest wait
   * for their start, and past MAX_START_WAIT_MS are refused rather than started late.
   */
  private startNext(): void {
    if (this.starting || this.waiting.length === 0) return;
    this.starting = true;
    setImmediate(() => {
      this.starting = false;
      for (const start of this.waiting.splice(0, STARTS_PER_TURN)) start();
      this.startNext();
    });
  }

  /** Admitted requests not started yet: their lookups are still to come. */
  get waitingToStart(): number {
    return this.waiting.length;
  }

  private refuse(request: IncomingMessage, response: ServerResponse): void {
    this.options.onRefused?.();
    refuse(request, response, this.options.corsOrigins ?? []);
  }
}

/** Probes, metrics and CORS preflights: cheap, and never an operation. */
function exempt(request: IncomingMessage): boolean {
  if (request.method === 'OPTIONS') return true;
  const url = request.url ?? '/';
  const query = url.indexOf('?');
  return NEVER_ADMISSION_CONTROLLED.has(query === -1 ? url : url.slice(0, query));
}

const BUSY_BODY = JSON.stringify({
  errors: [
    {
      message: `The server is busy: too many operations in progress. Retry after ${RETRY_AFTER_SECONDS} s.`,
      extensions: { code: 'SERVER_BUSY' },
    },
  ],
});

/**
 * A GraphQL-over-HTTP error answer: a GraphQL response with one error and no `data` (the request
 * was never executed), as `application/graphql-response+json` when the client accepts it.
 */
function refuse(
  request: IncomingMessage,
  response: ServerResponse,
  corsOrigins: readonly string[],
): void {
  const accept = request.headers.accept ?? '';
  const origin = request.headers.origin;
  const corsAllowed =
    origin !== undefined && (corsOrigins.includes('*') || corsOrigins.includes(origin));
  response.writeHead(503, {
    ...(corsAllowed
      ? {
          'access-control-allow-origin': corsOrigins.includes('*') ? '*' : origin,
          'access-control-expose-headers': 'retry-after',
          vary: 'origin',
        }
      : {}),
    'content-type': accept.includes('application/graphql-response+json')
      ? 'application/graphql-response+json; charset=utf-8'
      : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(BUSY_BODY),
    'retry-after': String(RETRY_AFTER_SECONDS),
    'cache-control': 'no-store',
  });
  // The unread body, if any, is discarded by Node once the response ends (keep-alive survives).
  response.end(BUSY_BODY);
}
