/** PostgreSQL schema that holds the grants service's event store and the views of every slice. */
export const GRANTS_SCHEMA = 'grants';
