import { spawnSync } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import got from 'got';
import { recordOutput, registerFixtureSecrets } from '../helpers/outputs.js';
import { freePort } from '../helpers/process.js';
import { REPO_ROOT, isAlive, pathWithThisNode, portIsFree, runNpmScript, type NpmScript } from '../helpers/npm-script.js';

/**
 * `npm start` and `npm run emulator` as a supervisor, a container runtime or a terminal runs them:
 * the signal goes to the npm process, and must reach node (graceful shutdown, exit 0, port free,
 * no node left behind). And a second start does not run the TypeScript compiler.
 */

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
let running: NpmScript | undefined;

afterEach(() => {
  running?.cleanUp();
  running = undefined;
});

/** The node processes below npm that run `entry` (npm's child after `exec`; a grandchild without it). */
function nodesRunning(script: NpmScript, entry: string): number[] {
  return script.descendants().filter((info) => /(^|\/)node$/.test(info.cmdline.split(' ')[0] ?? '') && info.cmdline.includes(entry)).map((info) => info.pid);
}

async function stopsCleanly(script: NpmScript, signal: NodeJS.Signals, port: number, entry: string): Promise<void> {
  const nodes = nodesRunning(script, entry);
  expect(nodes).toHaveLength(1);
  script.child.kill(signal);
  expect(await script.exited).toBe(0);
  expect(nodes.filter(isAlive)).toEqual([]);
  expect(await portIsFree(port)).toBe(true);
}

describe('npm start', () => {
  beforeAll(() => {
    // `npm test` has just built; run on its own, this test builds first, so that the starts below
    // find dist/ up to date.
    const build = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: REPO_ROOT, env: { PATH: pathWithThisNode() }, encoding: 'utf8' });
    expect(build.status).toBe(0);
  }, 120_000);

  it.each(SIGNALS)('serves without running the compiler when dist/ is up to date, and %s to npm stops node: exit 0, port free', async (signal) => {
    registerFixtureSecrets();
    const port = await freePort();
    running = runNpmScript(['start'], { env: { PORT: String(port), HOST: '127.0.0.1' }, onLine: recordOutput });
    await running.waitForLine(/serving GraphQL/);
    const answer = await got.post(`http://127.0.0.1:${port}/graphql`, { json: { query: '{ dialog(id: "chat21191") { ... on Dialog { title } } }' } }).json();
    expect(answer).toEqual({ data: { dialog: { title: 'Mint Chat #3' } } });

    const programs = running.nodePrograms();
    expect(programs.some((program) => program.endsWith('dist/main.js'))).toBe(true);
    expect(programs.filter((program) => /typescript|\btsc$/.test(program))).toEqual([]);
    expect(running.lines.join('\n')).not.toMatch(/building dist/);

    await stopsCleanly(running, signal, port, 'dist/main.js');
    expect(running.lines.join('\n')).toMatch(new RegExp(`"signal":"${signal}".*shutting down`));
  });
});

describe('npm run emulator', () => {
  it.each(SIGNALS)('%s to npm stops the emulator: exit 0, port free', async (signal) => {
    const port = await freePort();
    // Not recorded for the secret scan: the emulator prints its demo webhook URL on purpose.
    running = runNpmScript(['run', 'emulator'], { env: { EMULATOR_PORT: String(port) } });
    await running.waitForLine(/Bitrix24 emulator .* at http:\/\/127\.0\.0\.1:\d+/);
    const time = await got.post(`http://127.0.0.1:${port}/rest/server.time.json`, { throwHttpErrors: false });
    expect(time.statusCode).toBeLessThan(500);
    await stopsCleanly(running, signal, port, 'dist/emulator/main.js');
  });
});
