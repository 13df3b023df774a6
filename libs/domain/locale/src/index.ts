export * from './locale-api.module';
export * from './locale.module';
export * from './locale.service';
export * from './locale.dto';
