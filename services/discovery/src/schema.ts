/** PostgreSQL schema that holds the discovery service's event store and read models. */
export const DISCOVERY_SCHEMA = 'discovery';
