import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { parseDockerfile, stepsOf } from '../helpers/dockerfile.js';

/**
 * The container recipe's shape, checked on every `npm test`; `npm run test:deploy` performs its steps
 * (test/deploy/container-recipe.test.ts).
 */

const stages = parseDockerfile();
const build = stages[0]!;
const runtime = stages.at(-1)!;

describe('Dockerfile', () => {
  it('builds in one stage and runs from another, both on one exact release of the active LTS line (Node 26)', () => {
    expect(stages).toHaveLength(2);
    expect(build.name).toBe('build');
    // An exact version (a floating `node:26-alpine` rebuilds on whatever Node is newest that day).
    for (const stage of stages)
      expect(stage.image).toMatch(/^node:26\.\d+\.\d+-alpine(@sha256:[0-9a-f]{64})?$/);
    expect(runtime.image).toBe(build.image);
  });

  it('the build stage installs everything, builds, then prunes to production dependencies', () => {
    expect(
      stepsOf(build, 'RUN').map((step) => step.command.split(' ').slice(0, 3).join(' ')),
    ).toEqual(['npm ci --no-audit', 'npm run build', 'npm prune --omit=dev']);
  });

  it('the runtime stage holds package.json, production node_modules and dist/ only, and builds nothing', () => {
    expect(stepsOf(runtime, 'RUN')).toEqual([]);
    expect(stepsOf(runtime, 'COPY')).toEqual([
      { kind: 'COPY', from: 'build', sources: ['/app/package.json'], destination: './' },
      {
        kind: 'COPY',
        from: 'build',
        sources: ['/app/node_modules'],
        destination: './node_modules',
      },
      { kind: 'COPY', from: 'build', sources: ['/app/dist'], destination: './dist' },
    ]);
    expect(stepsOf(runtime, 'ENV')).toContainEqual({
      kind: 'ENV',
      name: 'NODE_ENV',
      value: 'production',
    });
  });

  it('runs node itself as a non-root user, with a health check on /health', () => {
    expect(stepsOf(runtime, 'CMD')).toEqual([{ kind: 'CMD', command: ['node', 'dist/main.js'] }]);
    const [user] = stepsOf(runtime, 'USER');
    expect(user?.user).toBeDefined();
    expect(['root', '0']).not.toContain(user!.user);
    const [health] = stepsOf(runtime, 'HEALTHCHECK');
    expect(health?.command.join(' ')).toMatch(/\/health/);
    expect(stepsOf(runtime, 'EXPOSE')).toEqual([{ kind: 'EXPOSE', port: 4000 }]);
  });

  it('refuses instructions the recipe test cannot perform', () => {
    expect(() => parseDockerfile('FROM node:26-alpine\nADD https://example.org/x /x\n')).toThrow(
      /ADD is not understood/,
    );
    expect(() => parseDockerfile('FROM node:26-alpine\nCMD node dist/main.js\n')).toThrow(
      /exec form/,
    );
  });
});

describe('.dockerignore', () => {
  it('keeps local installs and builds out of the build context', () => {
    const ignored = readFileSync(new URL('../../.dockerignore', import.meta.url), 'utf8')
      .split('\n')
      .map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.git']));
  });
});

describe('compose.yaml', () => {
  interface Service {
    build?: unknown;
    image?: string;
    command?: unknown;
    volumes?: unknown;
    environment?: Record<string, string>;
    depends_on?: string[];
    ports?: Array<string | { host_ip?: string; published?: string }>;
    deploy?: { replicas?: unknown };
    stop_grace_period?: string;
  }
  const compose = parse(readFileSync(new URL('../../compose.yaml', import.meta.url), 'utf8')) as {
    services: Record<string, Service>;
  };
  const dialogs = compose.services.dialogs!;

  it('builds the Dockerfile once (one image for every replica) and runs its CMD, not a command of its own', () => {
    expect(dialogs.build).toBe('.');
    expect(dialogs.image).toBeDefined();
    expect(dialogs.command).toBeUndefined();
    // No source folder mounted over the image (three replicas once ran npm ci into one shared folder).
    expect(dialogs.volumes).toBeUndefined();
  });

  it('publishes nothing on every host interface: each published port is bound to loopback', () => {
    const published = Object.entries(compose.services).flatMap(([name, service]) =>
      (service.ports ?? []).map((port) => ({ name, port })),
    );
    expect(published.length).toBeGreaterThan(0);
    for (const { name, port } of published) {
      const hostIp =
        typeof port === 'string'
          ? /^(\d+\.\d+\.\d+\.\d+|\[[^\]]+\]):/.exec(port)?.[1]
          : port.host_ip;
      expect({ name, hostIp }).toEqual({
        name,
        hostIp: expect.stringMatching(/^(127\.0\.0\.1|\[::1\])$/),
      });
    }
  });

  it('takes the replica count and REPLICAS_HINT from one variable, so they agree', () => {
    expect(dialogs.deploy?.replicas).toBe(['$', '{REPLICAS:-3}'].join(''));
    expect(dialogs.environment?.REPLICAS_HINT).toBe(dialogs.deploy?.replicas);
    // One published port per replica: the range holds the most REPLICAS the file speaks of (10).
    expect(dialogs.ports).toEqual(['127.0.0.1:4000-4009:4000']);
  });

  it('pins the Redis image to an exact release', () => {
    expect(compose.services.redis?.image).toMatch(/^redis:\d+\.\d+\.\d+-alpine$/);
  });

  it('shares one Redis across the replicas and leaves time for a graceful stop', () => {
    expect(compose.services.redis).toBeDefined();
    expect(dialogs.depends_on).toContain('redis');
    expect(dialogs.environment?.REDIS_URL).toBe('redis://redis:6379');
    expect(Number.parseInt(dialogs.stop_grace_period ?? '0', 10)).toBeGreaterThan(10);
  });
});
