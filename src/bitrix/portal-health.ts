/**
 * Whether the portal's REST layer answers, for `/readiness`. Any well-formed answer counts, even an
 * error envelope (`ACCESS_ERROR`, `NO_AUTH_FOUND`, a rate limit): the portal is there and speaking
 * REST. Outages, timeouts and garbage from proxies do not count.
 */
export class PortalHealth {
  private lastAnswerAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly freshForMs = 30_000) {}

  recordAnswer(): void {
    this.lastAnswerAt = Date.now();
  }

  answeredRecently(): boolean {
    return Date.now() - this.lastAnswerAt <= this.freshForMs;
  }
}
