export * from './fuzz-arbitraries';
export * from './fuzz-fixtures';
export * from './fuzz-runner';
