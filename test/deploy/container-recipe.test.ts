import { execFile, spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import got from 'got';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { parseDockerfile, type Stage } from '../helpers/dockerfile.js';
import { REPO_ROOT, pathWithThisNode, portIsFree } from '../helpers/npm-script.js';
import { recordOutput, registerFixtureSecrets } from '../helpers/outputs.js';
import { freePort } from '../helpers/process.js';

/**
 * The container recipe, performed without a container engine: the Dockerfile is read and each of its
 * steps is done in a fresh clone, each stage in a folder of its own standing for the image's WORKDIR
 * (install with dev dependencies, build, prune to production dependencies, copy package.json,
 * node_modules and dist/ into the runtime stage), then the image's CMD is started there with the
 * image's environment, answers a query, passes the HEALTHCHECK and stops on SIGTERM. What the base
 * image adds (Node itself, npm, the `node` user) is the one thing taken from this machine instead.
 *
 * Slow (npm ci), so in its own tier: `npm run test:deploy`. npm uses its cache first
 * (npm_config_prefer_offline), as `npm ci --prefer-offline` would.
 */

interface StageState {
  readonly stage: Stage;
  readonly root: string;
  workdir: string;
  readonly env: Record<string, string>;
  user?: string;
  command?: readonly string[];
  healthcheck?: readonly string[];
}

/** The scratch folder (made in beforeAll): the clone in context/, one folder per stage beside it. */
let work = '';
let context = '';

function sh(
  command: string,
  options: { cwd: string; env: Record<string, string> },
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'sh',
      ['-c', command],
      { ...options, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error)
          reject(
            new Error(
              `\`${command}\` failed (${error.code ?? error.signal}):\n${stdout}\n${stderr}`,
            ),
          );
        else resolve(`${stdout}${stderr}`);
      },
    );
  });
}

function git(...args: string[]): string {
  const result = spawnSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** A fresh clone of this repository, with the work tree's uncommitted changes (tracked or new) on top. */
function freshClone(): void {
  git('clone', '--quiet', REPO_ROOT, context);
  const changed = git('ls-files', '-z', '--modified', '--others', '--exclude-standard')
    .split('\0')
    .filter(Boolean);
  for (const file of changed) {
    if (!existsSync(join(REPO_ROOT, file))) continue;
    mkdirSync(dirname(join(context, file)), { recursive: true });
    cpSync(join(REPO_ROOT, file), join(context, file));
  }
  for (const file of git('ls-files', '-z', '--deleted').split('\0').filter(Boolean))
    rmSync(join(context, file), { force: true });
}

/** A path inside a stage's image, as a folder on this machine. */
function inStage(state: StageState, path: string): string {
  const inImage = isAbsolute(path) ? path : join(state.workdir, path);
  const below = relative(state.workdir, inImage);
  if (below.startsWith('..'))
    throw new Error(
      `${path} is outside the stage's WORKDIR ${state.workdir}: the recipe test maps only the WORKDIR`,
    );
  return join(state.root, below);
}

/** COPY as docker does it: a folder's contents into the destination, a file into it (or as it). */
function copy(source: string, destination: string, destinationIsFolder: boolean): void {
  if (statSync(source).isDirectory()) {
    cpSync(source, destination, { recursive: true, verbatimSymlinks: true });
    return;
  }
  const target = destinationIsFolder ? join(destination, basename(source)) : destination;
  mkdirSync(dirname(target), { recursive: true });
  cpSync(source, target);
}

async function performStages(): Promise<StageState[]> {
  const states: StageState[] = [];
  for (const [index, stage] of parseDockerfile().entries()) {
    const state: StageState = {
      stage,
      root: join(work, `stage-${index}-${stage.name ?? 'final'}`),
      workdir: '/',
      env: {},
    };
    states.push(state);
    mkdirSync(state.root, { recursive: true });
    for (const step of stage.steps) {
      switch (step.kind) {
        case 'WORKDIR':
          state.workdir = step.path;
          break;
        case 'ENV':
          state.env[step.name] = step.value;
          break;
        case 'COPY': {
          const from =
            step.from === undefined
              ? undefined
              : states.find((other) => other.stage.name === step.from);
          if (step.from !== undefined && from === undefined)
            throw new Error(`COPY --from=${step.from}: no such stage`);
          const destination = inStage(state, step.destination);
          for (const source of step.sources)
            copy(
              from ? inStage(from, source) : join(context, source),
              destination,
              step.destination.endsWith('/'),
            );
          break;
        }
        case 'RUN':
          recordOutput(
            await sh(step.command, {
              cwd: state.root,
              env: {
                PATH: pathWithThisNode(),
                HOME: process.env.HOME ?? work,
                ...state.env,
                npm_config_prefer_offline: 'true',
                npm_config_update_notifier: 'false',
              },
            }),
          );
          break;
        case 'USER':
          state.user = step.user;
          break;
        case 'EXPOSE':
          break;
        case 'HEALTHCHECK':
          state.healthcheck = step.command;
          break;
        case 'CMD':
          state.command = step.command;
          break;
      }
    }
  }
  return states;
}

/** A program of the image: `node` is the Node that runs this test (the base image's Node). */
function program(command: readonly string[]): [string, string[]] {
  const [name = '', ...args] = command;
  return [name === 'node' ? process.execPath : name, args];
}

describe('the container recipe (Dockerfile), step by step in a fresh clone', () => {
  let runtime: StageState;
  let emulator: Emulator;
  beforeAll(async () => {
    registerFixtureSecrets();
    work = mkdtempSync(join(tmpdir(), 'container-recipe-'));
    context = join(work, 'context');
    freshClone();
    runtime = (await performStages()).at(-1)!;
    emulator = await startEmulator({});
  }, 900_000);
  afterAll(async () => {
    await emulator?.close();
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });

  it('leaves the runtime stage with package.json, production dependencies and dist/ only', () => {
    expect(readdirSync(runtime.root).sort()).toEqual(['dist', 'node_modules', 'package.json']);
    expect(existsSync(join(runtime.root, 'dist/main.js'))).toBe(true);
    expect(existsSync(join(runtime.root, 'node_modules/graphql-yoga/package.json'))).toBe(true);
    for (const devOnly of [
      'typescript',
      'jest',
      'ts-jest',
      '@graphql-codegen/cli',
      'playwright-core',
      // GraphiQL's package and its build-time tree: the image serves the bundle the build copied.
      '@graphql-yoga/graphiql',
      'monaco-editor',
      'react-dom',
    ]) {
      expect(existsSync(join(runtime.root, 'node_modules', devOnly))).toBe(false);
    }
    expect(existsSync(join(runtime.root, 'dist/graphiql-assets/yoga-graphiql.umd.js'))).toBe(true);
    expect(existsSync(join(runtime.root, 'dist/graphiql-assets/LICENSE'))).toBe(true);
  });

  it('carries at most 60 MB of node_modules, by the bytes of its files (what the image layer holds) and by du', () => {
    const bytesBelow = (path: string): number => {
      const stats = lstatSync(path);
      if (!stats.isDirectory()) return stats.size;
      return readdirSync(path).reduce((sum, entry) => sum + bytesBelow(join(path, entry)), 0);
    };
    const megabytes = bytesBelow(join(runtime.root, 'node_modules')) / 1024 / 1024;
    // Disk usage too, as `du -sh` shows it: each of the ~4 000 files rounded up to a 4 KiB block.
    const du = spawnSync('du', ['-sk', join(runtime.root, 'node_modules')], { encoding: 'utf8' });
    const diskMegabytes = Number.parseInt(du.stdout, 10) / 1024;
    recordOutput(
      `runtime node_modules: ${megabytes.toFixed(1)} MB of files, ${diskMegabytes.toFixed(1)} MB of disk (du)`,
    );
    expect(megabytes).toBeGreaterThan(5);
    expect(megabytes).toBeLessThanOrEqual(60);
    expect(diskMegabytes).toBeLessThanOrEqual(60);
  });

  it('serves GraphiQL and every asset its page loads from the image alone when GRAPHIQL=true', async () => {
    const port = await freePort();
    const [command, args] = program(runtime.command!);
    const server = spawn(command, args, {
      cwd: runtime.root,
      env: {
        PATH: pathWithThisNode(),
        ...runtime.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        BITRIX24_WEBHOOK_URL: emulator.webhookUrl(),
        GRAPHIQL: 'true',
        INTROSPECTION: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('not serving within 20 s')), 20_000);
        createInterface({ input: server.stdout }).on('line', (line) => {
          recordOutput(line);
          if (line.includes('serving GraphQL')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const base = `http://127.0.0.1:${port}`;
      const page = await got(`${base}/graphql`, { headers: { accept: 'text/html' } }).text();
      expect(page).toContain('GraphiQL');
      expect(page).not.toContain('unpkg.com');
      const assets = [...page.matchAll(/\/graphiql-assets\/[\w./-]+/g)].map(([path]) => path);
      expect(assets.length).toBeGreaterThanOrEqual(2);
      for (const asset of [...new Set(assets)]) {
        const response = await got(`${base}${asset}`, { throwHttpErrors: false });
        expect({ asset, status: response.statusCode }).toEqual({ asset, status: 200 });
        expect(response.rawBody.length).toBeGreaterThan(1000);
      }
    } finally {
      server.kill('SIGKILL');
    }
  }, 60_000);

  it('starts from dist/ with only those, answers a query in production mode, passes its HEALTHCHECK, and stops on SIGTERM', async () => {
    expect(runtime.command).toEqual(['node', 'dist/main.js']);
    const port = await freePort();
    const env = {
      PATH: pathWithThisNode(),
      ...runtime.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      BITRIX24_WEBHOOK_URL: emulator.webhookUrl(),
    };
    const [command, args] = program(runtime.command!);
    const server = spawn(command, args, {
      cwd: runtime.root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) =>
      server.once('exit', (code) => resolve(code)),
    );
    try {
      const lines: string[] = [];
      const serving = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`not serving within 20 s:\n${lines.join('\n')}`)),
          20_000,
        );
        const onLine = (line: string) => {
          lines.push(line);
          recordOutput(line);
          if (line.includes('serving GraphQL')) {
            clearTimeout(timer);
            resolve();
          }
        };
        createInterface({ input: server.stdout }).on('line', onLine);
        createInterface({ input: server.stderr }).on('line', onLine);
      });
      await serving;
      const base = `http://127.0.0.1:${port}`;

      const answer = await got
        .post(`${base}/graphql`, {
          json: { query: '{ dialog(id: "chat21191") { ... on Dialog { title } } }' },
        })
        .json();
      expect(answer).toEqual({ data: { dialog: { title: 'Mint Chat #3' } } });
      // NODE_ENV=production from the image: no GraphiQL, so / names the endpoints.
      expect(await got(`${base}/`).json()).toMatchObject({
        graphql: '/graphql',
        health: '/health',
      });

      const [checkCommand, checkArgs] = program(runtime.healthcheck!);
      expect(spawnSync(checkCommand, checkArgs, { cwd: runtime.root, env }).status).toBe(0);

      server.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(await portIsFree(port)).toBe(true);
      // The same health check fails once the server is gone.
      expect(spawnSync(checkCommand, checkArgs, { cwd: runtime.root, env }).status).not.toBe(0);
    } finally {
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    }
  }, 60_000);
});
