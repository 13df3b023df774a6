import { Module } from '@nestjs/common';

import { AVATARS_OPTIONS, avatarsOptionsFromEnv } from './avatars.options';
import { AvatarsService } from './avatars.service';

/** Avatars providers only. */
@Module({
  providers: [{ provide: AVATARS_OPTIONS, useFactory: () => avatarsOptionsFromEnv() }, AvatarsService],
  exports: [AvatarsService],
})
export class AvatarsModule {}
