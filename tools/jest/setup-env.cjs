// Tests run quietly unless APPCONDA_LOG_LEVEL says otherwise.
process.env.NODE_ENV ??= 'test';
require('reflect-metadata');
