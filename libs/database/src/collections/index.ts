export * from './collection.columns';
export * from './collection.ddl';
export * from './collection.queries';
