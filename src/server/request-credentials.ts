import type { Credentials, PortalTarget } from '../bitrix/credentials.js';
import { unauthenticated } from './plugins/error-policy.js';
import { portalNamedBy } from './request-portal.js';

/*
 * Whose rights a request's calls run with: the configured webhook's, or (OAuth pass-through) the
 * caller's own access token, read from its Authorization header and never stored, on the configured
 * portal or (multi-portal mode) on the one the request names in X-Bitrix24-Domain.
 */

/** RFC 6750 `b64token`, bounded: anything else cannot be a Bitrix24 access token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]{1,1024}=*) *$/i;

export function credentialsFor(portal: PortalTarget, request: Request): Credentials {
  if (portal.kind === 'webhook') return { kind: 'webhook', webhookUrl: portal.webhookUrl };
  // The portal first: which portal is asked decides everything else, the token included.
  const portalUrl =
    portal.kind === 'portals'
      ? portalNamedBy(portal.allowList, request).portalUrl
      : portal.portalUrl;
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
