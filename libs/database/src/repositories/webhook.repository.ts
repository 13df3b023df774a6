import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { WebhookEntity } from '../entities';
import { ScopedRepository } from './scoped.repository';

@Injectable()
export class WebhookRepository extends ScopedRepository<WebhookEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, WebhookEntity);
  }
}
