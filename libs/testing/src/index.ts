export * from './factories';
export * from './test-database';
export * from './test-redis';
export * from './test-api';
export * from './test-apps';
export * from './route-catalogue';
export * from './dependency-servers';
export * from './fuzz';
