import { INestApplicationContext, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import { AppConfig, appConfig, ConfigError, ConfigModule } from '@appconda/config';
import { ServiceName } from '@appconda/contracts';
import { createHttpApp, PinoNestLogger, registerForShutdown, serviceLogger, StartupError } from '@appconda/core';

import { transportHealthController } from './health.controller';
import { httpHostOf, publishHttpServer } from './http-host';
import { redisPrefix, redisTransport } from './transport.options';

export interface ServiceDefinition {
  service: ServiceName;
  /** The app's own module (composition of domain and data-access modules). */
  module: Type;
  /**
   * HTTP apps name the port they listen on; the others are pure Redis-transport microservices. A guest
   * of another service's HTTP server (serveOnHttpServerOf) listens on none and serves on that server.
   */
  httpPort?: (config: AppConfig) => number;
  /** Largest HTTP body accepted. */
  bodyLimit?: number;
  /** Controllers whose message patterns carry the installation's Redis prefix (known only at start). */
  controllers?: (prefix: string) => Type[];
}

export interface RunningService {
  service: ServiceName;
  app: INestApplicationContext;
  port?: number;
}

interface Closable {
  close(): Promise<void>;
}

/** Guests (services sharing another's HTTP server) by host: closed before their host. */
const guests = new Map<ServiceName, { service: ServiceName; app: Closable }[]>();

/**
 * A host's HTTP server only finishes closing once every socket on it is gone, upgraded WebSockets
 * included: its guests close theirs first.
 */
function closingGuestsFirst(service: ServiceName, app: Closable, logger: ReturnType<typeof serviceLogger>): Closable {
  return {
    close: async () => {
      for (const guest of guests.get(service) ?? []) {
        await guest.app.close().catch((err: unknown) => logger.error({ err, service: guest.service }, 'service failed to close cleanly'));
        logger.info({ closed: guest.service }, 'service closed');
      }
      await app.close();
    },
  };
}

function rootModule(definition: ServiceDefinition, prefix: string): Type {
  @Module({
    imports: [ConfigModule, definition.module],
    controllers: [transportHealthController(definition.service, prefix), ...(definition.controllers?.(prefix) ?? [])],
  })
  class ServiceRootModule {}
  Object.defineProperty(ServiceRootModule, 'name', { value: `${definition.module.name}Root` });
  return ServiceRootModule;
}

/**
 * Starts one service: validates configuration, builds the Nest app (HTTP + Redis transport, or Redis
 * transport only), logs one structured ready line and registers graceful shutdown.
 * Every app in the one-process mode is started through here exactly as when it runs alone.
 */
export async function bootstrapService(definition: ServiceDefinition): Promise<RunningService> {
  const logger = serviceLogger(definition.service);
  let config: AppConfig;
  try {
    config = appConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.fatal({ event: 'config_invalid' }, error.message);
      process.exitCode = 1;
    }
    throw error;
  }
  const started = Date.now();
  const module = rootModule(definition, redisPrefix(config));
  const transport = redisTransport(config);
  const host = definition.httpPort ? httpHostOf(definition.service) : undefined;
  try {
    if (definition.httpPort && !host) {
      const port = definition.httpPort(config);
      const app = await createHttpApp(module, definition.service, { bodyLimit: definition.bodyLimit });
      publishHttpServer(definition.service, app.getHttpServer());
      app.connectMicroservice<MicroserviceOptions>(transport, { inheritAppConfig: true });
      await app.startAllMicroservices();
      await app.listen(port, '0.0.0.0');
      registerForShutdown(definition.service, closingGuestsFirst(definition.service, app, logger), logger);
      logger.info({ event: 'ready', port, ms: Date.now() - started }, `${definition.service} ready on port ${port}`);
      return { service: definition.service, app, port };
    }
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(module, { ...transport, logger: new PinoNestLogger(definition.service), abortOnError: false });
    await app.listen();
    if (host) {
      // Served on the host's HTTP server (httpServerOf): closed by the host, before its server.
      guests.set(host, [...(guests.get(host) ?? []), { service: definition.service, app }]);
      logger.info({ event: 'ready', host, ms: Date.now() - started }, `${definition.service} ready on the ${host}'s HTTP server`);
      return { service: definition.service, app };
    }
    registerForShutdown(definition.service, app, logger);
    logger.info({ event: 'ready', ms: Date.now() - started }, `${definition.service} ready`);
    return { service: definition.service, app };
  } catch (error) {
    const message = error instanceof StartupError || error instanceof ConfigError ? error.message : String(error);
    logger.fatal({ event: 'startup_failed', err: error }, message);
    process.exitCode = 1;
    throw error;
  }
}
