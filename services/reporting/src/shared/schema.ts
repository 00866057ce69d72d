/** PostgreSQL schema that holds the reporting service's event store and views. */
export const REPORTING_SCHEMA = 'reporting';
