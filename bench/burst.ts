import { Agent, request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { startChild, type Child } from './children.js';

/*
 * A burst far beyond what the server can work on at once (issue 21, item 7): 500 GraphQL requests
 * of 200 dialog ids each, sent together, while a prober asks /health every 100 ms. The portal is
 * the emulator with the real leaky bucket (50 calls, 2/s, 50 ms a call); the server runs as
 * shipped (REQUEST_DEADLINE_MS=25000). What matters is what a client sees: how long it waited
 * against the deadline, and whether /health stayed fast while the server was busy.
 */

const MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url));
const EMULATOR = fileURLToPath(new URL('../src/emulator/main.js', import.meta.url));
export const BURST_REQUESTS = 500;
export const IDS_PER_REQUEST = 200;
export const BURST_DEADLINE_MS = 25_000;
const HEALTH_EVERY_MS = 100;

export interface BurstFigures {
  /** MAX_OPERATIONS_IN_FLIGHT of the run. */
  readonly limit: number;
  readonly requests: number;
  /** Answered 200 (with data or errors): the server worked on them. */
  readonly worked: number;
  /** Answered 503 at once by admission control. */
  readonly refused: number;
  /** Anything else: other statuses, resets, the client's own 120 s timeout. */
  readonly failed: number;
  /** The longest a client waited for any answer, from the moment it sent its request. */
  readonly maxWaitMs: number;
  /** The longest wait of the requests answered 503. */
  readonly maxRefusalMs: number;
  readonly healthSamples: number;
  readonly healthP99Ms: number;
  readonly healthMaxMs: number;
}

/** A connection per request: the burst is 500 clients, not one client's pool. */
const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });

function send(
  port: number,
  method: 'GET' | 'POST',
  path: string,
  payload?: string,
): Promise<{ status: number; ms: number }> {
  const startedAt = performance.now();
  return new Promise((resolve) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        agent,
        headers: payload
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
          : {},
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, ms: performance.now() - startedAt }),
        );
        response.on('error', () => resolve({ status: 0, ms: performance.now() - startedAt }));
      },
    );
    request.setTimeout(120_000, () => request.destroy(new Error('timeout')));
    request.on('error', () => resolve({ status: 0, ms: performance.now() - startedAt }));
    request.end(payload);
  });
}

const percentile = (values: readonly number[], share: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0
    ? 0
    : sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;
};

/**
 * Runs the burst against a fresh emulator and server. Every request asks for 200 ids no other
 * request asks for, so no two share a lookup: the portal can answer a few thousand of the 100 000
 * within the deadline, and the server must shed the rest without letting clients wait past it.
 */
export async function measureAdmissionBurst(options: {
  freePort: () => Promise<number>;
  /** MAX_OPERATIONS_IN_FLIGHT; undefined: the default. */
  limit?: number;
}): Promise<BurstFigures> {
  const emulator: Child = await startChild(EMULATOR, {
    EMULATOR_PORT: String(await options.freePort()),
    EMULATOR_LATENCY_MS: '50',
    EMULATOR_RPS: '2',
    EMULATOR_BURST: '50',
    EMULATOR_METHOD_BUDGET_S: 'off',
  });
  const server: Child = await startChild(MAIN, {
    PORT: String(await options.freePort()),
    HOST: '127.0.0.1',
    BITRIX24_WEBHOOK_URL: `http://127.0.0.1:${emulator.port}/rest/1/demo0webhook0secret/`,
    REQUEST_DEADLINE_MS: String(BURST_DEADLINE_MS),
    LOG_LEVEL: 'info',
    GRAPHIQL: 'false',
    ...(options.limit !== undefined ? { MAX_OPERATIONS_IN_FLIGHT: String(options.limit) } : {}),
  });
  try {
    // Warm the JIT with a few small requests (no portal call: an id outside its grammar).
    for (let round = 0; round < 5; round++) {
      await Promise.all(
        Array.from({ length: 20 }, () =>
          send(
            server.port,
            'POST',
            '/graphql',
            JSON.stringify({ query: '{ dialog(id: "not-an-id") { __typename } }' }),
          ),
        ),
      );
    }
    const bodies = Array.from({ length: BURST_REQUESTS }, (_, request) =>
      JSON.stringify({
        query: 'query Page($ids: [ID!]!) { dialogs(ids: $ids) { ... on Dialog { id title } } }',
        variables: {
          ids: Array.from(
            { length: IDS_PER_REQUEST },
            (_, index) => `chat${100_000 + request * IDS_PER_REQUEST + index}`,
          ),
        },
      }),
    );
    let bursting = true;
    const health: number[] = [];
    const prober = (async () => {
      while (bursting) {
        const sentAt = performance.now();
        health.push((await send(server.port, 'GET', '/health')).ms);
        const rest = HEALTH_EVERY_MS - (performance.now() - sentAt);
        if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
      }
    })();
    const answers = await Promise.all(
      bodies.map((body) => send(server.port, 'POST', '/graphql', body)),
    );
    bursting = false;
    await prober;
    const refused = answers.filter((answer) => answer.status === 503);
    return {
      limit: options.limit ?? 0,
      requests: answers.length,
      worked: answers.filter((answer) => answer.status === 200).length,
      refused: refused.length,
      failed: answers.filter((answer) => answer.status !== 200 && answer.status !== 503).length,
      maxWaitMs: Math.max(...answers.map((answer) => answer.ms)),
      maxRefusalMs: Math.max(0, ...refused.map((answer) => answer.ms)),
      healthSamples: health.length,
      healthP99Ms: percentile(health, 0.99),
      healthMaxMs: Math.max(0, ...health),
    };
  } finally {
    await server.stop();
    await emulator.stop();
  }
}
