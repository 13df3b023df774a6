import { Global, Module } from '@nestjs/common';

import { AppConfig } from './app-config';

let shared: AppConfig | undefined;

/** The process-wide configuration, loaded (and validated) once. */
export function appConfig(): AppConfig {
  shared ??= new AppConfig(process.env);
  return shared;
}

/** Resets the cached configuration (tests that change process.env). */
export function resetAppConfig(): void {
  shared = undefined;
}

@Global()
@Module({
  providers: [{ provide: AppConfig, useFactory: appConfig }],
  exports: [AppConfig],
})
export class ConfigModule {}
