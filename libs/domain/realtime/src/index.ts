export * from './channels';
export * from './connection';
export * from './handshake';
export * from './realtime.events';
export * from './realtime.module';
export * from './realtime.server';
export * from './realtime.stats';
export * from './subscription-index';
