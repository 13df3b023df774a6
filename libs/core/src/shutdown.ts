import { Logger } from 'pino';

interface Closable {
  close(): Promise<void>;
}

const apps: { name: string; app: Closable }[] = [];
let installed = false;
let closing: Promise<void> | undefined;

/**
 * Registers an app for graceful shutdown. One process-wide handler closes every registered app on
 * SIGTERM/SIGINT (draining HTTP, finishing or returning the current job, closing DB and Redis), so
 * the one-process mode shuts all services down as cleanly as a single service.
 */
export function registerForShutdown(name: string, app: Closable, logger: Logger): void {
  apps.push({ name, app });
  if (installed) return;
  installed = true;
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down');
    void shutdownAll(logger).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

/**
 * Closes every registered app, newest first; safe to call more than once. With `parallel`, all at
 * once instead (for a set of independent workers, where waiting on each in turn only adds up).
 */
export function shutdownAll(logger?: Logger, options: { parallel?: boolean } = {}): Promise<void> {
  const closeOne = async ({ name, app }: { name: string; app: Closable }): Promise<void> => {
    try {
      await app.close();
      logger?.info({ closed: name }, 'service closed');
    } catch (error) {
      logger?.error({ err: error, service: name }, 'service failed to close cleanly');
    }
  };
  closing ??= (async () => {
    const newestFirst = [...apps].reverse();
    if (options.parallel) await Promise.all(newestFirst.map(closeOne));
    else for (const entry of newestFirst) await closeOne(entry);
    apps.length = 0;
  })();
  return closing;
}

/** A failure at boot that must stop the service with one clear line. */
export class StartupError extends Error {
  override name = 'StartupError';
}
