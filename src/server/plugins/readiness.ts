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

/**
 * `/readiness`: the portal answered within the last 30 s, or answers a `server.time` probe now, and
 * the process is not shutting down.
 */
export function usePortalReadiness(options: ReadinessOptions): Plugin {
  const { portal, scheduler, health } = options;
  const probeCredentials: Credentials = portal.kind === 'webhook'
    ? { kind: 'webhook', webhookUrl: portal.webhookUrl }
    // No token of our own in OAuth mode: the NO_AUTH_FOUND envelope still proves the portal answers.
    : { kind: 'oauth', portalUrl: portal.portalUrl, accessToken: '' };
  let probing: Promise<boolean> | undefined;
  const probe = () =>
    (probing ??= scheduler.callOnce(probeCredentials, 'server.time', {}, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS), deadline: Date.now() + PROBE_TIMEOUT_MS })
      .then(() => true, () => health.answeredRecently())
      .finally(() => {
        probing = undefined;
      }));
  return useReadinessCheck({
    endpoint: '/readiness',
    // 200 `ready` or `degraded` (serving, with a reason: Redis away), 503 `unavailable`.
    check: async ({ fetchAPI }) => {
      const ready = !options.draining?.() && (health.answeredRecently() || (await probe()));
      const reason = options.degraded?.();
      const status = !ready ? 'unavailable' : reason ? 'degraded' : 'ready';
      return new fetchAPI.Response(JSON.stringify({ status, ...(reason ? { reason } : {}) }), {
        status: ready ? 200 : 503,
        headers: { 'content-type': 'application/json' },
      });
    },
  });
}
