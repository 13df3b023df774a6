export * from './query.compiler';
export * from './query.errors';
export * from './query.groups';
export * from './query.parser';
export * from './query.presets';
export * from './query.types';
export * from './query.validator';
