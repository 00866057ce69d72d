export * from './event-store-metrics';
export * from './lag-metrics';
export * from './lease-metrics';
export * from './operation-metrics';
export * from './registry';
export * from './serve-metrics';
export * from './chassis-metrics';
