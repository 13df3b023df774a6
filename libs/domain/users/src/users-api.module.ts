import { Module } from '@nestjs/common';

import { UsersController } from './users.controller';
import { UsersModule } from './users.module';

/** The /v1/users routes. */
@Module({ imports: [UsersModule], controllers: [UsersController] })
export class UsersApiModule {}
