import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import got from 'got';
import { EXAMPLE_QUERY } from '../../src/server/plugins/graphiql.js';
import { startServerProcess, type ServerProcess } from '../helpers/process.js';

describe('npm start with no portal configured (demo mode)', () => {
  let server: ServerProcess;
  let base: string;
  beforeAll(async () => {
    ({ server, base } = await startServerProcess());
  });
  afterAll(async () => {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await server.exited;
  });

  it('says "demo mode" and the GraphiQL URL in its first log line', () => {
    const first = JSON.parse(server.stdout[0]!) as { msg: string };
    expect(first.msg).toMatch(/^demo mode: /);
    expect(first.msg).toContain(`GraphiQL at ${base}/graphql`);
  });

  it('serves GraphiQL with the example query and its assets from this server', async () => {
    const page = await got(`${base}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain(JSON.stringify(EXAMPLE_QUERY).slice(1, 60));
    expect(page.body).toContain('/graphiql-assets/yoga-graphiql.umd.js');
    expect(page.body).not.toContain('unpkg.com');
    const script = await got(`${base}/graphiql-assets/yoga-graphiql.umd.js`);
    expect(script.headers['content-type']).toContain('javascript');
    expect(script.body.length).toBeGreaterThan(100_000);
  });

  it('answers the example query from the built-in sample portal', async () => {
    const response = await got.post(`${base}/graphql`, { json: { query: EXAMPLE_QUERY } }).json<{
      data: {
        dialog: { title: string };
        dialogs: Array<{ __typename: string; id?: string; dialogId?: string; code?: string }>;
      };
    }>();
    expect(response.data.dialog.title).toBe('Mint Chat #3');
    expect(response.data.dialogs.map((d) => d.__typename)).toEqual([
      'Dialog',
      'Dialog',
      'AccessError',
      'DialogIdEmptyError',
    ]);
  });

  it('is live and ready', async () => {
    expect((await got(`${base}/health`)).statusCode).toBe(200);
    expect((await got(`${base}/readiness`)).statusCode).toBe(200);
  });

  it('stops cleanly on SIGTERM', async () => {
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});
