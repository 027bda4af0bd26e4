/**
 * The server as `npm start` runs it, for benchmarks, with the optimisations that the benchmark
 * measures switchable through BENCH_KNOBS (JSON). Environment as for src/main.ts: PORT,
 * BITRIX24_WEBHOOK_URL, BITRIX24_RPS, BITRIX24_BURST, CACHE_TTL_MS, LOG_LEVEL.
 */
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createMetrics } from '../src/metrics.js';
import { createApp } from '../src/server.js';
import { createUpstream } from '../src/upstream.js';

export interface Knobs {
  readonly keepAlive?: boolean;
  readonly parseCache?: boolean;
  readonly maxSockets?: number;
}

const knobs = JSON.parse(process.env.BENCH_KNOBS ?? '{}') as Knobs;
const config = loadConfig(process.env);
if (config.portal.kind !== 'webhook') throw new Error('bench server needs BITRIX24_WEBHOOK_URL');
const logger = createLogger({ level: config.logLevel });
const metrics = createMetrics({ processMetrics: true });
const upstream = createUpstream({
  logger,
  timeoutMs: config.timeoutMs,
  rps: config.rps,
  burst: config.burst,
  maxQueue: config.maxQueue,
  events: metrics.clientEvents,
  onQueueChange: metrics.onQueueChange,
  cacheTtlMs: config.cacheTtlMs,
  ...(knobs.keepAlive !== undefined ? { keepAlive: knobs.keepAlive } : {}),
  ...(knobs.maxSockets !== undefined ? { maxSocketsPerPortal: knobs.maxSockets } : {}),
});
const { server } = createApp({
  portal: config.portal,
  client: upstream.client,
  health: upstream.health,
  cache: upstream.cache,
  logger,
  metrics,
  graphiql: false,
  introspection: true,
  corsOrigins: [],
  maxRequestBodyBytes: config.maxRequestBodyBytes,
  deadlineMs: config.deadlineMs,
  ...(knobs.parseCache !== undefined ? { parseCache: knobs.parseCache } : {}),
});
server.listen(config.port, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.once('SIGTERM', () => process.exit(0));
// The bench asks for memory after a full GC (node --expose-gc) to tell a leak from a larger heap.
process.on('message', (message) => {
  if (message !== 'memory') return;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  // A second collection after a tick also frees what finalizers and weak maps released.
  setImmediate(() => {
    gc?.();
    process.send?.(process.memoryUsage());
  });
});
