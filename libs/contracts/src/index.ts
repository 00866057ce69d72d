export * from './aws-error';
export * from './operation-owners';
export * from './operation-request';
export * from './service-health';
export * from './service-metrics';
export * from './events/domain-event-message';
export * from './events/discovery';
export * from './events/licensing';
