import { BullModule, getQueueToken } from '@nestjs/bull';
import { BULL_MODULE_QUEUE, BULL_MODULE_QUEUE_PROCESS } from '@nestjs/bull/dist/bull.constants';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, MetadataScanner } from '@nestjs/core';
import { AdvancedSettings, Job, Queue } from 'bull';
import { AppConfig, ConfigModule } from '@appconda/config';
import { QUEUE_SERVICES, QueueName } from '@appconda/contracts';
import { serviceLogger, StartupError } from '@appconda/core';

import { DeadLetters, recordIfDead } from './dead-letters';
import { JobQueue, jobQueueToken } from './job-queue';
import { QueueHealth } from './queue.health';
import { bullRootOptions, DEFAULT_WORKER_SETTINGS } from './queue.options';
import { QueueRegistry } from './queue.registry';
import { jobTypeDispatcher } from './job-dispatch';
import { jobHandlerToken } from './queue.processor';

export interface WorkerOptions {
  /** Bull's lock/stalled settings; tests shorten them, production keeps DEFAULT_WORKER_SETTINGS. */
  settings?: AdvancedSettings;
  /**
   * Route jobs by their `type` to `@HandlesJob(queue, type…)` providers of the app (several feature
   * libs sharing one worker, e.g. deletes). The queue's JobHandler is then the dispatcher.
   */
  dispatchByType?: boolean;
}

// One object, so every forProducer/forWorker import resolves to the same global Bull root.
const BULL_ROOT = BullModule.forRootAsync({ imports: [ConfigModule], inject: [AppConfig], useFactory: bullRootOptions });

const SERVICES = [QueueRegistry, QueueHealth, DeadLetters];

function producerProvider(queue: QueueName): Provider {
  return { provide: jobQueueToken(queue), inject: [getQueueToken(queue)], useFactory: (bull: Queue) => new JobQueue(queue, bull) };
}

/** True when some provider of the app is a `@Processor(queue)` class with at least one `@Process()` method. */
export function hasProcessor(discovery: DiscoveryService, scanner: MetadataScanner, queue: QueueName): boolean {
  return discovery.getProviders().some(({ inject, instance, metatype }) => {
    // As in Bull's explorer: for useValue/useFactory providers the class is only known from the instance.
    const type = (!metatype || inject ? instance?.constructor : metatype) as (new () => unknown) | undefined;
    if (!type || Reflect.getMetadata(BULL_MODULE_QUEUE, type)?.name !== queue) return false;
    const prototype = type.prototype as Record<string, unknown>;
    return scanner.getAllMethodNames(prototype).some((key) => Reflect.hasMetadata(BULL_MODULE_QUEUE_PROCESS, prototype[key] as object));
  });
}

function processorAssertion(queue: QueueName): Provider {
  return {
    provide: `QueueWorkerAssertion:${queue}`,
    inject: [DiscoveryService, MetadataScanner, getQueueToken(queue)],
    // Runs while the app is instantiated, before Bull starts consuming (immich's missing-handler check).
    useFactory: async (discovery: DiscoveryService, scanner: MetadataScanner, bull: Queue) => {
      if (!hasProcessor(discovery, scanner, queue)) {
        // The app never finishes booting, so nothing else would close the queue's Redis connections.
        await bull.close();
        throw new StartupError(`${QUEUE_SERVICES[queue]} consumes ${queue} but no @Processor('${queue}') class with a @Process() method is registered`);
      }
      return true;
    },
  };
}

function deadLetterRecorder(queue: QueueName): Provider {
  return {
    provide: `QueueDeadLetterRecorder:${queue}`,
    inject: [getQueueToken(queue)],
    useFactory: (bull: Queue) => {
      const logger = serviceLogger(QUEUE_SERVICES[queue]);
      // Bull emits 'failed' only in the process that ran the job, so each failure is recorded once.
      bull.on('failed', (job: Job, error: Error) => {
        recordIfDead(bull, job, error, logger).catch((err) => logger.error({ event: 'dead_letter_write_failed', queue, jobId: job.id, err }, 'could not record a dead letter'));
      });
      return true;
    },
  };
}

/**
 * Bull queues on the AppConfig Redis. `forProducer` is for apps that enqueue, `forWorker` for the one
 * worker app that consumes a queue. Both also provide QueueHealth and DeadLetters for their queues.
 * Bull's queue provider closes the queue on app shutdown, and `queue.close()` waits for the active job.
 */
@Module({})
export class QueueModule {
  /** Typed producers, injected with `@InjectJobQueue(QueueName.X) queue: JobQueue<QueueName.X>`. */
  static forProducer(...queues: QueueName[]): DynamicModule {
    const producers = queues.map(producerProvider);
    return {
      module: QueueModule,
      imports: [BULL_ROOT, BullModule.registerQueue(...queues.map((name) => ({ name })))],
      providers: [...producers, ...SERVICES],
      exports: [...producers, ...SERVICES],
    };
  }

  /**
   * The consuming side of one queue: registers it with the worker lock settings, records dead letters,
   * and fails the boot when the app has no `@Processor(queue)`. Also exports the queue's producer, for
   * workers that re-enqueue.
   */
  static forWorker(queue: QueueName, options: WorkerOptions = {}): DynamicModule {
    const settings = { ...DEFAULT_WORKER_SETTINGS, ...options.settings };
    const producer = producerProvider(queue);
    const dispatcher = options.dispatchByType ? [jobTypeDispatcher(queue as Parameters<typeof jobTypeDispatcher>[0])] : [];
    return {
      module: QueueModule,
      imports: [BULL_ROOT, DiscoveryModule, BullModule.registerQueue({ name: queue, settings })],
      providers: [producer, processorAssertion(queue), deadLetterRecorder(queue), ...dispatcher, ...SERVICES],
      exports: [producer, ...dispatcher.map(() => jobHandlerToken(queue)), ...SERVICES],
    };
  }
}
