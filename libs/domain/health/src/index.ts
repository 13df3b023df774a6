export * from './clamd';
export * from './health.module';
export * from './health.service';
export * from './sntp';
