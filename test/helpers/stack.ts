import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import got from 'got';
import { print, type ExecutionResult } from 'graphql';
import type { PortalTarget } from '../../src/bitrix/credentials.js';
import { PortalAllowList } from '../../src/bitrix/portal-allow-list.js';
import type { RetryPolicy } from '../../src/bitrix/scheduler/retry-policy.js';
import type { Upstream } from '../../src/bitrix/upstream.js';
import { loadConfig, type Config } from '../../src/config.js';
import { SAMPLE_FIXTURES, SAMPLE_USER_ID, type Fixtures } from '../../src/emulator/fixtures.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/server.js';
import { createLogger } from '../../src/logger.js';
import { createDialogServer, type ServerOverrides } from '../../src/server/create-server.js';
import type { Metrics } from '../../src/server/plugins/metrics.js';
import { fakeDns, type FakeDns } from './fake-dns.js';
import { armTripwire, type Tripwire } from './loopback-tripwire.js';
import { recordOutput, registerFixtureSecrets, registerSecret } from './outputs.js';

/** Collects every line a logger writes, so tests can read (and grep) the logs. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    const lines = chunk
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== '');
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

/**
 * A test server is the production server (createDialogServer) with any configuration value and
 * any override a test names; the rest are production's defaults, except for these, which keep a
 * test fast and never waiting on a budget it does not test.
 */
const TEST_DEFAULTS = {
  timeoutMs: 5000,
  rps: 1000,
  burst: 2000,
  deadlineMs: 10_000,
  graphiql: true,
  introspection: true,
} satisfies Partial<Config>;

/** 3 retries with short delays, so fault tests stay fast. */
const TEST_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 20, maxDelayMs: 200 };

export interface StackOptions extends Partial<Omit<Config, 'portal'>>, ServerOverrides {
  readonly emulator?: EmulatorOptions;
  /** `webhook` (default) runs as the demo webhook; `oauth` forwards each caller's bearer token. */
  readonly mode?: 'webhook' | 'oauth';
  /**
   * Multi-portal mode (BITRIX24_PORTALS): one emulator per portal, listed as `http://HOST:PORT` and
   * reached through a test-only DNS override mapping each HOST to 127.0.0.1 (no /etc/hosts). The
   * first portal's emulator is `emulator`. A tripwire stops any connection outside loopback.
   * `allowedPrivateAddresses` defaults to the emulators' 127.0.0.1, listed explicitly.
   */
  readonly portals?: ReadonlyArray<{ readonly host: string; readonly emulator?: EmulatorOptions }>;
  /** More entries of the allow-list, given the portals' emulators (wildcards, names resolving elsewhere). */
  readonly extraPortalEntries?: (emulators: ReadonlyMap<string, Emulator>) => readonly string[];
  /** More names for the test DNS: name → the addresses it resolves to. */
  readonly dns?: Readonly<Record<string, readonly string[]>>;
  /** Overrides the webhook base URL (another user, another secret). */
  readonly webhookUrl?: (emulator: Emulator) => string;
  /** Retries and their delays at once (`retries` is BITRIX24_RETRIES, the delays an override). */
  readonly retry?: RetryPolicy;
  /**
   * Scrub the webhook secret from log lines by value, as production does. Off by default, so that the
   * run-wide secret scan (test/secret-scan.mjs) proves nothing writes a secret in the first place.
   */
  readonly scrubSecrets?: boolean;
  /**
   * How requests reach the server. `http` (default): it listens on a loopback port and `query` and
   * `fetch` go through a socket. `fetch`: the same server (createDialogServer) is never bound to a
   * port; requests are handed to yoga's own `fetch`, so the client→server hop has no socket (the
   * in-process tier, test/in-process/). The portal side is the emulator over loopback HTTP either way.
   */
  readonly transport?: 'http' | 'fetch';
}

/** The configuration of a test server: production's, with the test defaults and the test's own values. */
function configFor(options: StackOptions): Config {
  const {
    emulator: _emulator,
    portals: _portals,
    extraPortalEntries: _extra,
    dns: _dns,
    portalLookup: _lookup,
    mode: _mode,
    webhookUrl: _webhookUrl,
    retry = TEST_RETRY,
    scrubSecrets: _scrub,
    retryDelays: _delays,
    healthFreshForMs: _fresh,
    operationLimits: _limits,
    keepAlive: _keepAlive,
    parseCache: _parseCache,
    processMetrics: _processMetrics,
    transport: _transport,
    ...values
  } = options;
  const introspection = values.introspection ?? TEST_DEFAULTS.introspection;
  return {
    ...loadConfig({}),
    ...TEST_DEFAULTS,
    retries: retry.retries,
    // As in production, federation's SDL follows introspection unless a test says otherwise.
    federationSdl: values.federationSdl ?? introspection,
    ...values,
  };
}

export interface GraphQLResponse<TData> {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: ExecutionResult<TData>;
  readonly raw: string;
}

/** An HTTP answer of the server, read whole. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export interface Stack {
  /** `http` (a loopback port) or `fetch` (yoga's own fetch, no socket). */
  readonly transport: 'http' | 'fetch';
  readonly emulator: Emulator;
  /** Multi-portal mode: each portal's emulator, by host. */
  readonly portalEmulators: ReadonlyMap<string, Emulator>;
  /** Multi-portal mode: the test DNS (what it was asked). */
  readonly dns: FakeDns | undefined;
  /** Multi-portal mode: connections attempted outside loopback (must stay empty). */
  readonly tripwire: Tripwire | undefined;
  /** `http://127.0.0.1:PORT`. An in-process stack (`transport: 'fetch'`) has none: reading it throws. */
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
  /** Any request to the server (`path` like `/health` or `/graphql?query=…`), over the stack's transport. */
  fetch(path: string, init?: RequestInit): Promise<HttpAnswer>;
  /** HTTP calls the emulator received since the last `resetCalls()`. */
  upstreamCalls(): number;
  resetCalls(): void;
  close(): Promise<void>;
}

/** Starts the emulator and the real yoga server on loopback, wired as in production. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  registerFixtureSecrets();
  const portalEmulators = new Map<string, Emulator>();
  for (const spec of options.portals ?? [])
    portalEmulators.set(spec.host, await startEmulator({ ...spec.emulator }));
  const emulator =
    portalEmulators.values().next().value ?? (await startEmulator({ ...options.emulator }));
  const logs = new LogCapture();
  const webhookUrl = options.webhookUrl?.(emulator) ?? emulator.webhookUrl();
  const secret = new URL(webhookUrl).pathname.split('/')[3] ?? '';
  const logger = createLogger({
    level: 'trace',
    destination: logs,
    secrets: options.scrubSecrets === true ? [secret] : [],
  });
  const multiPortal = portalEmulators.size > 0;
  const dns = multiPortal
    ? fakeDns({
        ...Object.fromEntries([...portalEmulators.keys()].map((host) => [host, ['127.0.0.1']])),
        ...options.dns,
      })
    : undefined;
  const tripwire = multiPortal ? armTripwire() : undefined;
  const portal: PortalTarget = multiPortal
    ? {
        kind: 'portals',
        allowList: PortalAllowList.parse(
          [
            ...[...portalEmulators].map(
              ([host, portalEmulator]) => `http://${host}:${new URL(portalEmulator.url).port}`,
            ),
            ...(options.extraPortalEntries?.(portalEmulators) ?? []),
          ].join(','),
        ),
      }
    : options.mode === 'oauth'
      ? { kind: 'oauth', portalUrl: new URL(`${emulator.url}/`) }
      : { kind: 'webhook', webhookUrl: new URL(webhookUrl) };
  const retry = options.retry ?? TEST_RETRY;
  const dialogServer = await createDialogServer({
    config: {
      ...configFor(options),
      ...(multiPortal
        ? { allowedPrivateAddresses: options.allowedPrivateAddresses ?? ['127.0.0.1'] }
        : {}),
    },
    portal,
    logger,
    overrides: {
      retryDelays: options.retryDelays ?? {
        baseDelayMs: retry.baseDelayMs,
        maxDelayMs: retry.maxDelayMs,
      },
      processMetrics: options.processMetrics ?? false,
      ...(options.healthFreshForMs !== undefined
        ? { healthFreshForMs: options.healthFreshForMs }
        : {}),
      ...(options.operationLimits ? { operationLimits: options.operationLimits } : {}),
      ...(options.keepAlive !== undefined ? { keepAlive: options.keepAlive } : {}),
      ...(options.parseCache !== undefined ? { parseCache: options.parseCache } : {}),
      // The only place a resolver is injected: production has no such configuration.
      ...(dns ? { portalLookup: dns.lookup } : {}),
    },
  });
  const { server, upstream, metrics, yoga } = dialogServer;
  const transport = options.transport ?? 'http';
  let url: string | undefined;
  if (transport === 'http') {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  /** One request over the transport: a socket to the listening server, or yoga's fetch handed the Request. */
  const send = async (path: string, init: RequestInit = {}): Promise<HttpAnswer> => {
    const response =
      url === undefined
        ? // Any origin does: nothing is connected, the URL only gives yoga the path and the query.
          await yoga.fetch(new URL(path, 'http://127.0.0.1'), init)
        : await fetch(new URL(path, url), { ...init, redirect: 'manual' });
    const text = await response.text();
    recordOutput(text);
    recordOutput(JSON.stringify(Object.fromEntries(response.headers)));
    return { status: response.status, headers: response.headers, text };
  };
  let callsBefore = 0;

  return {
    transport,
    emulator,
    portalEmulators,
    dns,
    tripwire,
    get url(): string {
      if (url === undefined)
        throw new Error(
          'an in-process stack (transport: fetch) listens on no port: use stack.fetch or stack.query',
        );
      return url;
    },
    logs,
    upstream,
    metrics,
    async query(document, variables, headers = {}) {
      const query = typeof document === 'string' ? document : print(document);
      if (url !== undefined) {
        // Over HTTP with got, as a frontend's client library sends it.
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
      }
      const response = await send('/graphql', {
        method: 'POST',
        body: JSON.stringify({ query, variables }),
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
          ...headers,
        },
      });
      return {
        status: response.status,
        contentType: response.headers.get('content-type') ?? undefined,
        body: JSON.parse(response.text) as ExecutionResult<never>,
        raw: response.text,
      };
    },
    fetch: send,
    upstreamCalls: () => emulator.requests.length - callsBefore,
    resetCalls: () => {
      callsBefore = emulator.requests.length;
    },
    async close() {
      if (server.listening) {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      }
      await dialogServer.close();
      if (portalEmulators.size === 0) await emulator.close();
      for (const portalEmulator of portalEmulators.values()) await portalEmulator.close();
      tripwire?.disarm();
    },
  };
}

/** Runs `run` against a fresh stack, and always closes it. */
export async function withStack(
  options: StackOptions,
  run: (stack: Stack) => Promise<void>,
): Promise<void> {
  const stack = await startStack(options);
  try {
    await run(stack);
  } finally {
    await stack.close();
  }
}

/**
 * The in-process tier (test/in-process/): the production server from createDialogServer, wired as
 * by startStack, with requests handed to yoga's fetch instead of a socket. The portal is still the
 * emulator over loopback HTTP.
 */
export function startInProcessStack(options: Omit<StackOptions, 'transport'> = {}): Promise<Stack> {
  return startStack({ ...options, transport: 'fetch' });
}

/** Runs `run` against a fresh in-process stack, and always closes it. */
export function withInProcessStack(
  options: Omit<StackOptions, 'transport'>,
  run: (stack: Stack) => Promise<void>,
): Promise<void> {
  return withStack({ ...options, transport: 'fetch' }, run);
}

/** `{ a0: dialog(id: "…") { … } a1: … }`: one aliased field per id. */
export function aliasedDialogsQuery(
  ids: readonly string[],
  selection = '__typename ... on Dialog { id title } ... on Error { code }',
): string {
  return `{ ${ids.map((id, index) => `a${index}: dialog(id: ${JSON.stringify(id)}) { ${selection} }`).join(' ')} }`;
}

/**
 * The sample portal plus `count` valid OAuth tokens of the sample user: each one a caller identity
 * of its own, whose lookups never share a call with another's (for tests of the budget per call).
 */
export function withCallerTokens(count: number): { fixtures: Fixtures; tokens: string[] } {
  const tokens = Array.from(
    { length: count },
    (_, index) => `test-caller-token-${index}-${Math.random().toString(36).slice(2, 10)}`,
  );
  for (const token of tokens) registerSecret(token);
  return {
    fixtures: {
      ...SAMPLE_FIXTURES,
      tokens: [
        ...SAMPLE_FIXTURES.tokens,
        ...tokens.map((token) => ({ token, userId: SAMPLE_USER_ID, scopes: ['im'] })),
      ],
    },
    tokens,
  };
}
