import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import got from 'got';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { startServerProcess, stopServerProcess, type RunningServer } from '../helpers/process.js';
import { describeWhenAvailable } from '../helpers/requirements.js';
import { redisAvailable, startRedis, type RedisServer } from '../helpers/redis.js';

/**
 * A dependency going away is one warning, its return one info line, and a metric in between,
 * however many requests meet the outage: never a line (or a stack) per request.
 */

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

const WARN = 40;
const QUERY = { query: '{ dialog(id: "chat21191") { ... on Dialog { title } } }' };

const linesFrom = (server: RunningServer['server'], from: number): LogLine[] =>
  server.stdout.slice(from).map((line) => JSON.parse(line) as LogLine);

const ask = (base: string) =>
  got
    .post(`${base}/graphql`, { json: QUERY, retry: { limit: 0 }, throwHttpErrors: false })
    .json<{ data?: { dialog: { title?: string } | null } | null; errors?: unknown[] }>();

const metricLine = async (base: string, dependency: string): Promise<string | undefined> =>
  (await got(`${base}/metrics`).text())
    .split('\n')
    .find((line) => line.startsWith(`dependency_up{dependency="${dependency}"`));

async function waitUntil(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  for (let waited = 0; !condition() && waited < timeoutMs; waited += 50)
    await new Promise((resolve) => setTimeout(resolve, 50));
  expect(condition()).toBe(true);
}

describeWhenAvailable(
  'a Redis outage',
  redisAvailable,
  '/usr/bin/redis-server is missing (apt-get install redis-server)',
  () => {
    let emulator: Emulator;
    let redis: RedisServer;
    beforeAll(async () => {
      emulator = await startEmulator();
      redis = await startRedis();
    });
    afterAll(async () => {
      await redis.stop();
      await emulator.close();
    });

    it.each([
      ['on', '60000'],
      ['off', '0'],
    ])(
      'with the cache %s: 20 requests log at most one warning and no stack, the metric says 0, one info line when it is back',
      async (_, cacheTtl) => {
        const { server, base } = await startServerProcess({
          BITRIX24_WEBHOOK_URL: emulator.webhookUrl(),
          REDIS_URL: redis.url,
          CACHE_TTL_MS: cacheTtl,
          // Redis gone, the local bucket starts full (the safe side): at the default 2 calls/s the
          // 20 requests would take 10 s to show what the logs say after one.
          BITRIX24_RPS: '50',
        });
        try {
          await server.waitForLine(/redis ready/);
          expect(await metricLine(base, 'redis')).toMatch(/ 1$/);
          const from = server.stdout.length;
          await redis.stop();
          for (let request = 0; request < 20; request++) {
            expect((await ask(base)).data?.dialog?.title).toBe('Mint Chat #3');
          }
          const during = linesFrom(server, from);
          expect(during.filter((line) => line.level >= WARN).map((line) => line.msg)).toEqual([
            expect.stringMatching(/^redis unavailable/),
          ]);
          expect(server.stdout.slice(from).join('\n')).not.toMatch(/"stack"|\n\s+at /);
          expect(await metricLine(base, 'redis')).toMatch(/ 0$/);

          await redis.restart();
          await waitUntil(() =>
            server.stdout.slice(from).some((line) => line.includes('ready again')),
          );
          expect((await ask(base)).data?.dialog?.title).toBe('Mint Chat #3');
          const after = linesFrom(server, from);
          expect(after.filter((line) => line.msg.startsWith('redis ready'))).toHaveLength(1);
          expect(after.filter((line) => line.level >= WARN)).toHaveLength(1);
          expect(await metricLine(base, 'redis')).toMatch(/ 1$/);
        } finally {
          await stopServerProcess(server);
          await redis.restart();
        }
      },
      60_000,
    );
  },
);

describe('a portal outage', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it('is one warning naming the portal (never the webhook URL), one info line when it answers again, and dependency_up in between', async () => {
    const { server, base } = await startServerProcess({
      BITRIX24_WEBHOOK_URL: emulator.webhookUrl(),
      BITRIX24_RETRIES: '1',
    });
    const portal = new URL(emulator.url).host;
    try {
      expect((await ask(base)).data?.dialog?.title).toBe('Mint Chat #3');
      const from = server.stdout.length;
      // Five requests of two attempts each meet a proxy's 502 page; the rest are answered.
      emulator.faults.inject('html-502', 10);
      const answers = [];
      for (let request = 0; request < 5; request++) answers.push(await ask(base));
      expect(answers.every((answer) => answer.errors !== undefined)).toBe(true);
      expect(await metricLine(base, 'portal')).toBe(
        `dependency_up{dependency="portal",target="${portal}"} 0`,
      );
      for (let request = 0; request < 15; request++)
        expect((await ask(base)).data?.dialog?.title).toBe('Mint Chat #3');
      const lines = linesFrom(server, from);
      expect(lines.filter((line) => line.level >= WARN)).toEqual([
        expect.objectContaining({
          msg: expect.stringMatching(new RegExp(`^portal ${portal} unavailable`)),
          reason: 'NON_JSON_ANSWER',
        }),
      ]);
      expect(lines.filter((line) => line.msg === `portal ${portal} answers again`)).toHaveLength(1);
      expect(server.stdout.slice(from).join('\n')).not.toMatch(/"stack"|\/rest\//);
      expect(await metricLine(base, 'portal')).toBe(
        `dependency_up{dependency="portal",target="${portal}"} 1`,
      );
    } finally {
      await stopServerProcess(server);
    }
  }, 60_000);
});
