/** Jest runs the TypeScript sources as native ES modules (got is ESM-only). Types are checked by
 * `tsc --noEmit` in `npm test`, so ts-jest only transpiles (isolatedModules in tsconfig.json). */
export const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testTimeout: 30000,
};

/**
 * Three tiers, one run (`npm test`); `npm run test:unit` runs the first two only.
 * - unit: modules on their own, fake time where time is the point.
 * - in-process: the whole server (createDialogServer) with GraphQL handed to yoga's fetch, no socket
 *   between client and server; the portal is the emulator over loopback HTTP.
 * - e2e: HTTP on loopback sockets, built processes (dist/, so `npm run build` first), npm scripts.
 * The deployment tier (a fresh clone, npm ci, the container recipe's steps) is slow: `npm run
 * test:deploy` runs it with jest.deploy.config.js, `npm test` does not.
 */
export const TIERS = ['unit', 'in-process', 'e2e'];

export default {
  projects: TIERS.map((tier) => ({
    ...shared,
    displayName: tier,
    testMatch: [`<rootDir>/test/${tier}/**/*.test.ts`],
  })),
  testTimeout: shared.testTimeout,
  // One worker per CPU. jest's default (CPUs - 1) is a single worker on a 2-CPU machine, and most
  // of an e2e file's time is spent waiting (processes starting, paced portals, deadlines), not on
  // the CPU: 2 workers take the whole run on 2 CPUs from ~185 s to ~105 s. More than one per CPU
  // was little faster and made timing tests fail under the load.
  maxWorkers: '100%',
  // The default reporter, and a list of skipped tests with the reason each was skipped.
  reporters: ['default', '<rootDir>/test/skip-reporter.mjs'],
  // Every run ends with a grep of all logs and responses for the secrets it used.
  globalSetup: '<rootDir>/test/global-setup.mjs',
  globalTeardown: '<rootDir>/test/secret-scan.mjs',
};
