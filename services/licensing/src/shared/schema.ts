/** PostgreSQL schema that holds the licensing service's event store and the views of every slice. */
export const LICENSING_SCHEMA = 'licensing';
