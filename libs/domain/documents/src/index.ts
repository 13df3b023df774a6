export * from './document.access';
export * from './document.model';
export * from './document.structure';
export * from './documents-api.module';
export * from './documents.service';
export * from './documents.store';
export * from './relationships';
export * from './relationships.service';
