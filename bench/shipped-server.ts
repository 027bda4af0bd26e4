import type { AddressInfo } from 'node:net';
import got from 'got';
import { pino } from 'pino';
import { type Config, loadConfig } from '../src/config.js';
import { type Emulator, type EmulatorOptions, startEmulator } from '../src/emulator/server.js';
import { createDialogServer } from '../src/server/create-server.js';

/** The portal as the benchmarks see it: 50 ms per call and the real leaky bucket (50, 2/s). */
export const BENCH_PORTAL = {
  latencyMs: 50,
  rateLimit: { capacity: 50, drainPerSecond: 2 },
} as const satisfies EmulatorOptions;

/** The server as shipped (BITRIX24_RPS=2, BITRIX24_BURST=50 and every other default). */
export const SHIPPED = loadConfig({});

export interface ShippedServer {
  /** The fresh portal behind the server: its requests and refusals are the bench's to count. */
  readonly emulator: Emulator;
  /** One GraphQL operation over loopback HTTP: its answer and how long it took. */
  post<T>(operation: {
    query: string;
    variables?: Record<string, unknown>;
  }): Promise<{ body: T; ms: number }>;
}

/**
 * A fresh emulator (`BENCH_PORTAL` unless told otherwise) and the server as shipped in this
 * process, listening on loopback, for `use`; both are closed after it.
 */
export async function withShippedServer<R>(
  options: { emulator?: EmulatorOptions; config?: Partial<Config> },
  use: (server: ShippedServer) => Promise<R>,
): Promise<R> {
  const emulator = await startEmulator(options.emulator ?? BENCH_PORTAL);
  const { server, close } = await createDialogServer({
    config: { ...SHIPPED, graphiql: false, ...options.config },
    portal: { kind: 'webhook', webhookUrl: new URL(emulator.webhookUrl()) },
    logger: pino({ level: 'silent' }),
    overrides: { processMetrics: false },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  try {
    return await use({
      emulator,
      async post<T>(operation: { query: string; variables?: Record<string, unknown> }) {
        const started = performance.now();
        const body = await got.post(url, { json: operation }).json<T>();
        return { body, ms: performance.now() - started };
      },
    });
  } finally {
    server.closeAllConnections();
    server.close();
    await close();
    await emulator.close();
  }
}
