export * from './memberships.service';
export * from './teams-api.module';
export * from './teams.access';
export * from './teams.dto';
export * from './teams.module';
export * from './teams.service';
