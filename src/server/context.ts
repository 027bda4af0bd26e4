import type { YogaInitialContext } from 'graphql-yoga';
import type { Credentials, PortalTarget } from '../bitrix/credentials.js';
import type { DialogCache } from '../bitrix/dialog-cache.js';
import { DialogLoader, type DialogLookups } from '../bitrix/dialog-loader.js';
import { deadlineFor } from './plugins/request-deadline.js';
import { recordFor } from './plugins/request-log.js';
import { unauthenticated } from '../schema/errors.js';

export interface RequestContext {
  readonly requestId: string;
  /** Epoch ms by which every upstream wait of this request must end. */
  readonly deadline: number;
  /**
   * This request's dialog loader, made on first use. In OAuth mode a caller without a bearer token
   * gets UNAUTHENTICATED here, before anything is sent to the portal.
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
  const header = request.headers.get('authorization');
  const token = header === null ? undefined : BEARER.exec(header)?.[1];
  if (token === undefined) {
    throw unauthenticated(
      header === null
        ? 'This server forwards your Bitrix24 access token: send it as `Authorization: Bearer <token>`.'
        : 'The Authorization header is not `Bearer <access token>`.',
    );
  }
  return { kind: 'oauth', portalUrl: portal.portalUrl, accessToken: token };
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
      dialogs: () => (loader ??= new DialogLoader({
        lookups,
        credentials: credentialsFor(portal, request),
        cache,
        // Aborts at the deadline, or when the request's client goes away.
        signal: deadline.signal,
        deadline: deadline.at,
        onCall: () => {
          record.upstreamCalls++;
        },
      })),
    };
  };
}
