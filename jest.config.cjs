// One jest run over every project's unit (*.spec.ts) and integration (*.int-spec.ts) tests.
// The e2e suite (apps/api-e2e) has its own config because it starts the services first.
const { existsSync, readdirSync } = require('node:fs');
const path = require('node:path');

function projects(dir, depth = 0) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (existsSync(path.join(full, 'jest.config.cjs'))) out.push(full);
    else if (depth < 1) out.push(...projects(full, depth + 1));
  }
  return out;
}

module.exports = {
  projects: [...projects(path.join(__dirname, 'apps')), ...projects(path.join(__dirname, 'libs'))].filter((p) => !p.endsWith('-e2e')),
  // Integration tests share 2 cores with MariaDB and Redis: a generous per-test ceiling, not a speed goal.
  testTimeout: 30000,
  globalSetup: '<rootDir>/tools/jest/global-setup.cjs',
  globalTeardown: '<rootDir>/tools/jest/global-teardown.cjs',
};
