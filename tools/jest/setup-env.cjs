// Tests run quietly: structured logs only for fatal lines unless _APP_LOG_LEVEL says otherwise
// (e.g. `_APP_LOG_LEVEL=debug npx jest …` while investigating).
process.env.NODE_ENV ??= 'test';
process.env._APP_LOG_LEVEL ??= 'fatal';
require('reflect-metadata');
