import type { Plugin } from 'graphql-yoga';

/**
 * What a person (or a browser) gets at the server's root: `GET /` points to GraphiQL when it is
 * served (a redirect), and otherwise (production) answers a short JSON naming the endpoints, so
 * nobody meets a bare 404. Browsers ask for `/favicon.ico` on their own: answered with 204 and a day's
 * caching instead of a 404 in every console and log.
 */

export interface LandingOptions {
  /** GraphiQL is served at `/graphql`: redirect there. */
  readonly graphiql: boolean;
}

export const ROOT_DESCRIPTION = {
  service: 'Bitrix24 dialogs over GraphQL',
  graphql: '/graphql',
  health: '/health',
  readiness: '/readiness',
  hint: 'POST a GraphQL query to /graphql; GraphiQL is off here (GRAPHIQL=false or NODE_ENV=production)',
} as const;

export function useLanding(options: LandingOptions): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      if (url.pathname === '/favicon.ico') {
        endResponse(
          new fetchAPI.Response(null, {
            status: 204,
            headers: { 'cache-control': 'public, max-age=86400' },
          }),
        );
        return;
      }
      if (url.pathname !== '/') return;
      endResponse(
        options.graphiql
          ? // Relative, so that it also holds behind a proxy that serves this server under a path.
            new fetchAPI.Response(null, { status: 302, headers: { location: './graphql' } })
          : new fetchAPI.Response(JSON.stringify(ROOT_DESCRIPTION), {
              headers: { 'content-type': 'application/json; charset=utf-8' },
            }),
      );
    },
  };
}
