export * from './identity';
export * from './identity.module';
export * from './identity.resolver';
export * from './project-context.service';
export * from './project-settings';
export * from './cors.hook';
export * from './route-effects.hook';
export * from './audit-trail';
