/**
 * @appconda/functions — Appwrite 1.3's Functions service: the 22 REST routes (FunctionsApiModule), the
 * build and execution workers' handlers, event triggers, the cron scheduler and the deletes cascade.
 * The executor is reached only through `ExecutorClient` (@appconda/transport).
 */
export * from './builds.handler';
export * from './cron';
export * from './deployments.service';
export * from './execution-runner';
export * from './executions.service';
export * from './function-events';
export * from './function-events.subscriber';
export * from './function-scheduler';
export * from './functions.dto';
export * from './functions.module';
export * from './functions.service';
export * from './functions-deletes.handler';
export * from './functions-jobs.handler';
export * from './functions-usage.service';
