import type { Plugin } from 'graphql-yoga';

/**
 * GraphQL requests received but not yet executing: their dialog lookups are on the way. The
 * scheduler keeps a caller's lookups waiting for company while such requests exist (within its
 * batch window), so a burst of concurrent requests that a busy server parses one after another
 * still shares calls: the gaps between their lookups are the server's own work, not the client's.
 */
export class RequestPipeline {
  private pending = 0;
  private readonly counted = new WeakSet<Request>();

  /** Whether requests are on their way to their resolvers. */
  busy(): boolean {
    return this.pending > 0;
  }

  private release(request: Request | undefined): void {
    if (request && this.counted.delete(request)) this.pending--;
  }

  plugin(graphqlPath = '/graphql'): Plugin {
    return {
      onRequest: ({ request, url }) => {
        if (url.pathname !== graphqlPath || this.counted.has(request)) return;
        this.counted.add(request);
        this.pending++;
      },
      onExecute: ({ args }) => this.release((args.contextValue as { request?: Request }).request),
      onResponse: ({ request }) => this.release(request),
    };
  }
}
