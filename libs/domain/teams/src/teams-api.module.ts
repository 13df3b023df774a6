import { Module } from '@nestjs/common';

import { MembershipsController } from './memberships.controller';
import { TeamsController } from './teams.controller';
import { TeamsModule } from './teams.module';

/** The 14 `/v1/teams*` routes of Appwrite 1.3. */
@Module({ imports: [TeamsModule], controllers: [TeamsController, MembershipsController] })
export class TeamsApiModule {}
