import { readFileSync } from 'node:fs';
import { customCleanEnv, EnvError, makeExactValidator } from 'envalid';
import { DEFAULT_BATCH_WINDOW } from './bitrix/scheduler/batch-window.js';
import { DEFAULT_RETRY } from './bitrix/scheduler/retry-policy.js';
import { DEFAULT_CACHE_MAX_BYTES } from './bitrix/dialog-cache.js';
import {
  DEFAULT_MAX_ANSWER_BYTES,
  DEFAULT_MAX_ANSWER_BYTES_IN_FLIGHT,
} from './bitrix/transport.js';
import type { PortalTarget } from './bitrix/credentials.js';
import { PortalAllowList, PortalListError } from './bitrix/portal-allow-list.js';
import { canonicalAddress } from './bitrix/portal-egress.js';

/**
 * GraphQL requests worked on at once by default (MAX_OPERATIONS_IN_FLIGHT): room for a burst of
 * 200 one-dialog requests, few enough that a burst of large ones cannot swamp the CPU (bench).
 */
export const DEFAULT_MAX_OPERATIONS_IN_FLIGHT = 256;

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/** OpenTelemetry traces (the standard OTEL_* environment); the SDK reads the rest itself. */
export interface TracingConfig {
  /** OTEL_SERVICE_NAME, default `bitrix24-dialog-graphql`. */
  readonly serviceName: string;
  /** The collector's host (for the log line and metric when exports fail), never its URL. */
  readonly collectorHost: string;
}

export interface Config {
  readonly port: number;
  readonly host: string;
  /** Serve `/metrics` on this (internal) port instead of `port`; undefined: on `port`. */
  readonly metricsPort: number | undefined;
  /**
   * `demo` when no portal is configured (outside production, or with BITRIX24_DEMO=true): main.ts
   * then starts the emulator.
   */
  readonly portal: PortalTarget | { readonly kind: 'demo' };
  /**
   * Multi-portal mode: addresses outside global unicast (private, loopback…) that portal names may
   * resolve to all the same (an on-premise portal inside the network, tests); default none.
   */
  readonly allowedPrivateAddresses: readonly string[];
  readonly timeoutMs: number;
  readonly rps: number;
  readonly burst: number;
  readonly retries: number;
  /** Dialog lookups that may wait for a portal's rate budget. */
  readonly maxQueue: number;
  /** The portal's method-time budget: seconds per 10 minutes; `Infinity`: not counted (on-premise without the limiter). */
  readonly methodTimeBudgetSeconds: number;
  /** `on-premise`: unpaced and no method time unless set (the portal has neither limit by default). */
  readonly portalKind: 'cloud' | 'on-premise';
  /** The largest upstream answer accepted (bytes). */
  readonly maxAnswerBytes: number;
  /** Bytes of upstream answers being read and parsed at once, all calls together; more wait. */
  readonly maxAnswerBytesInFlight: number;
  /** How long a caller's lookups wait for company while the budget would let them go (ms of quiet). */
  readonly batchWindowMs: number;
  readonly deadlineMs: number;
  /** GraphQL requests worked on at once; the rest are answered 503 with Retry-After at once. */
  readonly maxOperationsInFlight: number;
  readonly redisUrl: string | undefined;
  /** Replicas expected to share a portal: the local share of the budget while Redis is away. */
  readonly replicasHint: number;
  readonly cacheTtlMs: number;
  readonly cacheMaxEntries: number;
  /** Size bound of the in-process cache: the JSON bytes of the dialogs it holds. */
  readonly cacheMaxBytes: number;
  readonly graphiql: boolean;
  readonly introspection: boolean;
  /** Serve `_service { sdl }` (federation routers that compose by asking the subgraph need it). */
  readonly federationSdl: boolean;
  readonly logLevel: LogLevel;
  /** NODE_ENV=production: GraphiQL and introspection default to off. */
  readonly production: boolean;
  /** Origins allowed to call from a browser (CORS); empty: none. */
  readonly corsOrigins: readonly string[];
  /** Host header names served (`*.example.com` for any under it); empty: any well-formed Host. */
  readonly hostAllowlist: readonly string[];
  readonly maxRequestBodyBytes: number;
  /** Only the operations of this manifest run (hash → document); undefined: any operation. */
  readonly persistedOperations: ReadonlyMap<string, string> | undefined;
  /** How long in-flight requests may take to finish after SIGTERM. */
  readonly shutdownTimeoutMs: number;
  /** OpenTelemetry traces: on when an OTLP endpoint is set (OTEL_EXPORTER_OTLP_*ENDPOINT). */
  readonly tracing?: TracingConfig;
}

/**
 * A persisted-operations manifest: `{ "<sha256 of the document>": "<document>" }`, as GraphQL Code
 * Generator's client preset writes it (`persistedDocuments: true`). Throws with a one-line reason.
 */
function loadPersistedOperations(path: string): ReadonlyMap<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(
      `cannot read ${path} as JSON (${(error as NodeJS.ErrnoException).code ?? 'invalid JSON'})`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${path} must be a JSON object of hash → document`);
  }
  const entries = Object.entries(parsed);
  if (
    entries.length === 0 ||
    !entries.every(
      ([hash, document]) => /^[0-9a-f]{64}$/.test(hash) && typeof document === 'string',
    )
  ) {
    throw new Error(`${path} must map sha256 hashes to GraphQL documents`);
  }
  return new Map(entries as Array<[string, string]>);
}

/** A configuration problem, worded to name the variable and never to echo its (maybe secret) value. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/** A HOST_ALLOWLIST entry: a host name (underscores too) or IPv4 address, or `*.` and a name of two labels or more. */
const HOST_ENTRY =
  /^(?:\*\.(?=[^.]+\.[^.]+))?[a-z0-9_](?:[a-z0-9_-]*[a-z0-9])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9])?)*$/;

const WEBHOOK_PATH = /^\/rest\/\d+\/[^/]+\/?$/;

/** A host name or address that never leaves the machine. */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host)
  );
}

/**
 * A rule for one variable: `read` turns its text into the value, or gives undefined when the text
 * is not one; then the variable's single sentence is the problem (never its value: it may be a
 * secret).
 */
const rule = <T>(message: string, read: (text: string) => T | undefined) =>
  makeExactValidator<T>((text) => {
    const value = read(text);
    if (value === undefined) throw new EnvError(message);
    return value;
  });

/** How environment variables spell a flag (any case). */
const TRUE_WORDS = ['true', '1', 'yes', 'on', 'y', 'enabled'];
const FALSE_WORDS = ['false', '0', 'no', 'off', 'n', 'disabled'];
const flag = rule('must be true or false', (text) => {
  const word = text.trim().toLowerCase();
  return TRUE_WORDS.includes(word) ? true : FALSE_WORDS.includes(word) ? false : undefined;
});

/**
 * A finite number in [min, max], an integer unless `fractions`; above `max` the variable's
 * sentence is `tooLarge` when it has one of its own.
 */
const numberIn = (
  min: number,
  max: number,
  message: string,
  { fractions = false, tooLarge = message }: { fractions?: boolean; tooLarge?: string } = {},
) =>
  makeExactValidator<number>((text) => {
    const value = Number(text);
    const whole = fractions ? Number.isFinite(value) : Number.isInteger(value);
    if (!whole || value < min) throw new EnvError(message);
    if (value > max) throw new EnvError(tooLarge);
    return value;
  });

const positiveInt = (unit: string) =>
  numberIn(1, Number.MAX_SAFE_INTEGER, `must be a positive integer (${unit})`);
const zeroOrPositiveInt = (unit: string, max = Number.MAX_SAFE_INTEGER) =>
  numberIn(0, max, `must be 0 or a positive integer (${unit})`, {
    tooLarge: `must be at most ${max} (${unit})`,
  });
const port = numberIn(1, 65535, 'must be a port number (1-65535)');

/** One of `words`, exactly. */
const oneOf = <const Word extends string>(words: readonly Word[], message: string) =>
  rule(message, (text) => words.find((word) => word === text));

/** Any text (empty variables were dropped before). */
const text = makeExactValidator<string>((value) => value);

/** A text that passes `fits`. */
const textWhere = (fits: (value: string) => boolean, message: string) =>
  rule(message, (value) => (fits(value) ? value : undefined));

/** An http(s) URL with no credentials, query or fragment, that also passes `fits`. */
const httpUrl = (fits: (url: URL) => boolean, message: string) =>
  textWhere((value) => {
    if (!URL.canParse(value)) return false;
    const url = new URL(value);
    const clean =
      url.username === '' && url.password === '' && url.search === '' && url.hash === '';
    return (url.protocol === 'https:' || url.protocol === 'http:') && clean && fits(url);
  }, message);

/** An http(s) URL (a collector's: a path is fine, credentials in it are not). */
const httpUrlWithPath = (message: string) =>
  textWhere(
    (value) =>
      URL.canParse(value) &&
      ['http:', 'https:'].includes(new URL(value).protocol) &&
      new URL(value).password === '',
    message,
  );

/**
 * A comma-separated list: entries trimmed and `normalize`d, empty ones dropped, each read by
 * `readEntry` (undefined: not an entry).
 */
const listOf = (
  readEntry: (entry: string) => string | undefined,
  message: string,
  normalize: (entry: string) => string = (entry) => entry,
) =>
  rule<readonly string[]>(message, (value) => {
    const entries = value
      .split(',')
      .map((entry) => normalize(entry.trim()))
      .filter((entry) => entry !== '')
      .map(readEntry);
    return entries.every((entry) => entry !== undefined) ? entries : undefined;
  });

/** Keeps `entry` when it passes `fits`. */
const where =
  (fits: (entry: string) => boolean) =>
  (entry: string): string | undefined =>
    fits(entry) ? entry : undefined;

/** The OTLP exporter this server carries sends JSON over HTTP; asking for another is a mistake. */
const otlpProtocol = oneOf(
  ['http/json'],
  'must be http/json (this server sends OTLP over HTTP as JSON; collectors accept it on 4318)',
);

/** Optional variables: undefined when unset. */
const unset = { default: undefined } as const;

const specs = {
  PORT: port({ default: 4000 }),
  HOST: text({ default: '0.0.0.0' }),
  METRICS_PORT: port(unset),
  BITRIX24_WEBHOOK_URL: httpUrl(
    (url) => WEBHOOK_PATH.test(url.pathname),
    'must be a URL like https://PORTAL/rest/USER_ID/SECRET/',
  )(unset),
  BITRIX24_PORTAL_URL: httpUrl(
    (url) => url.pathname === '/',
    'must be the portal address only, like https://PORTAL',
  )(unset),
  BITRIX24_PORTALS: text(unset),
  BITRIX24_ALLOWED_PRIVATE_ADDRESSES: listOf(
    canonicalAddress,
    'must be a comma-separated list of IP addresses, like 10.0.0.5,fd00::5 (exact addresses, not ranges)',
  )(unset),
  BITRIX24_TIMEOUT_MS: positiveInt('milliseconds')({ default: 10_000 }),
  BITRIX24_RPS: numberIn(
    0,
    Number.MAX_VALUE,
    'must be 0 (unpaced) or a positive number (requests per second)',
    { fractions: true },
  )(unset),
  BITRIX24_PORTAL_KIND: oneOf(
    ['cloud', 'on-premise'],
    'must be cloud or on-premise',
  )({
    default: 'cloud',
  }),
  BITRIX24_BURST: positiveInt('requests')({ default: 50 }),
  BITRIX24_RETRIES: zeroOrPositiveInt('retries', 10)({ default: DEFAULT_RETRY.retries }),
  BITRIX24_MAX_QUEUE: positiveInt('waiting dialog lookups')({ default: 5000 }),
  BITRIX24_METHOD_TIME_BUDGET_S: positiveInt('seconds per 10 minutes')(unset),
  BITRIX24_MAX_ANSWER_BYTES: positiveInt('bytes')({ default: DEFAULT_MAX_ANSWER_BYTES }),
  BITRIX24_MAX_ANSWER_BYTES_IN_FLIGHT: positiveInt('bytes')({
    default: DEFAULT_MAX_ANSWER_BYTES_IN_FLIGHT,
  }),
  BITRIX24_BATCH_WINDOW_MS: zeroOrPositiveInt(
    'milliseconds',
    1000,
  )({
    default: DEFAULT_BATCH_WINDOW.quietMs,
  }),
  REQUEST_DEADLINE_MS: positiveInt('milliseconds')({ default: 25_000 }),
  MAX_OPERATIONS_IN_FLIGHT: positiveInt('GraphQL requests in progress')({
    default: DEFAULT_MAX_OPERATIONS_IN_FLIGHT,
  }),
  REDIS_URL: textWhere(
    (value) => /^rediss?:\/\/./.test(value),
    'must be a URL like redis://HOST:6379',
  )(unset),
  CACHE_TTL_MS: zeroOrPositiveInt('milliseconds')({ default: 0 }),
  GRAPHIQL: flag(unset),
  INTROSPECTION: flag(unset),
  FEDERATION_SDL: flag(unset),
  NODE_ENV: text(unset),
  BITRIX24_DEMO: flag(unset),
  CORS_ORIGINS: listOf(
    where(
      (origin) => origin === '*' || (URL.canParse(origin) && new URL(origin).origin === origin),
    ),
    'must be a comma-separated list of origins like https://app.example.com (or *)',
  )({ default: [] }),
  MAX_REQUEST_BODY_BYTES: positiveInt('bytes')({ default: 102_400 }),
  PERSISTED_OPERATIONS: text(unset),
  CACHE_MAX_ENTRIES: positiveInt('entries')({ default: 10_000 }),
  CACHE_MAX_BYTES: positiveInt('bytes')({ default: DEFAULT_CACHE_MAX_BYTES }),
  HOST_ALLOWLIST: listOf(
    where((entry) => HOST_ENTRY.test(entry)),
    'must be a comma-separated list of host names like graphql.example.com or *.example.com (no scheme, port or path)',
    (entry) => entry.toLowerCase().replace(/\.$/, ''),
  )({ default: [] }),
  REPLICAS_HINT: positiveInt('replicas')({ default: 1 }),
  SHUTDOWN_TIMEOUT_MS: positiveInt('milliseconds')({ default: 10_000 }),
  OTEL_SDK_DISABLED: flag(unset),
  OTEL_TRACES_EXPORTER: oneOf(
    ['otlp', 'none'],
    'must be otlp or none (traces go over OTLP/HTTP)',
  )(unset),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrlWithPath('must be a URL like http://collector:4318')(unset),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrlWithPath(
    'must be a URL like http://collector:4318/v1/traces',
  )(unset),
  OTEL_EXPORTER_OTLP_PROTOCOL: otlpProtocol(unset),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: otlpProtocol(unset),
  OTEL_SERVICE_NAME: text(unset),
  LOG_LEVEL: oneOf(
    ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'],
    'must be one of trace, debug, info, warn, error, fatal, silent',
  )({ default: 'info' }),
};

/** Reads and checks the environment. Empty variables count as unset. Throws ConfigError. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  // A plain object of the cleaned values (no proxy or accessors), and our own report of problems
  // (envalid's default one prints and exits).
  const values = customCleanEnv(present, specs, (cleaned) => cleaned, {
    reporter: ({ errors }) => {
      const problems = Object.entries(errors).map(([name, error]) => `${name} ${error?.message}`);
      if (problems.length > 0) throw new ConfigError(problems);
    },
  });
  const production = values.NODE_ENV === 'production';
  const introspection = values.INTROSPECTION ?? !production;
  if (values.GRAPHIQL === true && values.INTROSPECTION === false) {
    throw new ConfigError([
      'GRAPHIQL=true needs introspection: unset INTROSPECTION or set it to true',
    ]);
  }
  if (values.METRICS_PORT !== undefined && values.METRICS_PORT === values.PORT) {
    throw new ConfigError([
      'METRICS_PORT must differ from PORT: it serves /metrics on an internal port of its own',
    ]);
  }
  if (values.BITRIX24_WEBHOOK_URL && values.BITRIX24_PORTAL_URL) {
    throw new ConfigError([
      'BITRIX24_WEBHOOK_URL and BITRIX24_PORTAL_URL are both set: set one (webhook mode) or the other (OAuth pass-through)',
    ]);
  }
  if (values.BITRIX24_PORTALS && values.BITRIX24_WEBHOOK_URL) {
    throw new ConfigError([
      "BITRIX24_PORTALS and BITRIX24_WEBHOOK_URL are both set: BITRIX24_PORTALS serves many portals with each caller's OAuth token, a webhook one portal; set one of them",
    ]);
  }
  if (values.BITRIX24_PORTALS && values.BITRIX24_PORTAL_URL) {
    throw new ConfigError([
      'BITRIX24_PORTALS and BITRIX24_PORTAL_URL are both set: BITRIX24_PORTALS serves many portals, BITRIX24_PORTAL_URL one; set one of them',
    ]);
  }
  if (values.BITRIX24_MAX_ANSWER_BYTES_IN_FLIGHT < values.BITRIX24_MAX_ANSWER_BYTES) {
    throw new ConfigError([
      'BITRIX24_MAX_ANSWER_BYTES_IN_FLIGHT is smaller than BITRIX24_MAX_ANSWER_BYTES: the total of answers read at once must hold at least the largest one',
    ]);
  }
  if (values.BITRIX24_ALLOWED_PRIVATE_ADDRESSES && !values.BITRIX24_PORTALS) {
    throw new ConfigError([
      'BITRIX24_ALLOWED_PRIVATE_ADDRESSES applies only with BITRIX24_PORTALS (a configured portal URL is called wherever it points): unset it',
    ]);
  }
  let allowList: PortalAllowList | undefined;
  if (values.BITRIX24_PORTALS) {
    try {
      allowList = PortalAllowList.parse(values.BITRIX24_PORTALS);
    } catch (error) {
      if (!(error instanceof PortalListError)) throw error;
      throw new ConfigError(error.problems);
    }
  }
  let persistedOperations: ReadonlyMap<string, string> | undefined;
  if (values.PERSISTED_OPERATIONS) {
    try {
      persistedOperations = loadPersistedOperations(values.PERSISTED_OPERATIONS);
    } catch (error) {
      throw new ConfigError([`PERSISTED_OPERATIONS: ${(error as Error).message}`]);
    }
  }
  if (values.BITRIX24_WEBHOOK_URL) {
    const webhook = new URL(values.BITRIX24_WEBHOOK_URL);
    if (webhook.protocol === 'http:' && !isLoopbackHost(webhook.hostname)) {
      throw new ConfigError([
        'BITRIX24_WEBHOOK_URL uses http://: a portal refuses webhook calls over plain HTTP (401 INVALID_REQUEST "Https required."), and the secret in the path would cross the network in clear; use https://',
      ]);
    }
  }
  const portalConfigured = Boolean(
    values.BITRIX24_WEBHOOK_URL || values.BITRIX24_PORTAL_URL || values.BITRIX24_PORTALS,
  );
  if (values.BITRIX24_DEMO === true && portalConfigured) {
    throw new ConfigError([
      'BITRIX24_DEMO=true serves the built-in sample portal, but a portal is configured (BITRIX24_WEBHOOK_URL, BITRIX24_PORTAL_URL or BITRIX24_PORTALS): unset one or the other',
    ]);
  }
  // Demo data is the default for a developer's `npm start`, never a silent fallback in production:
  // a deployment whose secret was forgotten must fail to start, not serve samples and report ready.
  if (!portalConfigured && !(values.BITRIX24_DEMO ?? !production)) {
    throw new ConfigError([
      production
        ? 'NODE_ENV=production and no portal configured: set BITRIX24_WEBHOOK_URL, BITRIX24_PORTAL_URL or BITRIX24_PORTALS (or BITRIX24_DEMO=true to serve the built-in sample portal)'
        : 'BITRIX24_DEMO=false and no portal configured: set BITRIX24_WEBHOOK_URL, BITRIX24_PORTAL_URL or BITRIX24_PORTALS',
    ]);
  }
  const onPremise = values.BITRIX24_PORTAL_KIND === 'on-premise';
  const portal: Config['portal'] = values.BITRIX24_WEBHOOK_URL
    ? { kind: 'webhook', webhookUrl: new URL(values.BITRIX24_WEBHOOK_URL.replace(/\/?$/, '/')) }
    : values.BITRIX24_PORTAL_URL
      ? { kind: 'oauth', portalUrl: new URL(`${new URL(values.BITRIX24_PORTAL_URL).origin}/`) }
      : allowList
        ? { kind: 'portals', allowList }
        : { kind: 'demo' };
  const otlpEndpoint =
    values.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? values.OTEL_EXPORTER_OTLP_ENDPOINT;
  const tracing: TracingConfig | undefined =
    otlpEndpoint && values.OTEL_SDK_DISABLED !== true && values.OTEL_TRACES_EXPORTER !== 'none'
      ? {
          serviceName: values.OTEL_SERVICE_NAME ?? 'bitrix24-dialog-graphql',
          collectorHost: new URL(otlpEndpoint).host,
        }
      : undefined;
  return {
    ...(tracing ? { tracing } : {}),
    port: values.PORT,
    host: values.HOST,
    metricsPort: values.METRICS_PORT,
    portal,
    allowedPrivateAddresses: values.BITRIX24_ALLOWED_PRIVATE_ADDRESSES ?? [],
    timeoutMs: values.BITRIX24_TIMEOUT_MS,
    // On-premise portals have no request-rate limit: unpaced (0) unless a rate is set.
    rps: values.BITRIX24_RPS ?? (onPremise ? 0 : 2),
    burst: values.BITRIX24_BURST,
    retries: values.BITRIX24_RETRIES,
    maxQueue: values.BITRIX24_MAX_QUEUE,
    // On-premise the portal's method-time limiter is off unless an option enables it: so is ours,
    // unless a budget is set. On the cloud, the code's default 420 s.
    methodTimeBudgetSeconds:
      values.BITRIX24_METHOD_TIME_BUDGET_S ?? (onPremise ? Number.POSITIVE_INFINITY : 420),
    portalKind: values.BITRIX24_PORTAL_KIND,
    maxAnswerBytes: values.BITRIX24_MAX_ANSWER_BYTES,
    maxAnswerBytesInFlight: values.BITRIX24_MAX_ANSWER_BYTES_IN_FLIGHT,
    batchWindowMs: values.BITRIX24_BATCH_WINDOW_MS,
    deadlineMs: values.REQUEST_DEADLINE_MS,
    maxOperationsInFlight: values.MAX_OPERATIONS_IN_FLIGHT,
    redisUrl: values.REDIS_URL,
    replicasHint: values.REPLICAS_HINT,
    cacheTtlMs: values.CACHE_TTL_MS,
    cacheMaxEntries: values.CACHE_MAX_ENTRIES,
    cacheMaxBytes: values.CACHE_MAX_BYTES,
    graphiql: values.GRAPHIQL ?? !production,
    introspection,
    // The SDL reveals what introspection does: it follows INTROSPECTION unless set on its own.
    federationSdl: values.FEDERATION_SDL ?? introspection,
    logLevel: values.LOG_LEVEL,
    production,
    corsOrigins: values.CORS_ORIGINS,
    hostAllowlist: values.HOST_ALLOWLIST,
    maxRequestBodyBytes: values.MAX_REQUEST_BODY_BYTES,
    persistedOperations,
    shutdownTimeoutMs: values.SHUTDOWN_TIMEOUT_MS,
  };
}
