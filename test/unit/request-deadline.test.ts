import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { deadlineFor, useRequestDeadlines } from '../../src/server/plugins/request-deadline.js';

type OnRequest = (payload: {
  request: Request;
  url: URL;
  serverContext: { req?: IncomingMessage };
}) => void;

describe('the request deadline', () => {
  it('runs from when the request arrived, not from when yoga got round to it', () => {
    const node = {} as IncomingMessage;
    // Admission control says the request arrived 1 s ago (it waited for its start).
    const plugin = useRequestDeadlines(1500, (req) =>
      req === node ? performance.now() - 1000 : undefined,
    );
    const request = new Request('http://127.0.0.1/graphql', { method: 'POST' });
    (plugin.onRequest as unknown as OnRequest)({
      request,
      url: new URL(request.url),
      serverContext: { req: node },
    });
    // The context asks for it later with the full budget: it gets the one already running.
    const deadline = deadlineFor(request, 1500);
    expect(deadline.at - Date.now()).toBeLessThanOrEqual(510);
    expect(deadline.at - Date.now()).toBeGreaterThan(300);
    deadline.dispose();
  });

  it('starts when yoga sees a GraphQL request, and not for other paths', () => {
    const plugin = useRequestDeadlines(1500);
    const graphql = new Request('http://127.0.0.1/graphql');
    const health = new Request('http://127.0.0.1/health');
    for (const request of [graphql, health])
      (plugin.onRequest as unknown as OnRequest)({
        request,
        url: new URL(request.url),
        serverContext: {},
      });
    const startedAt = Date.now();
    const started = deadlineFor(graphql, 60_000);
    expect(started.at - startedAt).toBeLessThanOrEqual(1500);
    started.dispose();
    const other = deadlineFor(health, 60_000);
    expect(other.at - startedAt).toBeGreaterThan(50_000);
    other.dispose();
  });
});
