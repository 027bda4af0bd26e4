import { afterEach, describe, expect, it } from '@jest/globals';
import got from 'got';
import { recordOutput } from '../helpers/outputs.js';
import { startServerProcess, stopServerProcess, type RunningServer } from '../helpers/process.js';

const INJECT = new URL('../helpers/inject-failure.mjs', import.meta.url).href;
// Issue 21 finding 1: a rejected reference, then a typename the subgraph does not know.
const CRASHING_GET = `{ _entities(representations: [{__typename: "Dialog", id: 256}, {__typename: "X"}]) { __typename } }`;

const get = async (url: string) => {
  const response = await got(url, { throwHttpErrors: false, retry: { limit: 0 } });
  recordOutput(response.body);
  return response;
};
const logLines = (running: RunningServer) =>
  running.server.stdout.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('the process survives what used to end it', () => {
  let running: RunningServer | undefined;
  afterEach(async () => {
    if (running) await stopServerProcess(running.server);
    running = undefined;
  });

  it('keeps serving after the one-GET _entities crash and an unhandled rejection, and stops gracefully on SIGHUP', async () => {
    running = await startServerProcess({ NODE_OPTIONS: `--import=${INJECT}` });
    const { base, server } = running;

    const crashing = await get(`${base}/graphql?query=${encodeURIComponent(CRASHING_GET)}`);
    expect(crashing.statusCode).toBe(200);
    expect(JSON.parse(crashing.body)).toMatchObject({
      data: { _entities: [null, null] },
      errors: expect.arrayContaining([
        expect.objectContaining({
          path: ['_entities', 0],
          extensions: { code: 'DIALOG_ID_EMPTY' },
        }),
        expect.objectContaining({ path: ['_entities', 1], extensions: { code: 'BAD_USER_INPUT' } }),
      ]),
    });

    server.child.stdin.write('reject\n');
    await server.waitForLine(/unhandled promise rejection/);
    // Node ends a process on an unhandled rejection within a tick (the line above is written by the
    // same handler that would let it): 250 ms later, hundreds of ticks on, it still serves.
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(server.child.exitCode).toBeNull();
    expect((await get(`${base}/health`)).statusCode).toBe(200);
    const metrics = await get(`${base}/metrics`);
    expect(metrics.body).toMatch(/^process_unhandled_rejections_total 1$/m);
    expect(logLines(running).find((line) => line.level === 50)).toMatchObject({
      err: { message: 'injected rejection nobody listens to' },
    });

    server.child.kill('SIGHUP');
    expect(await server.exited).toBe(0);
    await server.waitForLine(/"msg":"stopped"/);
  });

  it('drains and exits 1 on an uncaught exception', async () => {
    running = await startServerProcess({ NODE_OPTIONS: `--import=${INJECT}` });
    running.server.child.stdin.write('throw\n');
    expect(await running.server.exited).toBe(1);
    await running.server.waitForLine(/"msg":"stopped"/);
    expect(logLines(running).find((line) => line.level === 60)).toMatchObject({
      msg: 'uncaught exception: shutting down gracefully',
      err: { message: 'injected uncaught exception' },
    });
  });
});
