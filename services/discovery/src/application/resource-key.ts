import { sql, type Expression, type SqlBool } from 'kysely';

/** The inventory_resources primary key, in the order pages and sweeps walk it. */
export const KEY_COLUMNS = ['account_id', 'region', 'resource_type', 'resource_id'] as const;

export type ResourceKey = [accountId: string, region: string, resourceType: string, resourceId: string];

export const keyOf = (row: Record<(typeof KEY_COLUMNS)[number], string>): ResourceKey => [
  row.account_id,
  row.region,
  row.resource_type,
  row.resource_id,
];

export function isResourceKey(value: unknown): value is ResourceKey {
  return Array.isArray(value) && value.length === KEY_COLUMNS.length && value.every((part) => typeof part === 'string');
}

/** Rows after a key in key order (a row-value comparison, which the primary key index serves). */
export function afterKey(key: ResourceKey): Expression<SqlBool> {
  return sql<SqlBool>`(${sql.join(KEY_COLUMNS.map((column) => sql.ref(column)))}) > (${sql.join(key)})`;
}

/** Orders a query of the view by its key. */
export function inKeyOrder<Query extends { orderBy(column: (typeof KEY_COLUMNS)[number]): Query }>(
  query: Query,
): Query {
  return KEY_COLUMNS.reduce((ordered, column) => ordered.orderBy(column), query);
}
