import { useReadinessCheck, type Plugin } from 'graphql-yoga';
import type { UpstreamScheduler } from '../../bitrix/scheduler/upstream-scheduler.js';
import type { Credentials, PortalTarget } from '../../bitrix/credentials.js';
import type { PortalHealth } from '../../bitrix/portal-health.js';

export interface ReadinessOptions {
  readonly portal: PortalTarget;
  readonly scheduler: UpstreamScheduler;
  readonly health: PortalHealth;
  /** True once the process is shutting down. */
  readonly draining?: (() => boolean) | undefined;
  /** Why the server runs degraded (shared state unavailable), or undefined. */
  readonly degraded?: (() => string | undefined) | undefined;
}

const PROBE_TIMEOUT_MS = 3000;

/** The credentials of the readiness probe: none of our own in OAuth mode (a NO_AUTH_FOUND answer still proves the portal is there). */
function probeCredentialsFor(portal: Exclude<PortalTarget, { kind: 'portals' }>): Credentials {
  return portal.kind === 'webhook'
    ? { kind: 'webhook', webhookUrl: portal.webhookUrl }
    : { kind: 'oauth', portalUrl: portal.portalUrl, accessToken: '' };
}

/**
 * `/readiness`: the portal answered within the last 30 s, or answers a `server.time` probe now, and
 * the process is not shutting down. In multi-portal mode there is no one portal whose outage means
 * this replica cannot serve: one customer's portal being down must not take the replica out of
 * the balancer for every other customer, so readiness is the process's own (not draining).
 */
export function usePortalReadiness(options: ReadinessOptions): Plugin {
  const { portal, scheduler, health } = options;
  const probeCredentials = portal.kind === 'portals' ? undefined : probeCredentialsFor(portal);
  let probing: Promise<boolean> | undefined;
  const probe = (credentials: Credentials) =>
    (probing ??= scheduler
      .callOnce(
        credentials,
        'server.time',
        {},
        { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS), deadline: Date.now() + PROBE_TIMEOUT_MS },
      )
      .then(
        () => true,
        () => health.answeredRecently(),
      )
      .finally(() => {
        probing = undefined;
      }));
  const portalReady = async () =>
    probeCredentials === undefined || health.answeredRecently() || (await probe(probeCredentials));
  return useReadinessCheck({
    endpoint: '/readiness',
    // 200 `ready` or `degraded` (serving, with a reason: Redis away), 503 `unavailable`.
    check: async ({ fetchAPI }) => {
      const ready = !options.draining?.() && (await portalReady());
      const reason = options.degraded?.();
      const status = !ready ? 'unavailable' : reason ? 'degraded' : 'ready';
      return new fetchAPI.Response(JSON.stringify({ status, ...(reason ? { reason } : {}) }), {
        status: ready ? 200 : 503,
        headers: { 'content-type': 'application/json' },
      });
    },
  });
}
