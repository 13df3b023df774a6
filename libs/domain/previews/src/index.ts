export * from './preview.cache';
export * from './preview.icons';
export * from './preview.params';
export * from './preview.render';
export * from './previews-api.module';
export * from './previews.service';
