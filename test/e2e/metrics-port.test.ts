import { describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../src/emulator/server.js';
import { freePort, startServerProcess, stopServerProcess } from '../helpers/process.js';

/**
 * Issue 21, item 10: /metrics names the portals the server talks to (customers, in multi-portal
 * mode) and is nobody's business but the operator's. With METRICS_PORT it is served on that
 * internal port only; the public port answers 404 for it.
 */
describe('METRICS_PORT', () => {
  it('serves /metrics on the internal port only, and nothing else there', async () => {
    const emulator = await startEmulator();
    const metricsPort = await freePort();
    const { server, base } = await startServerProcess({
      BITRIX24_WEBHOOK_URL: emulator.webhookUrl(),
      METRICS_PORT: String(metricsPort),
    });
    try {
      await server.waitForLine(/serving \/metrics on the internal port/);
      const internal = `http://127.0.0.1:${metricsPort}`;
      // A request, so that the metrics have something to say.
      const answer = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ dialog(id: "chat21191") { __typename } }' }),
      });
      expect(answer.status).toBe(200);
      await answer.text();

      const scraped = await fetch(`${internal}/metrics`);
      expect(scraped.status).toBe(200);
      expect(scraped.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await scraped.text();
      expect(text).toContain('graphql_requests_total');
      expect(text).toContain('bitrix24_upstream_requests_total');

      const publicMetrics = await fetch(`${base}/metrics`);
      expect(publicMetrics.status).toBe(404);
      expect(await publicMetrics.text()).not.toContain('bitrix24_');
      // The internal port serves metrics and nothing else.
      const elsewhere = await fetch(`${internal}/graphql?query=%7B__typename%7D`);
      expect(elsewhere.status).toBe(404);
      await elsewhere.text();
      // The public port still serves everything else.
      expect((await fetch(`${base}/health`)).status).toBe(200);
    } finally {
      await stopServerProcess(server);
      await emulator.close();
    }
  });

  it('leaves /metrics on the main port when unset', async () => {
    const emulator = await startEmulator();
    const { server, base } = await startServerProcess({
      BITRIX24_WEBHOOK_URL: emulator.webhookUrl(),
    });
    try {
      const scraped = await fetch(`${base}/metrics`);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('graphql_requests_total');
    } finally {
      await stopServerProcess(server);
      await emulator.close();
    }
  });
});
