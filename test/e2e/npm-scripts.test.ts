import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import got from 'got';
import { recordOutput, registerFixtureSecrets } from '../helpers/outputs.js';
import { freePort } from '../helpers/process.js';
import {
  REPO_ROOT,
  isAlive,
  pathWithThisNode,
  portIsFree,
  runNpmScript,
  type NpmScript,
} from '../helpers/npm-script.js';

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
  return script
    .descendants()
    .filter(
      (info) =>
        /(^|\/)node$/.test(info.cmdline.split(' ')[0] ?? '') && info.cmdline.includes(entry),
    )
    .map((info) => info.pid);
}

async function stopsCleanly(
  script: NpmScript,
  signal: NodeJS.Signals,
  port: number,
  entry: string,
): Promise<void> {
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
    const build = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], {
      cwd: REPO_ROOT,
      env: { PATH: pathWithThisNode() },
      encoding: 'utf8',
    });
    expect(build.status).toBe(0);
  }, 120_000);

  it.each(SIGNALS)(
    'serves without running the compiler when dist/ is up to date, and %s to npm stops node: exit 0, port free',
    async (signal) => {
      registerFixtureSecrets();
      const port = await freePort();
      running = runNpmScript(['start'], {
        env: { PORT: String(port), HOST: '127.0.0.1' },
        onLine: recordOutput,
      });
      await running.waitForLine(/serving GraphQL/);
      const answer = await got
        .post(`http://127.0.0.1:${port}/graphql`, {
          json: { query: '{ dialog(id: "chat21191") { ... on Dialog { title } } }' },
        })
        .json();
      expect(answer).toEqual({ data: { dialog: { title: 'Mint Chat #3' } } });

      const programs = running.nodePrograms();
      expect(programs.some((program) => program.endsWith('dist/main.js'))).toBe(true);
      expect(programs.filter((program) => /typescript|\btsc$/.test(program))).toEqual([]);
      expect(running.lines.join('\n')).not.toMatch(/building dist/);

      await stopsCleanly(running, signal, port, 'dist/main.js');
      expect(running.lines.join('\n')).toMatch(new RegExp(`"signal":"${signal}".*shutting down`));
    },
  );
});

describe('npm run emulator', () => {
  it.each(SIGNALS)('%s to npm stops the emulator: exit 0, port free', async (signal) => {
    const port = await freePort();
    // Not recorded for the secret scan: the emulator prints its demo webhook URL on purpose.
    running = runNpmScript(['run', 'emulator'], { env: { EMULATOR_PORT: String(port) } });
    await running.waitForLine(/Bitrix24 emulator .* at http:\/\/127\.0\.0\.1:\d+/);
    const time = await got.post(`http://127.0.0.1:${port}/rest/server.time.json`, {
      throwHttpErrors: false,
    });
    expect(time.statusCode).toBeLessThan(500);
    await stopsCleanly(running, signal, port, 'dist/emulator/main.js');
  });
});

describe('scripts/build-if-stale.mjs, in a small project of its own', () => {
  let project = '';
  const write = (path: string, text: string) => {
    mkdirSync(join(project, path, '..'), { recursive: true });
    writeFileSync(join(project, path), text);
  };
  /**
   * As if the inputs were written two minutes ago and built one minute ago, so that a file written
   * next is the only newer one (file times are too coarse to tell writes a moment apart).
   */
  const lastBuiltAMinuteAgo = () => {
    const at = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000);
    const age = (path: string) => {
      utimesSync(path, at(120), at(120));
      if (statSync(path).isDirectory())
        for (const entry of readdirSync(path)) age(join(path, entry));
    };
    for (const input of ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'])
      age(join(project, input));
    utimesSync(join(project, 'dist/.tsbuildinfo'), at(60), at(60));
  };
  const buildIfStale = () => {
    const run = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], {
      cwd: project,
      env: { PATH: pathWithThisNode() },
      encoding: 'utf8',
    });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  };
  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'build-if-stale-'));
    mkdirSync(join(project, 'scripts'));
    copyFileSync(
      join(REPO_ROOT, 'scripts/build-if-stale.mjs'),
      join(project, 'scripts/build-if-stale.mjs'),
    );
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(project, 'node_modules'));
    write('package.json', JSON.stringify({ type: 'module' }));
    // No DOM library (target ES2022's default would load lib.dom.d.ts) and no checking of the
    // libraries' own declarations: a build of this one-line project takes ~0.7 s instead of ~2 s
    // (5 s on a loaded machine). What is tested is when build-if-stale runs tsc, not tsc itself.
    write(
      'tsconfig.json',
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2022'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: true,
          types: [],
        },
      }),
    );
    write(
      'tsconfig.build.json',
      JSON.stringify({
        extends: './tsconfig.json',
        compilerOptions: {
          rootDir: 'src',
          outDir: 'dist',
          incremental: true,
          tsBuildInfoFile: 'dist/.tsbuildinfo',
        },
        include: ['src'],
      }),
    );
    write('src/main.ts', 'export const answer: number = 1;\n');
    write('src/emulator/main.ts', 'export const emulator: string = "e";\n');
  });
  afterAll(() => {
    if (project !== '') rmSync(project, { recursive: true, force: true });
  });

  it('builds when there is no build, then not again until a source changes or an output is missing', () => {
    expect(buildIfStale()).toEqual({
      status: 0,
      output: expect.stringContaining('building dist/ (no build yet)'),
    });
    expect(readFileSync(join(project, 'dist/main.js'), 'utf8')).toContain('answer = 1');
    const built = statSync(join(project, 'dist/main.js')).mtimeMs;

    expect(buildIfStale()).toEqual({ status: 0, output: '' });
    expect(statSync(join(project, 'dist/main.js')).mtimeMs).toBe(built);

    lastBuiltAMinuteAgo();
    write('src/main.ts', 'export const answer: number = 2;\n');
    expect(buildIfStale()).toEqual({
      status: 0,
      output: expect.stringContaining('building dist/ (src changed since the last build)'),
    });
    expect(readFileSync(join(project, 'dist/main.js'), 'utf8')).toContain('answer = 2');

    // A change tsc does not compile (package.json's scripts) is built once, not at every start.
    lastBuiltAMinuteAgo();
    write(
      'package.json',
      JSON.stringify({ type: 'module', scripts: { start: 'node dist/main.js' } }),
    );
    expect(buildIfStale()).toEqual({
      status: 0,
      output: expect.stringContaining('building dist/ (package.json changed since the last build)'),
    });
    expect(buildIfStale()).toEqual({ status: 0, output: '' });

    unlinkSync(join(project, 'dist/emulator/main.js'));
    expect(buildIfStale()).toEqual({
      status: 0,
      output: expect.stringContaining('dist/emulator/main.js is missing'),
    });
    expect(statSync(join(project, 'dist/emulator/main.js')).isFile()).toBe(true);
  }, 60_000);

  it("fails, with the compiler's messages, when the sources do not compile", () => {
    lastBuiltAMinuteAgo();
    write('src/main.ts', 'export const answer: number = "not a number";\n');
    const run = buildIfStale();
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/TS2322[\s\S]*the build failed/);
  }, 60_000);
});
