import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { auditServer, type AuditResult } from 'graphql-http';
import { startStack, type Stack } from '../helpers/stack.js';

/**
 * SHOULD/MAY audits this server deliberately does not pass, with why (also listed in
 * docs/security.md, "GraphQL over HTTP").
 * Empty: every audit passes. A MUST audit can never be listed here.
 */
const EXPLAINED: Readonly<Record<string, string>> = {};

/** The one MUST audit that probes with an introspection query: "MUST allow map {variables} parameter when accepting application/json". */
const INTROSPECTION_PROBED_MUST = '28B9';

describe.each([
  ['development defaults', {}],
  [
    'production HTTP settings (no GraphiQL, CORS on, 100 KiB bodies)',
    { graphiql: false, corsOrigins: ['https://app.example.com'], maxRequestBodyBytes: 102_400 },
  ],
])('GraphQL over HTTP compliance (graphql-http server audits), %s', (_name, options) => {
  let stack: Stack;
  let results: AuditResult[];
  beforeAll(async () => {
    stack = await startStack(options);
    results = await auditServer({ url: `${stack.url}/graphql` });
  });
  afterAll(() => stack.close());

  it('ran the whole audit list', () => {
    expect(results.length).toBeGreaterThanOrEqual(50);
  });

  it('passes every MUST audit', () => {
    const failed = results.filter(
      (result) => result.name.startsWith('MUST') && result.status !== 'ok',
    );
    expect(
      failed.map((result) => `${result.name}: ${'reason' in result ? result.reason : ''}`),
    ).toEqual([]);
  });

  it('passes every SHOULD and MAY audit, or explains why not', () => {
    const failed = results.filter(
      (result) =>
        !result.name.startsWith('MUST') && result.status !== 'ok' && !(result.id in EXPLAINED),
    );
    expect(
      failed.map(
        (result) => `${result.id} ${result.name}: ${'reason' in result ? result.reason : ''}`,
      ),
    ).toEqual([]);
  });
});

describe('GraphQL over HTTP compliance with introspection off', () => {
  it('fails only the audits whose probe query is an introspection query (`__type(name: $name)`)', async () => {
    const stack = await startStack({ graphiql: false, introspection: false });
    try {
      const results = await auditServer({ url: `${stack.url}/graphql` });
      const failed = results
        .filter((result) => result.status !== 'ok')
        .map((result) => result.id)
        .sort();
      // Variables in GET and POST, as those audits probe them with `__type`. Our own tests cover
      // variables with real queries under every configuration.
      expect(failed).toEqual(['2EA1', '6A70', 'D6D5', INTROSPECTION_PROBED_MUST].sort());
    } finally {
      await stack.close();
    }
  });
});
