export * from './bootstrap';
export * from './health.controller';
export * from './patterns';
export * from './transport.options';
export * from './redis.module';
export * from './event-bus';
export * from './interval-lock';
export * from './http-host';
