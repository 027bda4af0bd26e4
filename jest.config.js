/** Jest runs the TypeScript sources as native ES modules (got is ESM-only). Types are checked by
 * `tsc --noEmit` in `npm test`, so ts-jest only transpiles (isolatedModules in tsconfig.json). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // The deployment tier (a fresh clone, npm ci, the container recipe's steps) is slow: `npm run
  // test:deploy` runs it with jest.deploy.config.js, `npm test` does not.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/deploy/'],
  testTimeout: 30000,
  // The default reporter, and a list of skipped tests with the reason each was skipped.
  reporters: ['default', '<rootDir>/test/skip-reporter.mjs'],
  // Every run ends with a grep of all logs and responses for the secrets it used.
  globalSetup: '<rootDir>/test/global-setup.mjs',
  globalTeardown: '<rootDir>/test/secret-scan.mjs',
};
