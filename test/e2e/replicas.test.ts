import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import got from 'got';
import { DEMO_TOKENS } from '../../src/emulator/fixtures.js';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import {
  freePort,
  startServerProcess,
  stopServerProcess,
  type RunningServer,
} from '../helpers/process.js';
import { describeWhenAvailable } from '../helpers/requirements.js';
import { redisAvailable, startRedis, type RedisServer } from '../helpers/redis.js';
import { withCallerTokens } from '../helpers/stack.js';

type Replica = RunningServer;

function startReplicas(count: number, env: Record<string, string>): Promise<Replica[]> {
  return Promise.all(Array.from({ length: count }, () => startServerProcess(env)));
}

async function stopReplicas(replicas: readonly Replica[]): Promise<void> {
  await Promise.all(replicas.map(({ server }) => stopServerProcess(server)));
}

const titleQuery = (id: string) => ({
  query: `{ dialog(id: "${id}") { ... on Dialog { title } } }`,
});

async function ask(replica: Replica, id: string, headers: Record<string, string> = {}) {
  return got
    .post(`${replica.base}/graphql`, { json: titleQuery(id), headers, retry: { limit: 0 } })
    .json<{
      data: { dialog: { title?: string } | null } | null;
      errors?: Array<{ extensions?: { code?: string } }>;
    }>();
}

// In CI redis-server must be there (.ci/run installs it); elsewhere the run's end says why these are skipped.
describeWhenAvailable(
  'several replicas share one portal through Redis',
  redisAvailable,
  '/usr/bin/redis-server is missing (apt-get install redis-server)',
  () => {
    let emulator: Emulator;
    let redis: RedisServer;
    // A small portal: a bucket of 10 that drains 20 requests/s (scaled time: real portals drain 2;
    // the bucket holds half a second of drain, and the servers' 250 ms safety margin is half of it).
    const portalEnv = () => ({
      BITRIX24_WEBHOOK_URL: emulator.webhookUrl(),
      BITRIX24_RPS: '2',
      BITRIX24_BURST: '10',
      REQUEST_DEADLINE_MS: '60000',
    });
    // Callers with a token each: their lookups cannot share calls, so each request is one call.
    const { fixtures, tokens } = withCallerTokens(30);
    const oauthEnv = () => ({
      BITRIX24_PORTAL_URL: emulator.url,
      BITRIX24_RPS: '20',
      BITRIX24_BURST: '10',
      REQUEST_DEADLINE_MS: '60000',
    });
    const asCaller = (index: number) => ({ authorization: `Bearer ${tokens[index]}` });

    beforeAll(async () => {
      emulator = await startEmulator({ fixtures, rateLimit: { capacity: 10, drainPerSecond: 20 } });
      redis = await startRedis();
    });
    afterAll(async () => {
      await redis.stop();
      await emulator.close();
    });
    beforeEach(() => {
      // Each test starts from an idle portal: its bucket emptied, as a drain of 0.5 s (10 requests at
      // 20/s) would, without sleeping through it.
      emulator.emptyBucket();
      emulator.stats.queryLimitRefusals = 0;
      emulator.clearRequests();
    });

    // One set of 3 replicas with Redis (and the cache on) for the budget test and the shared-cache
    // test below, started once as a deployment's are, and stopped before Redis goes away. The 30
    // callers of the budget test ask 30 different (caller, chat) pairs: no cache hit among them.
    let shared: Promise<Replica[]> | undefined;
    const sharedReplicas = () =>
      (shared ??= startReplicas(3, { ...oauthEnv(), REDIS_URL: redis.url, CACHE_TTL_MS: '60000' }));
    const stopSharedReplicas = async () => {
      if (shared) await stopReplicas(await shared);
      shared = undefined;
    };
    afterAll(stopSharedReplicas);

    it('keeps 3 replicas inside the portal budget: 30 concurrent callers all answered, no refusal at the portal', async () => {
      const replicas = await sharedReplicas();
      const ids = Array.from({ length: 30 }, (_, index) => `chat${10001 + index}`);
      const answers = await Promise.all(
        ids.map((id, index) => ask(replicas[index % 3]!, id, asCaller(index))),
      );
      expect(answers.map((answer) => answer.errors)).toEqual(Array(30).fill(undefined));
      expect(answers.map((answer) => answer.data?.dialog?.title)).toEqual(
        ids.map((_, index) => `Project room #${index + 1}`),
      );
      expect(emulator.stats.queryLimitRefusals).toBe(0);
      expect(emulator.requests).toHaveLength(30);
    }, 90_000);

    it('(control) without Redis the same replicas overrun the portal: the test above can fail', async () => {
      const replicas = await startReplicas(3, { ...oauthEnv() });
      try {
        const ids = Array.from({ length: 30 }, (_, index) => `chat${10101 + index}`);
        await Promise.all(ids.map((id, index) => ask(replicas[index % 3]!, id, asCaller(index))));
        expect(emulator.stats.queryLimitRefusals).toBeGreaterThan(0);
      } finally {
        await stopReplicas(replicas);
      }
    }, 90_000);

    describe('the shared cache', () => {
      afterAll(stopSharedReplicas);

      it('lets replicas share one caller’s cached dialogs, and never another caller’s', async () => {
        const replicas = await sharedReplicas();
        const anna = { authorization: `Bearer ${DEMO_TOKENS.anna}` };
        const boris = { authorization: `Bearer ${DEMO_TOKENS.boris}` };
        expect((await ask(replicas[0]!, 'chat10250', anna)).data?.dialog?.title).toBe(
          'Project room #250',
        );
        expect(emulator.requests).toHaveLength(1);
        // The other replica serves Anna from Redis, without asking the portal.
        expect((await ask(replicas[1]!, 'chat10250', anna)).data?.dialog?.title).toBe(
          'Project room #250',
        );
        expect(emulator.requests).toHaveLength(1);
        // Boris is never served Anna's entry: the portal answers him ACCESS_ERROR.
        const borisAnswer = await ask(replicas[1]!, 'chat10250', boris);
        expect(borisAnswer.data?.dialog).toEqual({});
        expect(emulator.requests).toHaveLength(2);
        expect(emulator.requests.at(-1)).toMatchObject({ userId: 2 });
      }, 60_000);
    });

    describe('Redis going away', () => {
      let replicas: Replica[];
      afterEach(async () => {
        await stopReplicas(replicas);
        await redis.restart();
      });

      it('keeps answering on a local budget, warns, says degraded, and recovers when Redis is back', async () => {
        replicas = await startReplicas(2, {
          ...portalEnv(),
          // 4/s: a fifth of the portal's drain, as 2/s was of its former 10/s (this scenario scaled
          // whole, 2× faster): each replica's local share (2/s, started full) answers the 3 calls it
          // gets during the outage in 1.5 s rather than 3 s.
          BITRIX24_RPS: '4',
          REDIS_URL: redis.url,
          REPLICAS_HINT: '2',
        });
        const readiness = async (replica: Replica) => {
          const response = await got(`${replica.base}/readiness`, {
            throwHttpErrors: false,
            retry: { limit: 0 },
          });
          return {
            status: response.statusCode,
            body: JSON.parse(response.body) as { status: string; reason?: string },
          };
        };
        expect(await readiness(replicas[0]!)).toEqual({ status: 200, body: { status: 'ready' } });
        const before = Array.from({ length: 6 }, (_, index) =>
          ask(replicas[index % 2]!, `chat${10201 + index}`),
        );
        await redis.stop();
        const during = Array.from({ length: 6 }, (_, index) =>
          ask(replicas[index % 2]!, `chat${10211 + index}`),
        );
        const answers = await Promise.all([...before, ...during]);
        expect(
          answers.every(
            (answer) =>
              answer.errors === undefined && answer.data?.dialog?.title?.startsWith('Project room'),
          ),
        ).toBe(true);
        expect(emulator.stats.queryLimitRefusals).toBe(0);
        const degraded = await readiness(replicas[0]!);
        expect(degraded.status).toBe(200);
        expect(degraded.body.status).toBe('degraded');
        expect(degraded.body.reason).toMatch(/redis .* unavailable/);
        for (const { server } of replicas) {
          await server.waitForLine(
            /redis unavailable: pacing falls back to a local share of each portal's budget \(1\/2: REPLICAS_HINT\)/,
          );
        }
        // Both processes are alive and well, and come back to "ready" with Redis.
        await redis.restart();
        // The second "redis ready" line: the first one was written at start.
        const readyLines = () =>
          replicas[0]!.server.stdout.filter((line) => line.includes('redis ready')).length;
        for (let waited = 0; readyLines() < 2 && waited < 15_000; waited += 100)
          await new Promise((resolve) => setTimeout(resolve, 100));
        expect(readyLines()).toBe(2);
        expect((await readiness(replicas[0]!)).body.status).toBe('ready');
        expect((await ask(replicas[1]!, 'chat21191')).data?.dialog?.title).toBe('Mint Chat #3');
      }, 90_000);

      it('does not overrun the portal when Redis dies and comes back empty (REPLICAS_HINT=1): both transitions start full', async () => {
        // A portal paced as the server is told (bucket 10, 2/s), kept busy through both transitions.
        const portal = await startEmulator({ rateLimit: { capacity: 10, drainPerSecond: 2 } });
        try {
          replicas = await startReplicas(1, {
            BITRIX24_WEBHOOK_URL: portal.webhookUrl(),
            BITRIX24_RPS: '2',
            BITRIX24_BURST: '10',
            REQUEST_DEADLINE_MS: '60000',
            REDIS_URL: redis.url,
          });
          const replica = replicas[0]!;
          const readyLines = () =>
            replica.server.stdout.filter((line) => line.includes('redis ready')).length;
          const answers: Array<ReturnType<typeof ask>> = [];
          let demand = true;
          const demanding = (async () => {
            for (let index = 0; demand; index++) {
              answers.push(ask(replica, `chat${10001 + (index % 250)}`));
              await new Promise((resolve) => setTimeout(resolve, 50));
            }
          })();
          // Each phase lasts 1 s: demand at 20/s fills the portal's bucket in 0.5 s, and a transition
          // that started empty would let ~9 calls go at once within 0.5 s of it, into a full bucket.
          await new Promise((resolve) => setTimeout(resolve, 1000));
          await redis.stop();
          await new Promise((resolve) => setTimeout(resolve, 1000));
          await redis.restart();
          for (let waited = 0; readyLines() < 2 && waited < 15_000; waited += 100)
            await new Promise((resolve) => setTimeout(resolve, 100));
          expect(readyLines()).toBe(2);
          await new Promise((resolve) => setTimeout(resolve, 1000));
          demand = false;
          await demanding;
          const settled = await Promise.all(answers);
          expect(settled.filter((answer) => answer.errors !== undefined)).toEqual([]);
          expect(portal.stats.queryLimitRefusals).toBe(0);
        } finally {
          await portal.close();
        }
      }, 90_000);

      it('tells a hung Redis (SIGSTOP): /readiness says degraded, requests are paced locally at once', async () => {
        replicas = await startReplicas(1, {
          ...portalEnv(),
          REDIS_URL: redis.url,
          CACHE_TTL_MS: '60000',
        });
        const replica = replicas[0]!;
        const status = async () =>
          (
            JSON.parse(
              (await got(`${replica.base}/readiness`, { throwHttpErrors: false })).body,
            ) as { status: string }
          ).status;
        expect(await status()).toBe('ready');
        redis.pause();
        try {
          let seen = await status();
          for (let waited = 0; seen !== 'degraded' && waited < 5000; waited += 100) {
            await new Promise((resolve) => setTimeout(resolve, 100));
            seen = await status();
          }
          expect(seen).toBe('degraded');
          // The cache misses and the local bucket paces at once, not each after a Redis command's
          // 1 s timeout: one slot of the local bucket (started full: 500 ms at 2/s) and the call.
          const started = Date.now();
          expect((await ask(replica, 'chat21191')).data?.dialog?.title).toBe('Mint Chat #3');
          expect(Date.now() - started).toBeLessThan(1200);
        } finally {
          redis.resume();
        }
        let seen = await status();
        for (let waited = 0; seen !== 'ready' && waited < 5000; waited += 100) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          seen = await status();
        }
        expect(seen).toBe('ready');
      }, 60_000);

      it('starts and serves when Redis is unreachable from the start', async () => {
        const closedPort = await freePort();
        replicas = await startReplicas(1, {
          ...portalEnv(),
          REDIS_URL: `redis://127.0.0.1:${closedPort}`,
        });
        expect((await ask(replicas[0]!, 'chat21191')).data?.dialog?.title).toBe('Mint Chat #3');
        await replicas[0]!.server.waitForLine(/redis unavailable/);
        const response = await got(`${replicas[0]!.base}/readiness`, { throwHttpErrors: false });
        expect(JSON.parse(response.body)).toMatchObject({ status: 'degraded' });
      }, 60_000);
    });
  },
);
