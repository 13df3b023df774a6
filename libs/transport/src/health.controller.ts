import { Controller, Type } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';

import { healthPattern, TransportHealth } from './patterns';

/** Builds the controller that answers `<prefix>.health.<service>` for one app. */
export function transportHealthController(service: string, prefix: string): Type {
  @Controller()
  class TransportHealthController {
    @MessagePattern(healthPattern(service, prefix))
    health(): TransportHealth {
      return { service, status: 'pass', pid: process.pid, uptime: Math.round(process.uptime()) };
    }
  }
  return TransportHealthController;
}
