import type { Kysely } from 'kysely';

/** What stateBefore answers for an event its view row already reflects. */
export const ALREADY_APPLIED = 'already-applied';

/**
 * The resource a view row holds before one of its events, for a projection that folds the
 * resource with its decider's evolve: the row of the event's resource in `table` (one row per
 * resource, found by `key`: the event's ARN unless given; the whole resource as `state`, the stream
 * version it reflects as `stream_version`), read for update in the projection's transaction.
 * ALREADY_APPLIED when the row reflects the event or a later one (a replay changes nothing);
 * undefined when there is no row yet.
 */
export async function stateBefore<State>(
  // The table's own views type it; this reads only the columns above.
  db: Kysely<any>,
  table: string,
  event: { data: object; streamVersion: number },
  key: Record<string, string> = { arn: (event.data as { arn: string }).arn },
): Promise<State | undefined | typeof ALREADY_APPLIED> {
  let query = db.selectFrom(table).select(['state', 'stream_version']);
  for (const [column, value] of Object.entries(key)) query = query.where(column, '=', value);
  const row: { state: State; stream_version: number } | undefined = await query.forUpdate().executeTakeFirst();
  if (row && row.stream_version >= event.streamVersion) return ALREADY_APPLIED;
  return row?.state;
}
