import { describe, expect, it } from '@jest/globals';
import { rawRequest } from '../helpers/raw-http.js';
import { withStack } from '../helpers/stack.js';

/* What a request's own bytes may not do: be echoed back, or pass a Host that names nothing. */

const QUERY = '{"query":"{ __typename }"}';

/** A POST of `body` to /graphql with the given Host header (none when undefined). */
function post(host: string | undefined, body = QUERY, path = '/graphql'): string {
  return [
    `POST ${path} HTTP/1.1`,
    ...(host === undefined ? [] : [`Host: ${host}`]),
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

describe('an unparseable request body', () => {
  it('is a 400 BAD_REQUEST, without quoting the body back (no originalError)', async () => {
    await withStack({}, async (stack) => {
      const body = '{"query": "{ __typename }", "auth": secret-token-0123456789';
      const { status, text } = await rawRequest(stack.url, post('127.0.0.1', body));
      expect(status).toBe(400);
      expect(text).toContain(
        '"message":"POST body sent invalid JSON.","extensions":{"code":"BAD_REQUEST"',
      );
      expect(text).not.toContain('secret-token-0123456789');
      expect(text).not.toContain('originalError');
    });
  });
});

describe('the Host header', () => {
  it.each([
    'a b',
    '[::1',
    'portal.example:99999',
    'ok:1:2',
    'evil.example/x',
    'user@evil.example',
    '',
  ])('refuses the malformed Host %j with 400, before yoga (no stack trace)', async (host) => {
    await withStack({}, async (stack) => {
      const { status, text } = await rawRequest(stack.url, post(host));
      expect(status).toBe(400);
      expect(text).toContain('Host header is missing or malformed');
      expect(text).not.toContain('at new URL');
    });
  });

  it('serves any well-formed Host when HOST_ALLOWLIST is unset', async () => {
    await withStack({}, async (stack) => {
      for (const host of [
        '127.0.0.1',
        `127.0.0.1:${new URL(stack.url).port}`,
        'localhost',
        'dialogs_graphql:4000',
        '[::1]:80',
      ])
        expect((await rawRequest(stack.url, post(host))).status).toBe(200);
    });
  });

  it('serves only the names of HOST_ALLOWLIST (421 otherwise), probes whatever the Host', async () => {
    await withStack(
      { hostAllowlist: ['graphql.example.com', '*.internal.example'] },
      async (stack) => {
        const status = async (host: string, path?: string) =>
          (await rawRequest(stack.url, post(host, QUERY, path))).status;
        expect(await status('graphql.example.com')).toBe(200);
        expect(await status('GRAPHQL.example.com.:4000')).toBe(200);
        expect(await status('api.internal.example')).toBe(200);
        // A page that rebinds its own name to this server sends its own name.
        const refused = await rawRequest(stack.url, post('attacker.example'));
        expect(refused.status).toBe(421);
        expect(refused.text).toContain('MISDIRECTED_REQUEST');
        expect(await status('127.0.0.1')).toBe(421);
        expect(await status('internal.example')).toBe(421);
        // Orchestrators probe by address.
        const probe = await rawRequest(
          stack.url,
          'GET /health HTTP/1.1\r\nHost: 10.0.0.7:4000\r\nConnection: close\r\n\r\n',
        );
        expect(probe.status).toBe(200);
      },
    );
  });
});
