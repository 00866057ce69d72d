export * from './observability-server';
export * from './readiness';
