export * from './mail.service';
export * from './mail.templates';
export * from './mail.translations';
export * from './messaging.module';
export * from './messaging.settings';
export * from './sms.providers';
export * from './sms.service';
