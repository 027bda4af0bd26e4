import { describe, expect, it } from '@jest/globals';
import { DialogByIdDocument } from '../generated/graphql.js';
import { withStack, type Stack } from '../helpers/stack.js';

/** Waits until the server says `count` GraphQL requests are in progress (/metrics is never refused). */
async function untilInFlight(stack: Stack, count: number): Promise<void> {
  const line = new RegExp(`^graphql_requests_in_flight ${count}$`, 'm');
  while (!line.test((await stack.fetch('/metrics')).text))
    await new Promise((resolve) => setTimeout(resolve, 10));
}

/**
 * Admission control (issue 21, item 7): beyond MAX_OPERATIONS_IN_FLIGHT requests in progress, the
 * next GraphQL request is answered 503 with Retry-After at once, while /health and /readiness are
 * answered whatever the load. The portal answers slowly, so the admitted requests are still in
 * progress when the others arrive.
 */
describe('admission control', () => {
  it('answers requests beyond MAX_OPERATIONS_IN_FLIGHT with 503 and Retry-After at once', async () => {
    await withStack({ maxOperationsInFlight: 2, emulator: { latencyMs: 1500 } }, async (stack) => {
      const slow = [
        stack.query(DialogByIdDocument, { id: 'chat21191' }),
        stack.query(DialogByIdDocument, { id: 'chat10001' }),
      ];
      await untilInFlight(stack, 2);
      const startedAt = performance.now();
      const refused = await stack.fetch('/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
        },
        body: JSON.stringify({ query: '{ dialog(id: "chat10002") { __typename } }' }),
      });
      const refusedMs = performance.now() - startedAt;
      const health = await stack.fetch('/health');
      const healthMs = performance.now() - startedAt;
      const metricsPage = await stack.fetch('/metrics');
      // Readiness may ask the (slow) portal itself; it is answered, not refused.
      const readiness = await stack.fetch('/readiness');

      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(refused.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
      expect(JSON.parse(refused.text)).toEqual({
        errors: [
          {
            message: expect.stringContaining('busy') as unknown as string,
            extensions: { code: 'SERVER_BUSY' },
          },
        ],
      });
      // Answered at once, not after the admitted requests' portal answers (1.5 s) freed a slot.
      expect(refusedMs).toBeLessThan(1000);
      // Probes and metrics are never admission-controlled.
      expect(health.status).toBe(200);
      expect(readiness.status).toBe(200);
      expect(metricsPage.status).toBe(200);
      expect(healthMs).toBeLessThan(1000);
      expect(metricsPage.text).toMatch(/^graphql_admission_refused_total 1$/m);
      expect(metricsPage.text).toMatch(/^graphql_requests_in_flight 2$/m);
      // The refused request never reached the portal; the admitted ones got their dialogs.
      for (const answer of await Promise.all(slow)) {
        expect(answer.status).toBe(200);
        expect(answer.body.data?.dialog).toMatchObject({ __typename: 'Dialog' });
      }
      // The refused request's dialog was never asked for (readiness may have probed `server.time`).
      const askedFor = stack.emulator.requests.flatMap((request) =>
        request.commands
          ? request.commands.map((command) => command.params.DIALOG_ID)
          : request.method === 'im.dialog.get'
            ? [request.params.DIALOG_ID]
            : [],
      );
      expect(askedFor.sort()).toEqual(['chat10001', 'chat21191']);
      // The slots are free again once the answers are out.
      const after = await stack.query(DialogByIdDocument, { id: 'chat10002' });
      expect(after.status).toBe(200);
      expect(stack.logs.text).toContain('admission control');
    });
  });

  it('frees the slot of a client that goes away, and answers a plain JSON client as JSON', async () => {
    await withStack({ maxOperationsInFlight: 1, emulator: { latencyMs: 1000 } }, async (stack) => {
      const gone = new AbortController();
      const abandoned = stack
        .fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ dialog(id: "chat21191") { __typename } }' }),
          signal: gone.signal,
        })
        .catch(() => undefined);
      await untilInFlight(stack, 1);
      const busy = await stack.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(busy.status).toBe(503);
      expect(busy.headers.get('content-type')).toMatch(/^application\/json/);
      gone.abort();
      await abandoned;
      // The server ends the abandoned request's work once its client is gone (its deadline
      // signal aborts), and the slot is free for the next client.
      let status = 503;
      for (let attempt = 0; attempt < 100 && status === 503; attempt++) {
        status = (await stack.query('{ __typename }')).status;
        if (status === 503) await new Promise((r) => setTimeout(r, 20));
      }
      expect(status).toBe(200);
    });
  });
});
