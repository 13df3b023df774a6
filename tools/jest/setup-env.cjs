// Tests run quietly: structured logs only for fatal lines unless _APP_LOG_LEVEL says otherwise
// (e.g. `_APP_LOG_LEVEL=debug npx jest …` while investigating).
process.env.NODE_ENV ??= 'test';
process.env._APP_LOG_LEVEL ??= 'fatal';
require('reflect-metadata');
// The local InfluxDB (tools/ci/ensure-services.sh), as MariaDB and Redis default to 127.0.0.1 already.
process.env._APP_INFLUXDB_HOST ??= '127.0.0.1';
