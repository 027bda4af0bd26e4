import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../src/config.js';
import { CONFIG_ERROR_CASES } from '../helpers/config-cases.js';

const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

/** Production needs a portal or an explicit demo; these tests are about other settings. */
const DEMO = { BITRIX24_DEMO: 'true' } as const;

describe('loadConfig', () => {
  it('refuses NODE_ENV=production with no portal, naming the variables, unless BITRIX24_DEMO=true asks for the demo', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'NODE_ENV=production and no portal configured: set BITRIX24_WEBHOOK_URL, BITRIX24_PORTAL_URL or BITRIX24_PORTALS (or BITRIX24_DEMO=true to serve the built-in sample portal)',
    ]);
    expect(loadConfig({ NODE_ENV: 'production', BITRIX24_DEMO: 'true' }).portal).toEqual({
      kind: 'demo',
    });
    expect(
      loadConfig({
        NODE_ENV: 'production',
        BITRIX24_WEBHOOK_URL: 'https://acme.bitrix24.com/rest/1/s3cr3t/',
      }).portal.kind,
    ).toBe('webhook');
    // Outside production the demo stays the default, and can be refused.
    expect(loadConfig({}).portal).toEqual({ kind: 'demo' });
    expect(problemsOf({ BITRIX24_DEMO: 'false' })).toEqual([
      'BITRIX24_DEMO=false and no portal configured: set BITRIX24_WEBHOOK_URL, BITRIX24_PORTAL_URL or BITRIX24_PORTALS',
    ]);
  });

  it('reads a flag in any of its usual spellings', () => {
    const flags = (GRAPHIQL: string, INTROSPECTION: string) => {
      const { graphiql, introspection } = loadConfig({ GRAPHIQL, INTROSPECTION });
      return [graphiql, introspection];
    };
    expect(flags('Yes', ' ON ')).toEqual([true, true]);
    expect(flags('0', 'disabled')).toEqual([false, false]);
    expect(flags('FALSE', 'no')).toEqual([false, false]);
  });

  it('runs in demo mode with the documented defaults when nothing is set', () => {
    expect(loadConfig({})).toEqual({
      port: 4000,
      host: '0.0.0.0',
      metricsPort: undefined,
      portal: { kind: 'demo' },
      allowedPrivateAddresses: [],
      timeoutMs: 10_000,
      rps: 2,
      burst: 50,
      retries: 3,
      maxQueue: 5000,
      methodTimeBudgetSeconds: 420,
      portalKind: 'cloud',
      maxAnswerBytes: 32 * 1024 * 1024,
      maxAnswerBytesInFlight: 64 * 1024 * 1024,
      batchWindowMs: 2,
      deadlineMs: 25_000,
      maxOperationsInFlight: 256,
      redisUrl: undefined,
      replicasHint: 1,
      cacheTtlMs: 0,
      cacheMaxEntries: 10_000,
      cacheMaxBytes: 128 * 1024 * 1024,
      graphiql: true,
      introspection: true,
      federationSdl: true,
      logLevel: 'info',
      production: false,
      corsOrigins: [],
      hostAllowlist: [],
      maxRequestBodyBytes: 102_400,
      persistedOperations: undefined,
      shutdownTimeoutMs: 10_000,
    });
  });

  it('runs an on-premise portal unpaced and without method time unless they are set (neither limit is on there by default)', () => {
    expect(loadConfig({ BITRIX24_PORTAL_KIND: 'on-premise' })).toMatchObject({
      portalKind: 'on-premise',
      rps: 0,
      methodTimeBudgetSeconds: Number.POSITIVE_INFINITY,
    });
    expect(
      loadConfig({
        BITRIX24_PORTAL_KIND: 'on-premise',
        BITRIX24_RPS: '5',
        BITRIX24_METHOD_TIME_BUDGET_S: '300',
      }),
    ).toMatchObject({ rps: 5, methodTimeBudgetSeconds: 300 });
    // BITRIX24_RPS=0 means unpaced in any mode.
    expect(loadConfig({ BITRIX24_RPS: '0' })).toMatchObject({
      rps: 0,
      methodTimeBudgetSeconds: 420,
    });
  });

  it('refuses an http:// webhook URL on a host that is not loopback, saying why', () => {
    expect(problemsOf({ BITRIX24_WEBHOOK_URL: 'http://portal.example/rest/1/secret/' })).toEqual([
      expect.stringContaining('Https required.'),
    ]);
    expect(
      problemsOf({ BITRIX24_WEBHOOK_URL: 'http://portal.example/rest/1/secret/' })[0],
    ).toContain('use https://');
    for (const local of ['127.0.0.1:4010', 'localhost:4010', '[::1]:4010'])
      expect(problemsOf({ BITRIX24_WEBHOOK_URL: `http://${local}/rest/1/secret/` })).toEqual([]);
    expect(problemsOf({ BITRIX24_WEBHOOK_URL: 'https://portal.example/rest/1/secret/' })).toEqual(
      [],
    );
  });

  it('traces only when an OTLP endpoint is set, and not when OTEL_SDK_DISABLED or OTEL_TRACES_EXPORTER=none says so', () => {
    expect(loadConfig({}).tracing).toBeUndefined();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318' }).tracing).toEqual({
      serviceName: 'bitrix24-dialog-graphql',
      collectorHost: 'jaeger:4318',
    });
    expect(
      loadConfig({
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otel.example.com/v1/traces',
        OTEL_SERVICE_NAME: 'dialogs',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      }).tracing,
    ).toEqual({ serviceName: 'dialogs', collectorHost: 'otel.example.com' });
    for (const off of [{ OTEL_SDK_DISABLED: 'true' }, { OTEL_TRACES_EXPORTER: 'none' }])
      expect(
        loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318', ...off }).tracing,
      ).toBeUndefined();
  });

  it('turns GraphiQL and introspection off by default under NODE_ENV=production, and lets either be turned on', () => {
    expect(loadConfig({ NODE_ENV: 'production', ...DEMO })).toMatchObject({
      production: true,
      graphiql: false,
      introspection: false,
    });
    expect(loadConfig({ NODE_ENV: 'production', ...DEMO, GRAPHIQL: 'true' })).toMatchObject({
      graphiql: true,
      introspection: false,
    });
    expect(loadConfig({ NODE_ENV: 'production', ...DEMO, INTROSPECTION: '1' })).toMatchObject({
      graphiql: false,
      introspection: true,
    });
  });

  it('serves the federation SDL as introspection is served, unless FEDERATION_SDL says otherwise', () => {
    expect(loadConfig({ NODE_ENV: 'production', ...DEMO }).federationSdl).toBe(false);
    expect(loadConfig({ INTROSPECTION: 'false' }).federationSdl).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', ...DEMO, FEDERATION_SDL: 'true' })).toMatchObject({
      introspection: false,
      federationSdl: true,
    });
    expect(loadConfig({ FEDERATION_SDL: 'false' })).toMatchObject({
      introspection: true,
      federationSdl: false,
    });
  });

  it('reads CORS origins as a comma-separated list', () => {
    expect(
      loadConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' }).corsOrigins,
    ).toEqual(['https://app.example.com', 'http://localhost:5173']);
  });

  it('reads HOST_ALLOWLIST as host names (lower case, no trailing dot), and refuses anything else', () => {
    expect(
      loadConfig({
        HOST_ALLOWLIST: 'GraphQL.example.com., *.internal.example, 10.0.0.7, dialogs_graphql',
      }).hostAllowlist,
    ).toEqual(['graphql.example.com', '*.internal.example', '10.0.0.7', 'dialogs_graphql']);
    for (const bad of [
      'https://graphql.example.com',
      'graphql.example.com:4000',
      'a/b',
      '*.com',
      'a b',
    ])
      expect(() => loadConfig({ HOST_ALLOWLIST: bad })).toThrow(/HOST_ALLOWLIST/);
  });

  it('bounds the answers in flight and the cache in bytes, and wants the total to hold the largest answer', () => {
    const config = loadConfig({
      BITRIX24_MAX_ANSWER_BYTES: '1000',
      BITRIX24_MAX_ANSWER_BYTES_IN_FLIGHT: '5000',
      CACHE_MAX_BYTES: '2000000',
    });
    expect(config).toMatchObject({ maxAnswerBytesInFlight: 5000, cacheMaxBytes: 2_000_000 });
    expect(() =>
      loadConfig({
        BITRIX24_MAX_ANSWER_BYTES: '5000',
        BITRIX24_MAX_ANSWER_BYTES_IN_FLIGHT: '1000',
      }),
    ).toThrow(/BITRIX24_MAX_ANSWER_BYTES_IN_FLIGHT is smaller than BITRIX24_MAX_ANSWER_BYTES/);
    expect(() => loadConfig({ CACHE_MAX_BYTES: '0' })).toThrow(/CACHE_MAX_BYTES/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ BITRIX24_WEBHOOK_URL: '', PORT: ' ' }).portal).toEqual({ kind: 'demo' });
  });

  it('reads a webhook URL, with or without its trailing slash', () => {
    for (const url of [
      'https://acme.bitrix24.com/rest/1/k3y5ecret/',
      'https://acme.bitrix24.com/rest/1/k3y5ecret',
    ]) {
      const config = loadConfig({ BITRIX24_WEBHOOK_URL: url });
      expect(config.portal).toEqual({
        kind: 'webhook',
        webhookUrl: new URL('https://acme.bitrix24.com/rest/1/k3y5ecret/'),
      });
    }
  });

  it('reads a portal URL for OAuth pass-through', () => {
    expect(loadConfig({ BITRIX24_PORTAL_URL: 'https://acme.bitrix24.com' }).portal).toEqual({
      kind: 'oauth',
      portalUrl: new URL('https://acme.bitrix24.com/'),
    });
  });

  it('reads BITRIX24_PORTALS as an allow-list of portal host patterns, and the private addresses they may resolve to', () => {
    const config = loadConfig({
      BITRIX24_PORTALS: '*.bitrix24.com, CRM.Example.com., http://portal-a.test:41234',
      BITRIX24_ALLOWED_PRIVATE_ADDRESSES: '127.0.0.1, 0:0:0:0:0:0:0:1, 10.1.0.7',
    });
    expect(config.portal.kind).toBe('portals');
    if (config.portal.kind !== 'portals') return;
    expect(config.portal.allowList.patterns).toEqual([
      { host: 'bitrix24.com', wildcard: true, protocol: 'https:', port: undefined },
      { host: 'crm.example.com', wildcard: false, protocol: 'https:', port: undefined },
      { host: 'portal-a.test', wildcard: false, protocol: 'http:', port: 41234 },
    ]);
    // Single addresses in the resolver's canonical text, as the filtering agent compares them.
    expect(config.allowedPrivateAddresses).toEqual(['127.0.0.1', '::1', '10.1.0.7']);
  });

  it.each(CONFIG_ERROR_CASES)('refuses %j with one line naming the variable', (env, line) => {
    expect(problemsOf(env)).toEqual([line]);
  });

  it('never echoes a value, so a malformed webhook URL cannot leak its secret', () => {
    const problems = problemsOf({
      BITRIX24_WEBHOOK_URL: 'https://acme.bitrix24.com/rest/x/t0p-s3cr3t-value',
      BITRIX24_TIMEOUT_MS: 't0p-s3cr3t-value',
    });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).not.toContain('t0p-s3cr3t-value');
  });
});
