// SDK end-to-end suite: globalSetup starts `appconda all` (every service in one process) against a
// fresh MariaDB schema and Redis prefix; the tests drive it through the official Appwrite SDKs.
const base = require('../../jest.preset.cjs').project(__dirname);

module.exports = {
  ...base,
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/support/global-setup.cjs',
  globalTeardown: '<rootDir>/support/global-teardown.cjs',
  testTimeout: 60000,
};
