/**
 * The server exactly as `npm start` assembles it (src/assemble.ts), for benchmarks, with the
 * optimisations that the benchmark measures switchable through BENCH_KNOBS (JSON). Environment as for src/main.ts: PORT,
 * BITRIX24_WEBHOOK_URL, BITRIX24_RPS, BITRIX24_BURST, CACHE_TTL_MS, LOG_LEVEL.
 */
import type { AddressInfo } from 'node:net';
import { createDialogServer } from '../src/server/create-server.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';

export interface Knobs {
  readonly keepAlive?: boolean;
  readonly parseCache?: boolean;
}

const knobs = JSON.parse(process.env.BENCH_KNOBS ?? '{}') as Knobs;
const config = loadConfig(process.env);
if (config.portal.kind !== 'webhook' && config.portal.kind !== 'oauth')
  throw new Error('bench server needs BITRIX24_WEBHOOK_URL or BITRIX24_PORTAL_URL');
const { server } = await createDialogServer({
  config,
  portal: config.portal,
  logger: createLogger({ level: config.logLevel }),
  overrides: knobs,
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
