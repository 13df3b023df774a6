// Shared jest setup: SWC transform with decorator metadata (same options as the build), and the
// @appconda/* aliases from tsconfig.base.json.
const path = require('node:path');
const { root, swcOptions } = require('./tools/swc.cjs');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias.replace('/', '\\/')}$`] = path.join(root, target);
}

const { jsc, module: mod } = swcOptions({ sourceMaps: 'inline' });

function project(dir) {
  return {
    displayName: path.relative(root, dir),
    rootDir: dir,
    testEnvironment: 'node',
    testTimeout: 30000,
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.int-spec.ts', '<rootDir>/test/**/*.spec.ts', '<rootDir>/test/**/*.int-spec.ts'],
    transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { ...jsc, baseUrl: undefined, paths: undefined }, module: mod, swcrc: false }] },
    moduleFileExtensions: ['ts', 'js', 'json'],
    moduleNameMapper,
    setupFiles: [path.join(root, 'tools/jest/setup-env.cjs')],
  };
}

module.exports = { project };
