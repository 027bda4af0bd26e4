import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import got from 'got';
import { EXAMPLE_QUERY } from '../../src/server/plugins/graphiql.js';
import {
  PERSISTED_ID_REQUIRED_MESSAGE,
  PERSISTED_ONLY_MESSAGE,
} from '../../src/server/plugins/persisted-operations.js';
import { withStack } from '../helpers/stack.js';

/** What someone meets first: the root URL, the favicon request, GraphiQL's example, a refused query. */

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The fenced blocks of `language` in the README section that starts with `heading`. */
function readmeBlocks(heading: string, language: string): string[] {
  const start = README.indexOf(`\n${heading}\n`);
  expect(start).toBeGreaterThan(-1);
  const end = README.indexOf('\n## ', start + heading.length + 2);
  const section = README.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map(
    (match) => match[1]!,
  );
}

const noRedirects = { followRedirect: false, throwHttpErrors: false, retry: { limit: 0 } } as const;

describe('GET / and /favicon.ico', () => {
  it('GET / redirects to GraphiQL when GraphiQL is served', async () => {
    await withStack({ graphiql: true }, async (stack) => {
      const root = await got(`${stack.url}/`, noRedirects);
      expect(root.statusCode).toBe(302);
      expect(new URL(root.headers.location!, `${stack.url}/`).href).toBe(`${stack.url}/graphql`);
      const followed = await got(`${stack.url}/`, { headers: { accept: 'text/html' } });
      expect(followed.body).toContain('GraphiQL');
    });
  });

  it('GET / names the endpoints in a short JSON when GraphiQL is off (production)', async () => {
    await withStack({ graphiql: false, introspection: false }, async (stack) => {
      const root = await got(`${stack.url}/`, noRedirects);
      expect(root.statusCode).toBe(200);
      expect(root.headers['content-type']).toContain('application/json');
      expect(JSON.parse(root.body)).toMatchObject({
        graphql: '/graphql',
        health: '/health',
        readiness: '/readiness',
      });
    });
  });

  it('/favicon.ico is no 404, with or without GraphiQL', async () => {
    for (const graphiql of [true, false]) {
      await withStack({ graphiql, introspection: graphiql }, async (stack) => {
        const icon = await got(`${stack.url}/favicon.ico`, noRedirects);
        expect(icon.statusCode).toBe(204);
        expect(icon.headers['cache-control']).toContain('max-age');
      });
    }
  });

  it('other unknown paths still answer 404', async () => {
    await withStack({}, async (stack) => {
      expect((await got(`${stack.url}/nothing-here`, noRedirects)).statusCode).toBe(404);
    });
  });
});

describe("GraphiQL's example is the README's", () => {
  it('the README shows exactly the query GraphiQL opens with', () => {
    const [query] = readmeBlocks('## A query and its answer', 'graphql');
    expect(query).toBe(EXAMPLE_QUERY);
  });

  it('and the answer the README prints is what the demo portal answers, in one upstream call', async () => {
    const [answer] = readmeBlocks('## A query and its answer', 'json');
    await withStack({}, async (stack) => {
      stack.resetCalls();
      const response = await stack.query(EXAMPLE_QUERY);
      expect(response.body).toEqual(JSON.parse(answer!));
      expect(stack.upstreamCalls()).toBe(1);
    });
  });
});

describe('persisted-only mode (PERSISTED_OPERATIONS) says what it runs', () => {
  const manifest = new Map([['a'.repeat(64), '{ dialog(id: "chat1") { __typename } }']]);

  it('a plain query is told that only persisted operations run, and how to send one', async () => {
    await withStack({ persistedOperations: manifest }, async (stack) => {
      const response = await stack.query('{ dialog(id: "chat1") { __typename } }');
      expect(response.body.data).toBeUndefined();
      expect(response.body.errors).toEqual([
        expect.objectContaining({
          message: PERSISTED_ONLY_MESSAGE,
          extensions: expect.objectContaining({ code: 'PERSISTED_QUERY_ONLY' }),
        }),
      ]);
      expect(PERSISTED_ONLY_MESSAGE).toMatch(
        /only persisted operations.*extensions\.persistedQuery\.sha256Hash/,
      );
      expect(stack.upstreamCalls()).toBe(0);
    });
  });

  it('a request with neither a query nor a hash is told the same', async () => {
    await withStack({ persistedOperations: manifest }, async (stack) => {
      const response = await got
        .post(`${stack.url}/graphql`, { json: { variables: {} }, throwHttpErrors: false })
        .json<{ errors: Array<{ message: string }> }>();
      expect(response.errors.map((error) => error.message)).toEqual([
        PERSISTED_ID_REQUIRED_MESSAGE,
      ]);
    });
  });

  it('a listed hash runs', async () => {
    await withStack({ persistedOperations: manifest }, async (stack) => {
      const response = await got
        .post(`${stack.url}/graphql`, {
          json: { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } },
        })
        .json();
      expect(response).toEqual({ data: { dialog: { __typename: 'Dialog' } } });
    });
  });

  it('a listed hash runs when sent as documentId, the persisted documents convention, as the message offers', async () => {
    await withStack({ persistedOperations: manifest }, async (stack) => {
      expect(PERSISTED_ONLY_MESSAGE).toContain('or as documentId');
      const hash = 'a'.repeat(64);
      const answers = [
        await got.post(`${stack.url}/graphql`, { json: { documentId: hash } }).json(),
        await got.post(`${stack.url}/graphql`, { json: { documentId: `sha256:${hash}` } }).json(),
        await got(`${stack.url}/graphql`, {
          searchParams: { documentId: `sha256:${hash}` },
        }).json(),
      ];
      expect(answers).toEqual(Array(3).fill({ data: { dialog: { __typename: 'Dialog' } } }));
    });
  });

  it('an unlisted documentId is PersistedQueryNotFound, like an unlisted sha256Hash', async () => {
    await withStack({ persistedOperations: manifest }, async (stack) => {
      const response = await got
        .post(`${stack.url}/graphql`, {
          json: { documentId: `sha256:${'b'.repeat(64)}` },
          throwHttpErrors: false,
        })
        .json<{ errors: Array<{ message: string }> }>();
      expect(response.errors.map((error) => error.message)).toEqual(['PersistedQueryNotFound']);
    });
  });
});
