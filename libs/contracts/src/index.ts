export * from './errors';
export * from './services';
