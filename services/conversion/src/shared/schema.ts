/** PostgreSQL schema that holds the conversion service's event store and views. */
export const CONVERSION_SCHEMA = 'conversion';
