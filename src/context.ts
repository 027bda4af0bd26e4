import type { YogaInitialContext } from 'graphql-yoga';
import { portalHost, type Credentials, type PortalTarget } from './bitrix/credentials.js';
import type { DialogCache } from './bitrix/dialog-cache.js';
import { DialogLoader, type DialogLookups } from './bitrix/dialog-loader.js';
import { deadlineFor } from './request-deadline.js';
import { recordFor } from './request-log.js';
import { portalNamedBy } from './request-portal.js';
import { unauthenticated } from './schema/errors.js';

export interface RequestContext {
  readonly requestId: string;
  /** Epoch ms by which every upstream wait of this request must end. */
  readonly deadline: number;
  /**
   * This request's dialog loader, made on first use. In OAuth mode a caller without a bearer token
   * gets UNAUTHENTICATED here, and in multi-portal mode one without an allowed X-Bitrix24-Domain
   * BAD_REQUEST or FORBIDDEN, before anything is sent to any portal.
   */
  dialogs(): DialogLoader;
}

export interface ContextDependencies {
  readonly portal: PortalTarget;
  /** The upstream scheduler: lookups of every request go through it. */
  readonly lookups: DialogLookups;
  /** How long one GraphQL request may wait on the portal, retries and pacing included. */
  readonly deadlineMs: number;
  readonly cache?: DialogCache | undefined;
}

/** RFC 6750 `b64token`, bounded: anything else cannot be a Bitrix24 access token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]{1,1024}=*) *$/i;

function credentialsFor(portal: PortalTarget, request: Request): Credentials {
  if (portal.kind === 'webhook') return { kind: 'webhook', webhookUrl: portal.webhookUrl };
  // The portal first: which portal is asked decides everything else, the token included.
  const portalUrl = portal.kind === 'portals' ? portalNamedBy(portal.allowList, request).portalUrl : portal.portalUrl;
  const header = request.headers.get('authorization');
  const token = header === null ? undefined : BEARER.exec(header)?.[1];
  if (token === undefined) {
    throw unauthenticated(
      header === null
        ? 'This server forwards your Bitrix24 access token: send it as `Authorization: Bearer <token>`.'
        : 'The Authorization header is not `Bearer <access token>`.',
    );
  }
  return { kind: 'oauth', portalUrl, accessToken: token };
}

/**
 * Builds each request's context. One DialogLoader per request, and so per caller: two callers
 * never share loaded dialogs, and a loader lives no longer than its request.
 */
export function createContextFactory({ portal, lookups, deadlineMs, cache }: ContextDependencies) {
  return ({ request }: YogaInitialContext): RequestContext => {
    let loader: DialogLoader | undefined;
    const deadline = deadlineFor(request, deadlineMs);
    const record = recordFor(request);
    return {
      requestId: record.requestId,
      deadline: deadline.at,
      dialogs: () => (loader ??= loaderFor(credentialsFor(portal, request))),
    };
    function loaderFor(credentials: Credentials): DialogLoader {
      // The request line names the portal (a host: never the webhook's path or a token).
      record.portal = portalHost(credentials);
      return new DialogLoader({
        lookups,
        credentials,
        cache,
        // Aborts at the deadline, or when the request's client goes away.
        signal: deadline.signal,
        deadline: deadline.at,
        onCall: () => {
          record.upstreamCalls++;
        },
      });
    }
  };
}
