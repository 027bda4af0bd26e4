import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';

export interface GracefulShutdown {
  /**
   * Stops accepting connections and lets the requests in flight finish; resolves `drained` as soon
   * as the last connection has closed, or `timeout` after `timeoutMs`, having closed what was left.
   */
  drain(timeoutMs: number): Promise<'drained' | 'timeout'>;
}

/**
 * Graceful shutdown of an HTTP server whose clients keep connections alive. Install it before the
 * server takes requests.
 *
 * Once draining, every response that has not started yet says `Connection: close`, and Node closes
 * its connection after it: a keep-alive client learns from the answer itself that the connection is
 * done, and opens a new one, which is refused, before it writes its next request. Connections with
 * nothing in flight are closed only when no request is in flight at all: closing one while its
 * client is writing the next request would reset that request mid-way, and a client that keeps
 * sending gets its `Connection: close` answer instead.
 *
 * Not `server.close()`: since Node 19 it also destroys every idle keep-alive connection at once,
 * including those whose next request is already on the wire. The listening socket is closed with
 * `net.Server`'s own `close`, which stops accepting and waits for the connections to end.
 */
export function gracefulShutdown(server: Server): GracefulShutdown {
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  const closeIdleWhenQuiet = () => {
    if (draining && inFlight.size === 0) server.closeIdleConnections();
  };
  // Before yoga's handler, so that the header is set before the response starts.
  server.prependListener('request', (_request: IncomingMessage, response: ServerResponse) => {
    inFlight.add(response);
    if (draining) response.setHeader('connection', 'close');
    response.once('close', () => {
      inFlight.delete(response);
      closeIdleWhenQuiet();
    });
  });

  return {
    drain(timeoutMs) {
      draining = true;
      for (const response of inFlight)
        if (!response.headersSent) response.setHeader('connection', 'close');
      const drained = new Promise<'drained'>((resolve) => {
        NetServer.prototype.close.call(server, () => resolve('drained'));
      });
      closeIdleWhenQuiet();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => {
          server.closeAllConnections();
          resolve('timeout');
        }, timeoutMs);
      });
      return Promise.race([drained, timedOut]).finally(() => clearTimeout(timer));
    },
  };
}
