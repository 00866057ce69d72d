export * from './log-settings';
export * from './logger';
export * from './nest-logger';
export * from './start-logging';
export * from './operation-context';
