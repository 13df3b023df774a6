import { Controller, Inject, Optional, Type } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';

import { healthPattern, TransportHealth } from './patterns';

/** What a service adds to its transport health answer (realtime: its open connections). */
export interface HealthDetails {
  details(): Record<string, unknown>;
}

/** Injection token of an app's optional HealthDetails provider (global, so the root controller sees it). */
export const HEALTH_DETAILS = Symbol('HEALTH_DETAILS');

/** Builds the controller that answers `<prefix>.health.<service>` for one app. */
export function transportHealthController(service: string, prefix: string): Type {
  @Controller()
  class TransportHealthController {
    constructor(@Optional() @Inject(HEALTH_DETAILS) private readonly extra?: HealthDetails) {}

    @MessagePattern(healthPattern(service, prefix))
    health(): TransportHealth {
      return { service, status: 'pass', pid: process.pid, uptime: Math.round(process.uptime()), ...this.extra?.details() };
    }
  }
  return TransportHealthController;
}
