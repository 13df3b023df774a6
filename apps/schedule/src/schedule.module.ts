import { Module } from '@nestjs/common';
import { DatabaseModule } from '@appconda/database';
import { FunctionsScheduleModule } from '@appconda/functions';

/** Fires the functions' cron schedules: every second, the due ticks of every project (FunctionScheduler). */
@Module({ imports: [DatabaseModule.forRoot(), FunctionsScheduleModule.forRoot()] })
export class ScheduleModule {}
