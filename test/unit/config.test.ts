import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../src/config.js';

const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('loadConfig', () => {
  it('runs in demo mode with the documented defaults when nothing is set', () => {
    expect(loadConfig({})).toEqual({
      port: 4000, host: '0.0.0.0', portal: { kind: 'demo' }, timeoutMs: 10_000, rps: 2, burst: 50, retries: 3, maxQueue: 200, deadlineMs: 25_000,
      redisUrl: undefined, replicasHint: 1, cacheTtlMs: 0, cacheMaxEntries: 10_000, graphiql: true, introspection: true, logLevel: 'info',
      production: false, corsOrigins: [], maxRequestBodyBytes: 102_400, persistedOperations: undefined, shutdownTimeoutMs: 10_000,
    });
  });

  it('turns GraphiQL and introspection off by default under NODE_ENV=production, and lets either be turned on', () => {
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({ production: true, graphiql: false, introspection: false });
    expect(loadConfig({ NODE_ENV: 'production', GRAPHIQL: 'true' })).toMatchObject({ graphiql: true, introspection: false });
    expect(loadConfig({ NODE_ENV: 'production', INTROSPECTION: '1' })).toMatchObject({ graphiql: false, introspection: true });
  });

  it('reads CORS origins as a comma-separated list', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' }).corsOrigins).toEqual(['https://app.example.com', 'http://localhost:5173']);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ BITRIX24_WEBHOOK_URL: '', PORT: ' ' }).portal).toEqual({ kind: 'demo' });
  });

  it('reads a webhook URL, with or without its trailing slash', () => {
    for (const url of ['https://acme.bitrix24.com/rest/1/k3y5ecret/', 'https://acme.bitrix24.com/rest/1/k3y5ecret']) {
      const config = loadConfig({ BITRIX24_WEBHOOK_URL: url });
      expect(config.portal).toEqual({ kind: 'webhook', webhookUrl: new URL('https://acme.bitrix24.com/rest/1/k3y5ecret/') });
    }
  });

  it('reads a portal URL for OAuth pass-through', () => {
    expect(loadConfig({ BITRIX24_PORTAL_URL: 'https://acme.bitrix24.com' }).portal).toEqual({ kind: 'oauth', portalUrl: new URL('https://acme.bitrix24.com/') });
  });

  it.each([
    [{ BITRIX24_WEBHOOK_URL: 'https://acme.bitrix24.com/rest/1/s3cr3t/', BITRIX24_PORTAL_URL: 'https://acme.bitrix24.com' }, 'BITRIX24_WEBHOOK_URL and BITRIX24_PORTAL_URL are both set: set one (webhook mode) or the other (OAuth pass-through)'],
    [{ BITRIX24_WEBHOOK_URL: 'acme.bitrix24.com/rest/1/s3cr3t/' }, 'BITRIX24_WEBHOOK_URL must be a URL like https://PORTAL/rest/USER_ID/SECRET/'],
    [{ BITRIX24_WEBHOOK_URL: 'https://acme.bitrix24.com/s3cr3t' }, 'BITRIX24_WEBHOOK_URL must be a URL like https://PORTAL/rest/USER_ID/SECRET/'],
    [{ BITRIX24_WEBHOOK_URL: 'ftp://acme.bitrix24.com/rest/1/s3cr3t/' }, 'BITRIX24_WEBHOOK_URL must be a URL like https://PORTAL/rest/USER_ID/SECRET/'],
    [{ BITRIX24_PORTAL_URL: 'https://acme.bitrix24.com/rest/' }, 'BITRIX24_PORTAL_URL must be the portal address only, like https://PORTAL'],
    [{ BITRIX24_TIMEOUT_MS: '0' }, 'BITRIX24_TIMEOUT_MS must be a positive integer (milliseconds)'],
    [{ BITRIX24_TIMEOUT_MS: 'soon' }, 'BITRIX24_TIMEOUT_MS must be a positive integer (milliseconds)'],
    [{ BITRIX24_RPS: '-2' }, 'BITRIX24_RPS must be a positive number (requests per second)'],
    [{ BITRIX24_BURST: '1.5' }, 'BITRIX24_BURST must be a positive integer (requests)'],
    [{ PORT: '70000' }, 'PORT must be a port number (1-65535)'],
    [{ CACHE_TTL_MS: '-1' }, 'CACHE_TTL_MS must be 0 or a positive integer (milliseconds)'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL must be a URL like redis://HOST:6379'],
    [{ GRAPHIQL: 'maybe' }, 'GRAPHIQL must be true or false'],
    [{ INTROSPECTION: 'no way' }, 'INTROSPECTION must be true or false'],
    [{ GRAPHIQL: 'true', INTROSPECTION: 'false' }, 'GRAPHIQL=true needs introspection: unset INTROSPECTION or set it to true'],
    [{ CORS_ORIGINS: 'https://app.example.com/path' }, 'CORS_ORIGINS must be a comma-separated list of origins like https://app.example.com (or *)'],
    [{ MAX_REQUEST_BODY_BYTES: '0' }, 'MAX_REQUEST_BODY_BYTES must be a positive integer (bytes)'],
    [{ REPLICAS_HINT: '0' }, 'REPLICAS_HINT must be a positive integer (replicas)'],
    [{ SHUTDOWN_TIMEOUT_MS: 'never' }, 'SHUTDOWN_TIMEOUT_MS must be a positive integer (milliseconds)'],
    [{ PERSISTED_OPERATIONS: '/nonexistent/manifest.json' }, 'PERSISTED_OPERATIONS: cannot read /nonexistent/manifest.json as JSON (ENOENT)'],
    [{ BITRIX24_RETRIES: '11' }, 'BITRIX24_RETRIES must be at most 10 (retries)'],
    [{ BITRIX24_MAX_QUEUE: '0' }, 'BITRIX24_MAX_QUEUE must be a positive integer (waiting calls)'],
    [{ REQUEST_DEADLINE_MS: '-5' }, 'REQUEST_DEADLINE_MS must be a positive integer (milliseconds)'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent'],
  ])('refuses %j with one line naming the variable', (env, line) => {
    expect(problemsOf(env)).toEqual([line]);
  });

  it('never echoes a value, so a malformed webhook URL cannot leak its secret', () => {
    const problems = problemsOf({ BITRIX24_WEBHOOK_URL: 'https://acme.bitrix24.com/rest/x/t0p-s3cr3t-value', BITRIX24_TIMEOUT_MS: 't0p-s3cr3t-value' });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).not.toContain('t0p-s3cr3t-value');
  });
});
