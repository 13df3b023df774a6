export * from './database.connections';
export * from './database.module';
export * from './database.service';
export * from './database.settings';
export * from './database.tokens';
export * from './entities';
export * from './migrations';
export * from './repositories';
