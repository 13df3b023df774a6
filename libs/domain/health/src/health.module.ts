import { Module } from '@nestjs/common';

import { HealthPublicController } from './health-public.controller';

@Module({ controllers: [HealthPublicController] })
export class HealthApiModule {}
