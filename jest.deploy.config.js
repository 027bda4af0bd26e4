/** The deployment tier (`npm run test:deploy`): the container recipe's steps in a fresh clone. Slow
 * (npm ci, a full build), so apart from `npm test`; .ci/run runs it once. */
import base, { shared } from './jest.config.js';

export default {
  ...shared,
  reporters: base.reporters,
  globalSetup: base.globalSetup,
  globalTeardown: base.globalTeardown,
  testMatch: ['<rootDir>/test/deploy/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 600000,
};
