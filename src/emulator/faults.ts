/**
 * Faults the emulator can inject, one per request, in the order they were queued. They stand for
 * what a portal and the proxies in front of it really do: refuse on rate limit, fail, hang, cut the
 * connection, or answer something that is not a REST envelope.
 */
export const FAULT_KINDS = [
  /** HTTP 503 `QUERY_LIMIT_EXCEEDED`, as when the leaky bucket is full. */
  'query-limit',
  /** HTTP 429 `OPERATION_TIME_LIMIT`: the method-time budget is spent. */
  'operation-limit',
  /** HTTP 503 `OVERLOAD_LIMIT`: REST blocked by hand. */
  'overload',
  /** HTTP 500 `INTERNAL_SERVER_ERROR`. */
  'internal-error',
  /** HTTP 404 `ERROR_METHOD_NOT_FOUND`, as a portal without the `im` module answers. */
  'method-not-found',
  /** No answer at all: the connection stays open until the client gives up. */
  'hang',
  /** The TCP connection is reset without an answer. */
  'reset',
  /** HTTP 200 with an HTML body. */
  'non-json-200',
  /** HTTP 502 with a proxy's HTML error page. */
  'html-502',
  /** HTTP 504 with a proxy's HTML error page. */
  'html-504',
  /** HTTP 302 to another address, as a portal moved to a new name (or a login page) answers. */
  'redirect-302',
  /** HTTP 404 with a web server's HTML page: no REST API at this address. */
  'html-404',
  /** HTTP 200 with an empty body. */
  'empty-200',
  /** HTTP 200 with JSON cut off in the middle. */
  'truncated-json',
  /** HTTP 200 with a body of 64 MiB (a broken proxy, a runaway portal): more than any answer cap. */
  'oversized-200',
  /** HTTP 200 with a well-formed dialog carrying a list of 3 million items (~21 MiB of JSON). */
  'huge-list',
  /** HTTP 200 with `{"result":[[[[…]]]]}` nested to `answerBytes` (default 10 MiB): a hostile parse. */
  'deep-nesting',
  /** HTTP 200 with a well-formed dialog whose `mute_list` pads it to `answerBytes` (default 31 MB). */
  'large-answer',
  /** HTTP 401 `invalid_token` whose description echoes the caller's token (or webhook secret), as some portals and proxies do. */
  'echo-auth',
  /** HTTP 403 `ACCESS_ERROR` whose description echoes the caller's token (or webhook secret). */
  'echo-auth-access',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export function isFaultKind(value: unknown): value is FaultKind {
  return typeof value === 'string' && (FAULT_KINDS as readonly string[]).includes(value);
}

export class FaultQueue {
  private readonly queue: FaultKind[] = [];
  /** Delay added before every answer, in milliseconds. */
  latencyMs = 0;
  /** The size of the answers of `deep-nesting` and `large-answer`; undefined: their defaults. */
  answerBytes: number | undefined;

  /** Makes the next `times` requests fail with `kind` (after any faults already queued). */
  inject(kind: FaultKind, times = 1): void {
    for (let i = 0; i < times; i++) this.queue.push(kind);
  }

  next(): FaultKind | undefined {
    return this.queue.shift();
  }

  get pending(): number {
    return this.queue.length;
  }

  clear(): void {
    this.queue.length = 0;
    this.latencyMs = 0;
    this.answerBytes = undefined;
  }
}
