import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import got from 'got';
import { ConfigError, loadConfig } from '../../src/config.js';
import { DEMO_TOKENS } from '../../src/emulator/fixtures.js';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { registerSecret } from '../helpers/outputs.js';
import { runServer, startServerProcess, stopServerProcess } from '../helpers/process.js';

const QUERY = '{ dialog(id: "chat21191") { __typename ... on Dialog { title role } } }';

describe('the built server pointed at a portal (here: the emulator on its own port)', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it('works in webhook mode with BITRIX24_WEBHOOK_URL, and never logs the secret', async () => {
    const { server, base } = await startServerProcess({
      BITRIX24_WEBHOOK_URL: emulator.webhookUrl(2, 'demo0webhook0boris'),
      LOG_LEVEL: 'debug',
    });
    try {
      expect(server.stdout[0]).not.toContain('demo mode');
      const answer = await got
        .post(`${base}/graphql`, { json: { query: QUERY } })
        .json<{ data: unknown }>();
      expect(answer.data).toEqual({
        dialog: { __typename: 'Dialog', title: 'Mint Chat #3', role: 'OWNER' },
      });
      expect(emulator.requests.at(-1)).toMatchObject({ transport: 'webhook', userId: 2 });
    } finally {
      await stopServerProcess(server);
    }
    expect(server.stdout.length).toBeGreaterThan(2);
    expect([...server.stdout, ...server.stderr].join('\n')).not.toContain('demo0webhook0boris');
  });

  it('works in OAuth pass-through mode with BITRIX24_PORTAL_URL and the caller’s bearer token', async () => {
    const { server, base } = await startServerProcess({ BITRIX24_PORTAL_URL: emulator.url });
    try {
      const answer = await got
        .post(`${base}/graphql`, {
          json: { query: QUERY },
          headers: { authorization: `Bearer ${DEMO_TOKENS.anna}` },
        })
        .json<{ data: unknown }>();
      expect(answer.data).toEqual({
        dialog: { __typename: 'Dialog', title: 'Mint Chat #3', role: 'MEMBER' },
      });
      expect(emulator.requests.at(-1)).toMatchObject({ transport: 'oauth', userId: 1 });
    } finally {
      await stopServerProcess(server);
    }
  });
});

describe('the built server in multi-portal mode (BITRIX24_PORTALS), as production wires it', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  // `localhost` stands for a portal's name: the system resolver answers it from /etc/hosts, so no
  // DNS server is asked, and it resolves to loopback, which production refuses unless listed.
  const ask = (base: string, domain: string) =>
    got
      .post(`${base}/graphql`, {
        json: { query: QUERY },
        headers: { authorization: `Bearer ${DEMO_TOKENS.anna}`, 'x-bitrix24-domain': domain },
      })
      .json<{ data: unknown; errors?: Array<{ extensions?: Record<string, unknown> }> }>();

  it('refuses a listed name resolving to loopback when connecting, and IP literals at once; ready without a probe', async () => {
    const { server, base } = await startServerProcess({
      BITRIX24_PORTALS: `http://localhost:${new URL(emulator.url).port}`,
    });
    const before = emulator.requests.length;
    try {
      expect((await ask(base, 'localhost')).errors?.[0]?.extensions).toEqual({
        code: 'FORBIDDEN',
        upstreamCode: 'PORTAL_ADDRESS_REFUSED',
      });
      expect((await ask(base, '127.0.0.1')).errors?.[0]?.extensions).toEqual({
        code: 'FORBIDDEN',
        reason: 'IP_LITERAL',
      });
      const readiness = await got(`${base}/readiness`).json();
      expect(readiness).toEqual({ status: 'ready' });
    } finally {
      await stopServerProcess(server);
    }
    expect(emulator.requests.length).toBe(before);
    expect(server.stdout.join('\n')).toContain(
      'BITRIX24_PORTALS lists portals served over plain http',
    );
    expect(server.stdout.some((line) => line.includes('"mode":"portals"'))).toBe(true);
  });

  it('serves the portal a request names once BITRIX24_ALLOWED_PRIVATE_ADDRESSES lists its address', async () => {
    const { server, base } = await startServerProcess({
      BITRIX24_PORTALS: `http://localhost:${new URL(emulator.url).port}`,
      BITRIX24_ALLOWED_PRIVATE_ADDRESSES: '127.0.0.1,::1',
    });
    try {
      const answer = await ask(base, 'LocalHost.');
      expect(answer).toEqual({
        data: { dialog: { __typename: 'Dialog', title: 'Mint Chat #3', role: 'MEMBER' } },
      });
      expect(emulator.requests.at(-1)).toMatchObject({ transport: 'oauth', userId: 1 });
    } finally {
      await stopServerProcess(server);
    }
    const line = server.stdout
      .map((text) => JSON.parse(text) as Record<string, unknown>)
      .find((entry) => entry.msg === 'graphql request');
    expect(line).toMatchObject({
      portal: `localhost:${new URL(emulator.url).port}`,
      outcome: 'ok',
    });
  });
});

describe('NODE_ENV=production', () => {
  it('serves neither GraphiQL nor introspection, suggests no field names, and masks unexpected errors', async () => {
    const { server, base } = await startServerProcess({
      NODE_ENV: 'production',
      BITRIX24_DEMO: 'true',
    });
    try {
      const page = await got(`${base}/graphql`, {
        headers: { accept: 'text/html' },
        throwHttpErrors: false,
      });
      expect(page.body).not.toContain('GraphiQL');
      const introspection = await got.post(`${base}/graphql`, {
        json: { query: '{ __schema { types { name } } }' },
        headers: { accept: 'application/graphql-response+json' },
        throwHttpErrors: false,
      });
      expect(introspection.statusCode).toBe(400);
      expect(introspection.body).toMatch(/introspection/i);
      expect(introspection.body).not.toContain('"types"');
      const typo = await got.post(`${base}/graphql`, {
        json: { query: '{ dialog(id: "chat1") { ... on Dialog { titel } } }' },
        throwHttpErrors: false,
      });
      expect(typo.body).not.toContain('Did you mean');
      const answer = await got
        .post(`${base}/graphql`, { json: { query: QUERY } })
        .json<{ data: unknown }>();
      expect(answer.data).toEqual({
        dialog: { __typename: 'Dialog', title: 'Mint Chat #3', role: 'MEMBER' },
      });
    } finally {
      await stopServerProcess(server);
    }
    // GraphiQL is off: no line speaks of it.
    expect(server.stdout.find((line) => line.includes('demo mode'))).toBeDefined();
    expect(server.stdout.join('\n')).not.toContain('GraphiQL');
  });

  it('exits 2 without serving when no portal is configured, naming the variables (a forgotten secret never deploys green)', async () => {
    const server = runServer({ NODE_ENV: 'production' });
    expect(await server.exited).toBe(2);
    expect(server.stderr).toEqual([
      'Configuration error: NODE_ENV=production and no portal configured: set BITRIX24_WEBHOOK_URL, BITRIX24_PORTAL_URL or BITRIX24_PORTALS (or BITRIX24_DEMO=true to serve the built-in sample portal)',
    ]);
    expect(server.stdout).toEqual([]);
  });

  it('serves GraphiQL when GRAPHIQL=true says so', async () => {
    const { server, base } = await startServerProcess({
      NODE_ENV: 'production',
      BITRIX24_DEMO: 'true',
      GRAPHIQL: 'true',
      INTROSPECTION: 'true',
    });
    try {
      const page = await got(`${base}/graphql`, { headers: { accept: 'text/html' } });
      expect(page.body).toContain('GraphiQL');
    } finally {
      await stopServerProcess(server);
    }
  });
});

/** What loadConfig refuses `env` with: the lines the process must print, one per problem. */
const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

/*
 * Every configuration rule, with the exact line it answers, is checked against loadConfig in
 * test/unit/config.test.ts (the table in test/helpers/config-cases.ts). These few processes check
 * what main.ts does with those lines: each printed on stderr as `Configuration error: LINE`, nothing
 * else, no value echoed, exit 2 before serving.
 */
describe('configuration errors', () => {
  it('exits non-zero with one line naming the variable, without starting', async () => {
    const server = runServer({ BITRIX24_TIMEOUT_MS: 'soon' });
    expect(await server.exited).toBe(2);
    expect(server.stderr).toEqual([
      'Configuration error: BITRIX24_TIMEOUT_MS must be a positive integer (milliseconds)',
    ]);
    expect(server.stdout).toEqual([]);
  });

  it('prints one line per problem, as loadConfig words them, and never the values (a secret among them)', async () => {
    const secret = `s3cr3t${randomBytes(12).toString('hex')}`;
    registerSecret(secret);
    const env = {
      BITRIX24_WEBHOOK_URL: `https://acme.bitrix24.com/rest/x/${secret}`,
      BITRIX24_TIMEOUT_MS: secret,
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      REDIS_URL: 'localhost',
    };
    const problems = problemsOf(env);
    expect(problems).toHaveLength(5);
    const server = runServer(env);
    expect(await server.exited).toBe(2);
    expect(server.stderr).toEqual(problems.map((problem) => `Configuration error: ${problem}`));
    expect(server.stdout).toEqual([]);
    expect([...server.stderr, ...server.stdout].join('\n')).not.toContain(secret);
  });
});
