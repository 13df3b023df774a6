import { Module } from '@nestjs/common';

import { AvatarsController } from './avatars.controller';
import { AvatarsModule } from './avatars.module';

/** The /v1/avatars routes. */
@Module({ imports: [AvatarsModule], controllers: [AvatarsController] })
export class AvatarsApiModule {}
