import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startEmulator } from '../src/emulator/server.js';
import { redisAvailable, startRedis } from '../test/helpers/redis.js';
import { startChild, type Child } from './children.js';

const MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url));
const SECONDS = 10;

export interface ReplicaRow {
  readonly replicas: number;
  readonly redis: boolean;
  readonly calls: number;
  readonly allowed: number;
  readonly refusals: number;
}

/**
 * `replicas` servers on one portal (50 ms per call, the real leaky bucket of 50 and 2/s), each under
 * more demand than the portal can take for SECONDS: how many calls reach the portal, against what its
 * bucket allows in that time, and how many it refuses.
 */
export async function measureReplicas(
  replicas: number,
  redisUrl: string | undefined,
  freePort: () => Promise<number>,
): Promise<ReplicaRow> {
  const emulator = await startEmulator({
    latencyMs: 50,
    rateLimit: { capacity: 50, drainPerSecond: 2 },
  });
  const servers: Child[] = [];
  try {
    for (let i = 0; i < replicas; i++) {
      servers.push(
        await startChild(MAIN, {
          PORT: String(await freePort()),
          HOST: '127.0.0.1',
          BITRIX24_WEBHOOK_URL: emulator.webhookUrl(),
          LOG_LEVEL: 'info',
          REPLICAS_HINT: String(replicas),
          ...(redisUrl ? { REDIS_URL: redisUrl } : { BITRIX24_RETRIES: '0' }),
        }),
      );
    }
    emulator.clearRequests();
    const started = performance.now();
    await Promise.all(
      servers.map((server) =>
        autocannon({
          url: `http://127.0.0.1:${server.port}/graphql`,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: '{ dialog(id: "chat21191") { ... on Dialog { title } } }',
          }),
          connections: 10,
          duration: SECONDS,
        }),
      ),
    );
    const elapsed = (performance.now() - started) / 1000;
    const accepted = emulator.requests.filter((request) => request.status === 200).length;
    return {
      replicas,
      redis: redisUrl !== undefined,
      calls: accepted,
      allowed: Math.floor(50 + 2 * elapsed),
      refusals: emulator.stats.queryLimitRefusals,
    };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await emulator.close();
  }
}

/** The rows with Redis (1, 2, 4 replicas) and the control without it, or undefined without redis-server. */
export async function replicaRows(
  freePort: () => Promise<number>,
): Promise<ReplicaRow[] | undefined> {
  if (!redisAvailable) return undefined;
  const redis = await startRedis();
  try {
    const rows: ReplicaRow[] = [];
    for (const count of [1, 2, 4]) rows.push(await measureReplicas(count, redis.url, freePort));
    rows.push(await measureReplicas(4, undefined, freePort));
    return rows;
  } finally {
    await redis.stop();
  }
}
