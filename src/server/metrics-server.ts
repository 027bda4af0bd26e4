import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

/**
 * `/metrics` on an internal port of its own (METRICS_PORT): the metrics name the portals this
 * server talks to (customers, in multi-portal mode) and its load, which is nobody's business but
 * the operator's. Nothing else is served here, and nothing of the GraphQL side is served on it.
 */
export function createMetricsServer(registry: Registry): Server {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?', 1)[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    registry.metrics().then(
      (text) => {
        response.writeHead(200, { 'content-type': registry.contentType });
        response.end(request.method === 'HEAD' ? undefined : text);
      },
      () => {
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        response.end('metrics unavailable\n');
      },
    );
  });
  // A scraper sends one small request: no reason to hold a connection long.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  return server;
}
