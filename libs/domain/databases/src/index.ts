export * from './attribute.types';
export * from './collection-schema.service';
export * from './databases.module';
