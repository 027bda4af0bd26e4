import { RequestPipeline } from '../../src/request-pipeline.js';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import got from 'got';
import { print, type ExecutionResult } from 'graphql';
import type { BatchWindow, RetryPolicy } from '../../src/bitrix/scheduler/portal-scheduler.js';
import type { PortalTarget } from '../../src/bitrix/credentials.js';
import { SAMPLE_FIXTURES, SAMPLE_USER_ID, type Fixtures } from '../../src/emulator/fixtures.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/server.js';
import { createLogger } from '../../src/logger.js';
import type { OperationLimits } from '../../src/limits.js';
import { createMetrics, type Metrics } from '../../src/metrics.js';
import { createApp } from '../../src/server.js';
import { createUpstream, type Upstream } from '../../src/upstream.js';
import { recordOutput, registerFixtureSecrets, registerSecret } from './outputs.js';

/** Collects every line a logger writes, so tests can read (and grep) the logs. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    const lines = chunk.toString('utf8').split('\n').filter((line) => line !== '');
    this.lines.push(...lines);
    for (const line of lines) recordOutput(line);
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
  entries(): Array<Record<string, unknown>> {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

export interface StackOptions {
  readonly emulator?: EmulatorOptions;
  /** `webhook` (default) runs as the demo webhook; `oauth` forwards each caller's bearer token. */
  readonly mode?: 'webhook' | 'oauth';
  /** Overrides the webhook base URL (another user, another secret). */
  readonly webhookUrl?: (emulator: Emulator) => string;
  readonly timeoutMs?: number;
  readonly graphiql?: boolean;
  /** Outbound pacing (default: generous enough never to wait). */
  readonly rps?: number;
  readonly burst?: number;
  readonly maxQueue?: number;
  readonly batchWindow?: BatchWindow;
  readonly maxAnswerBytes?: number;
  /** Default: 3 retries with short delays, so fault tests stay fast. */
  readonly retry?: RetryPolicy;
  readonly deadlineMs?: number;
  readonly healthFreshForMs?: number;
  readonly operatingBudgetSeconds?: number;
  readonly introspection?: boolean;
  readonly federationSdl?: boolean;
  readonly corsOrigins?: readonly string[];
  readonly maxRequestBodyBytes?: number;
  readonly limits?: OperationLimits;
  readonly persistedOperations?: ReadonlyMap<string, string>;
  readonly cacheTtlMs?: number;
  readonly cacheMaxEntries?: number;
  /**
   * Scrub the webhook secret from log lines by value, as production does. Off by default, so that the
   * run-wide secret scan (test/secret-scan.mjs) proves nothing writes a secret in the first place.
   */
  readonly scrubSecrets?: boolean;
}

export interface GraphQLResponse<TData> {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: ExecutionResult<TData>;
  readonly raw: string;
}

export interface Stack {
  readonly emulator: Emulator;
  readonly url: string;
  readonly logs: LogCapture;
  readonly upstream: Upstream;
  readonly metrics: Metrics;
  /** Sends an operation as JSON over HTTP POST, as a frontend does. */
  query<TData = Record<string, unknown>, TVariables = Record<string, unknown>>(
    document: TypedDocumentNode<TData, TVariables> | string,
    variables?: TVariables,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<TData>>;
  /** HTTP calls the emulator received since the last `resetCalls()`. */
  upstreamCalls(): number;
  resetCalls(): void;
  close(): Promise<void>;
}

/** Starts the emulator and the real yoga server on loopback, wired as in production. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  registerFixtureSecrets();
  const emulator = await startEmulator({ ...options.emulator });
  const logs = new LogCapture();
  const webhookUrl = options.webhookUrl?.(emulator) ?? emulator.webhookUrl();
  const secret = new URL(webhookUrl).pathname.split('/')[3] ?? '';
  const logger = createLogger({ level: 'trace', destination: logs, secrets: options.scrubSecrets === true ? [secret] : [] });
  const portal: PortalTarget = options.mode === 'oauth'
    ? { kind: 'oauth', portalUrl: new URL(`${emulator.url}/`) }
    : { kind: 'webhook', webhookUrl: new URL(webhookUrl) };
  const metrics = createMetrics();
  // One counter for both sides: the app counts requests on their way, the scheduler asks it.
  const pipeline = new RequestPipeline();
  const upstream = createUpstream({
    moreLookupsComing: () => pipeline.busy(),
    logger,
    events: metrics.upstreamEvents,
    timeoutMs: options.timeoutMs ?? 5000,
    rps: options.rps ?? 1000,
    burst: options.burst ?? 2000,
    maxWaiting: options.maxQueue ?? 5000,
    ...(options.batchWindow ? { batchWindow: options.batchWindow } : {}),
    ...(options.maxAnswerBytes !== undefined ? { maxAnswerBytes: options.maxAnswerBytes } : {}),
    retry: options.retry ?? { retries: 3, baseDelayMs: 20, maxDelayMs: 200 },
    ...(options.healthFreshForMs !== undefined ? { healthFreshForMs: options.healthFreshForMs } : {}),
    ...(options.operatingBudgetSeconds !== undefined ? { methodTimeBudgetSeconds: options.operatingBudgetSeconds } : {}),
    ...(options.cacheTtlMs !== undefined ? { cacheTtlMs: options.cacheTtlMs } : {}),
    ...(options.cacheMaxEntries !== undefined ? { cacheMaxEntries: options.cacheMaxEntries } : {}),
  });
  const { scheduler, health } = upstream;
  const { yoga, server } = createApp({
    pipeline,
    portal,
    scheduler,
    health,
    logger,
    graphiql: options.graphiql ?? true,
    introspection: options.introspection ?? true,
    ...(options.federationSdl !== undefined ? { federationSdl: options.federationSdl } : {}),
    corsOrigins: options.corsOrigins ?? [],
    maxRequestBodyBytes: options.maxRequestBodyBytes ?? 102_400,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.persistedOperations ? { persistedOperations: options.persistedOperations } : {}),
    metrics,
    cache: upstream.cache,
    deadlineMs: options.deadlineMs ?? 10_000,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let callsBefore = 0;

  return {
    emulator,
    url,
    logs,
    upstream,
    metrics,
    async query(document, variables, headers = {}) {
      const query = typeof document === 'string' ? document : print(document);
      const response = await got.post(`${url}/graphql`, {
        json: { query, variables },
        headers: { accept: 'application/graphql-response+json', ...headers },
        throwHttpErrors: false,
        retry: { limit: 0 },
      });
      recordOutput(response.body);
      recordOutput(JSON.stringify(response.headers));
      return {
        status: response.statusCode,
        contentType: response.headers['content-type'],
        body: JSON.parse(response.body) as ExecutionResult<never>,
        raw: response.body,
      };
    },
    upstreamCalls: () => emulator.requests.length - callsBefore,
    resetCalls: () => {
      callsBefore = emulator.requests.length;
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await yoga.dispose();
      upstream.scheduler.close();
      await emulator.close();
    },
  };
}

/** Runs `run` against a fresh stack, and always closes it. */
export async function withStack(options: StackOptions, run: (stack: Stack) => Promise<void>): Promise<void> {
  const stack = await startStack(options);
  try {
    await run(stack);
  } finally {
    await stack.close();
  }
}

/** `{ a0: dialog(id: "…") { … } a1: … }`: one aliased field per id. */
export function aliasedDialogsQuery(ids: readonly string[], selection = '__typename ... on Dialog { id title } ... on Error { code }'): string {
  return `{ ${ids.map((id, index) => `a${index}: dialog(id: ${JSON.stringify(id)}) { ${selection} }`).join(' ')} }`;
}

/**
 * The sample portal plus `count` valid OAuth tokens of the sample user: each one a caller identity
 * of its own, whose lookups never share a call with another's (for tests of the budget per call).
 */
export function withCallerTokens(count: number): { fixtures: Fixtures; tokens: string[] } {
  const tokens = Array.from({ length: count }, (_, index) => `test-caller-token-${index}-${Math.random().toString(36).slice(2, 10)}`);
  for (const token of tokens) registerSecret(token);
  return {
    fixtures: { ...SAMPLE_FIXTURES, tokens: [...SAMPLE_FIXTURES.tokens, ...tokens.map((token) => ({ token, userId: SAMPLE_USER_ID, scopes: ['im'] }))] },
    tokens,
  };
}
