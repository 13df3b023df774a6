export * from './device';
export * from './user-activity.service';
export * from './users-api.module';
export * from './users.models';
export * from './users.module';
export * from './users.dto';
export * from './users.rules';
export * from './users.service';
