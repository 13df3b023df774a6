/**
 * @appconda/queue — Bull queues on the configured Redis (keys `<_APP_REDIS_PREFIX>:<queue>:*`).
 *
 * Producing (api, other workers):
 *   imports: [QueueModule.forProducer(QueueName.Mails)]
 *   constructor(@InjectJobQueue(QueueName.Mails) private readonly mails: JobQueue<QueueName.Mails>) {}
 *   await this.mails.add({ recipient, template, locale, variables });   // payload typed by the queue
 * Defaults (5 attempts, exponential backoff, natural jobId dedupe) live in `jobOptions()` only.
 *
 * A worker app (copy apps/worker-webhooks; three files):
 *   <name>.processor.ts
 *     @Processor(QueueName.Mails)
 *     export class MailsProcessor extends QueueProcessor<QueueName.Mails> {
 *       constructor(@Optional() @Inject(jobHandlerToken(QueueName.Mails)) handler?: JobHandler<QueueName.Mails>) {
 *         super(QueueName.Mails, handler);
 *       }
 *       @Process()
 *       process(job: Job<MailJob>): Promise<unknown> {
 *         return this.run(job);
 *       }
 *     }
 *   worker-<name>.module.ts
 *     @Module({ imports: [QueueModule.forWorker(QueueName.Mails), <FeatureModule providing the handler>],
 *               providers: [MailsProcessor] })
 *   main.ts: bootstrapService({ service: 'worker-mails', module: WorkerMailsModule })  (unchanged)
 * The feature lib implements `JobHandler<QueueName.Mails>` and provides it under
 * `jobHandlerToken(QueueName.Mails)`. Without it the worker boots with a `job_handler_missing` warning
 * and every job fails with MissingJobHandlerError (retried, then dead-lettered): nothing is silently
 * dropped. `run()` validates the payload against the contract (invalid → discarded, dead-lettered
 * at once) and logs each job with service, queue, id, attempt and duration.
 *
 * What `forWorker` guarantees:
 * - boot fails with StartupError when no `@Processor(queue)` class with a `@Process()` method exists;
 * - a worker killed mid-job loses its lock; Bull's stalled check (DEFAULT_WORKER_SETTINGS, ~30 s)
 *   moves the job back to waiting for another worker; a job stalling twice fails;
 * - on shutdown Bull's `queue.close()` waits for the active job;
 * - a job that fails for good is pushed to the Redis list `<prefix>:dead-letter:<queue>` with payload,
 *   error and attempts (`DeadLetters.list(queue)`); Bull also keeps the failed job itself.
 * Queue sizes for /v1/health/queue/*: `QueueHealth.counts(queue)` (needs the queue registered).
 */
export * from './dead-letters';
export * from './job-queue';
export * from './job-validation';
export * from './queue.health';
export * from './queue.module';
export * from './queue.options';
export * from './queue.processor';
export * from './queue.registry';
export * from './job-dispatch';
