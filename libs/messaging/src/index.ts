export * from '@lm/contracts';
export * from './audit-stream';
export * from './durable-event-consumer';
export * from './event-relay';
export * from './jetstream-events-stream';
export * from './operation-client';
export * from './session-credentials';
export * from './subjects';
