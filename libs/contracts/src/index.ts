export * from './errors';
export * from './events';
export * from './queues';
export * from './roles';
export * from './scopes';
export * from './services';
export * from './executor';
export * from './realtime';
