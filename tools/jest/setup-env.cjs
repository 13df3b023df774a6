// Tests run quietly unless _APP_LOG_LEVEL says otherwise.
process.env.NODE_ENV ??= 'test';
require('reflect-metadata');
