import { Injectable } from '@nestjs/common';
import { buildEvents } from '@appconda/contracts';
import { EventBus } from '@appconda/transport';
import { randomUUID } from 'node:crypto';

/**
 * Events a worker emits itself (a build's progress, an async execution's outcome): expanded like the
 * API's route events and published on the EventBus, so realtime, webhooks and event-triggered
 * functions hear them exactly as they hear the API's.
 */
@Injectable()
export class WorkerEvents {
  constructor(private readonly bus: EventBus) {}

  emit(projectId: string, template: string, params: Record<string, string>, payload: object, userId?: string): void {
    this.bus.publish({ id: randomUUID(), projectId, events: buildEvents(template, params), payload, userId, time: new Date().toISOString() });
  }
}
