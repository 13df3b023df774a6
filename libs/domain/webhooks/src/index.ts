export * from './webhook-delivery';
export * from './webhook-directory';
export * from './webhook-events.subscriber';
export * from './webhook-matching';
export * from './webhook-signature';
export * from './webhooks.handler';
export * from './webhooks.module';
