import { createHash } from 'node:crypto';
import type { PortalAllowList } from './portal-allow-list.js';

/**
 * Whose rights a call runs with.
 * - `webhook`: an inbound webhook `https://PORTAL/rest/USER_ID/SECRET/`; the secret is in the path.
 * - `oauth`: the caller's own access token, sent as the `auth` parameter; never stored.
 */
export type Credentials =
  | { readonly kind: 'webhook'; readonly webhookUrl: URL }
  | { readonly kind: 'oauth'; readonly portalUrl: URL; readonly accessToken: string };

/**
 * Where the portal is and whose rights calls run with: one webhook for every caller, each caller's
 * own OAuth token (pass-through) on one portal, or on the portal each request names among those
 * of an allow-list (`portals`: one deployment of an app installed on many portals).
 */
export type PortalTarget =
  | { readonly kind: 'webhook'; readonly webhookUrl: URL }
  | { readonly kind: 'oauth'; readonly portalUrl: URL }
  | { readonly kind: 'portals'; readonly allowList: PortalAllowList };

export interface Endpoint {
  readonly url: string;
  /** Parameters every call must carry (the OAuth token). */
  readonly authParams: Readonly<Record<string, string>>;
}

export function endpointFor(credentials: Credentials, method: string): Endpoint {
  if (credentials.kind === 'webhook') {
    return { url: new URL(method, credentials.webhookUrl).href, authParams: {} };
  }
  return {
    url: new URL(`rest/${method}`, credentials.portalUrl).href,
    authParams: { auth: credentials.accessToken },
  };
}

/** The portal's host: what logs and metrics may name (never the path, which holds a webhook secret). */
export function portalHost(credentials: Credentials): string {
  return credentials.kind === 'webhook' ? credentials.webhookUrl.host : credentials.portalUrl.host;
}

/**
 * A stable, non-reversible name for whoever a call runs as: keys per-caller caches and budgets
 * without keeping the token or the webhook secret in memory.
 */
export function callerIdentity(credentials: Credentials): string {
  const secret =
    credentials.kind === 'webhook' ? credentials.webhookUrl.href : credentials.accessToken;
  const digest = createHash('sha256').update(secret).digest('base64url').slice(0, 22);
  return `${credentials.kind}:${portalHost(credentials)}:${digest}`;
}
