export * from './bootstrap-service';
export * from './clock';
export * from './database';
export * from './health.controller';
export * from './operation-exception.filter';
export * from './page-token';
export * from './service-store';
