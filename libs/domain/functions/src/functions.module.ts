import { DynamicModule, Global, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { QueueName } from '@appconda/contracts';
import { jobHandlerToken, QueueModule } from '@appconda/queue';
import { MultipartHook } from '@appconda/storage';
import { EVENT_SUBSCRIBERS, EventBusModule, EventSubscriber, ExecutorClientModule, RedisModule } from '@appconda/transport';
import { UsageStatsModule } from '@appconda/usage';
import { WebhookEventSubscriber, WebhookEventsModule } from '@appconda/webhooks';

import { BuildsJobHandler } from './builds.handler';
import { DeploymentsService } from './deployments.service';
import { ExecutionRunner } from './execution-runner';
import { ExecutionsService } from './executions.service';
import { WorkerEvents } from './function-events';
import { FunctionEventSubscriber } from './function-events.subscriber';
import { FunctionScheduler, SCHEDULER_OPTIONS, SchedulerOptions } from './function-scheduler';
import { DeploymentsController, FunctionsController } from './functions.controller';
import { FunctionsService } from './functions.service';
import { FunctionsDeletesHandler } from './functions-deletes.handler';
import { FunctionsJobHandler } from './functions-jobs.handler';
import { FunctionsUsageService } from './functions-usage.service';

/**
 * Event triggers, for every process that publishes events (the api, and the workers that emit build and
 * execution updates): the subscriber that enqueues one `v1-functions` job per subscribed function.
 * Global, like WebhookEventsModule, so the EVENT_SUBSCRIBERS list of the app can inject it.
 */
@Global()
@Module({ imports: [QueueModule.forProducer(QueueName.Functions)], providers: [FunctionEventSubscriber], exports: [FunctionEventSubscriber] })
export class FunctionEventsModule {}

/**
 * EVENT_SUBSCRIBERS of the functions workers: the events they emit themselves reach webhooks and
 * event-triggered functions as the api's do.
 */
@Global()
@Module({
  imports: [EventBusModule, WebhookEventsModule, FunctionEventsModule],
  providers: [{ provide: EVENT_SUBSCRIBERS, inject: [WebhookEventSubscriber, FunctionEventSubscriber], useFactory: (...subscribers: EventSubscriber[]) => subscribers }, WorkerEvents],
  exports: [EVENT_SUBSCRIBERS, WorkerEvents],
})
export class WorkerEventSubscribersModule {}

/** The Functions service of the REST API (22 routes). Needs DatabaseModule, RedisModule and the identity pipeline. */
@Module({
  imports: [ExecutorClientModule, QueueModule.forProducer(QueueName.Builds, QueueName.Deletes, QueueName.Functions), UsageStatsModule],
  controllers: [FunctionsController, DeploymentsController],
  providers: [DeploymentsService, ExecutionRunner, ExecutionsService, FunctionsService, FunctionsUsageService, MultipartHook],
})
export class FunctionsApiModule {}

/** worker-builds' handler. Needs DatabaseModule, RedisModule and the usage collector in the app. */
@Module({
  imports: [ExecutorClientModule, WorkerEventSubscribersModule],
  providers: [{ provide: jobHandlerToken(QueueName.Builds), useClass: BuildsJobHandler }],
  exports: [jobHandlerToken(QueueName.Builds)],
})
export class BuildsWorkerModule {}

/** worker-functions' handler. Needs DatabaseModule, RedisModule and the usage collector in the app. */
@Module({
  imports: [ExecutorClientModule, WorkerEventSubscribersModule],
  providers: [ExecutionRunner, { provide: jobHandlerToken(QueueName.Functions), useClass: FunctionsJobHandler }],
  exports: [jobHandlerToken(QueueName.Functions)],
})
export class FunctionsWorkerModule {}

/** worker-deletes' functions handler (`@HandlesJob` functions, deployments, projects). */
@Module({ imports: [ExecutorClientModule], providers: [FunctionsDeletesHandler], exports: [FunctionsDeletesHandler] })
export class FunctionsDeletesModule {}

/** The schedule service's work: the per-second scan that fires due cron ticks. Needs DatabaseModule. */
@Module({})
export class FunctionsScheduleModule {
  static forRoot(options: SchedulerOptions = {}): DynamicModule {
    return {
      module: FunctionsScheduleModule,
      imports: [ScheduleModule.forRoot(), QueueModule.forProducer(QueueName.Functions), RedisModule],
      providers: [{ provide: SCHEDULER_OPTIONS, useValue: options }, FunctionScheduler],
      exports: [FunctionScheduler],
    };
  }
}
