import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { CORSOptions, Plugin } from 'graphql-yoga';

/** The header a browser client sets to prove a request is not a cross-site forgery. */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

/**
 * True when a browser marks the request as coming from another site: `Sec-Fetch-Site` (all current
 * browsers), or an `Origin` other than our own (older ones). Servers, gateways and CLI clients send
 * neither, and GraphiQL on this server is same-origin.
 */
function isCrossSiteBrowserRequest(request: Request): boolean {
  const fetchSite = request.headers.get('sec-fetch-site');
  if (fetchSite !== null) return fetchSite === 'cross-site' || fetchSite === 'same-site';
  const origin = request.headers.get('origin');
  return origin !== null && origin !== new URL(request.url).origin;
}

/**
 * CSRF prevention for browser requests: a cross-site request that a browser would send without a
 * CORS preflight (a GET, or a form-like POST) must carry a custom header, which a forging page cannot
 * add without one. yoga's plugin does the check; we apply it only to cross-site browser requests, so
 * server-to-server clients (gateways, curl, GET requests of GraphQL-over-HTTP tooling) are unaffected.
 */
export function useBrowserCsrfPrevention(): Plugin {
  const csrf = useCSRFPrevention({
    requestHeaders: [CSRF_HEADER, 'apollo-require-preflight', 'x-apollo-operation-name'],
  });
  return {
    onRequestParse(payload) {
      if (isCrossSiteBrowserRequest(payload.request)) return csrf.onRequestParse?.(payload);
      return undefined;
    },
  };
}

/**
 * CORS for the listed origins only; none listed means no cross-origin browser access at all (yoga's
 * default would allow every origin). Credentials are not needed: callers authenticate with a header.
 */
export function corsFor(origins: readonly string[]): CORSOptions {
  if (origins.length === 0) return false;
  return {
    origin: origins.includes('*') ? '*' : [...origins],
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: [
      'content-type',
      'authorization',
      'x-bitrix24-domain',
      'x-request-id',
      CSRF_HEADER,
      'apollo-require-preflight',
      'x-apollo-operation-name',
    ],
    exposedHeaders: ['x-request-id'],
    credentials: false,
    maxAge: 600,
  };
}
